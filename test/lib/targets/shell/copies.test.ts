// Red-team finding: a recursive copy, archive copy, rsync, move or symbolic link of a FOLDER into
// (or as) an existing or new destination writes everything beneath it. Through the real
// PreToolUse core (payload, config layers, presets, normalization, decision) with a temp HOME.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { preToolUse } from '../../../../lib/guard.js';
import type { Decision } from '../../../../lib/types.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-copies-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));
// `home`: ~/.config holds the guard's own config. `bare`: a HOME without ~/.config at all.
const home = path.join(root, 'home');
const bare = path.join(root, 'bare');
const proj = path.join(root, 'proj');
const evil = path.join(root, 'evil'); // the attacker's folder, outside the project
const plain = path.join(root, 'plain'); // the same without a .git (moving a .git is blocked already)
for (const d of [`${home}/.ssh`, `${home}/.config/hookwarden`, `${bare}/.ssh`, `${proj}/.git`, `${proj}/src`, `${proj}/template`,
  `${proj}/dist`, `${proj}/build`, `${evil}/hookwarden`, `${evil}/.ssh`, `${evil}/.git`, `${plain}/hookwarden`, `${plain}/.ssh`]) {
  fs.mkdirSync(d, { recursive: true });
}
fs.writeFileSync(`${home}/.config/hookwarden/config.json`, '{}\n');
fs.writeFileSync(`${home}/.ssh/authorized_keys`, 'ssh-ed25519 AAAA me\n');
fs.writeFileSync(`${proj}/.env`, 'TOKEN=1\n');
fs.writeFileSync(`${proj}/.git/config`, '[core]\n');
fs.writeFileSync(`${proj}/src/a.ts`, 'export {};\n');
fs.writeFileSync(`${proj}/template/index.html`, '<p>\n');
fs.writeFileSync(`${evil}/hookwarden/config.json`, '{"presets":{"self":false}}\n');
fs.writeFileSync(`${plain}/hookwarden/config.json`, '{"presets":{"self":false}}\n');
fs.writeFileSync(`${evil}/.git/config`, '[core]\n\tfsmonitor = evil\n');

// `linked`: ~/.config is a link into a dotfiles folder (which holds the guard's config).
const linked = path.join(root, 'linked');
fs.mkdirSync(`${linked}/dotfiles/config/hookwarden`, { recursive: true });
fs.writeFileSync(`${linked}/dotfiles/config/hookwarden/config.json`, '{}\n');
fs.symlinkSync('dotfiles/config', `${linked}/.config`);
// A release folder swapped by a link: replacing the link writes nothing in the old release.
fs.mkdirSync(`${proj}/releases/v1`, { recursive: true });
fs.mkdirSync(`${proj}/releases/v2`, { recursive: true });
fs.writeFileSync(`${proj}/releases/v1/.env`, 'TOKEN=1\n');
fs.symlinkSync('releases/v1', `${proj}/current`);

const ENV = { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, PATH: '/usr/bin:/bin' };
const BARE = { HOME: bare, XDG_CONFIG_HOME: `${bare}/.config`, PATH: '/usr/bin:/bin' };
const LINKED = { HOME: linked, PATH: '/usr/bin:/bin' };

function check(command: string, env: Record<string, string | undefined>) {
  const payload = JSON.stringify({
    session_id: 's1', cwd: proj, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_1',
  });
  return preToolUse(payload, { env, home: env.HOME, agent: 'claude' });
}

function table(name: string, cases: [string, Decision][], env: Record<string, string | undefined> = ENV): void {
  describe(name, () => {
    for (const [cmd, want] of cases) {
      it(`${want}: ${cmd}`, () => {
        const o = check(cmd.replaceAll('EVIL', evil).replaceAll('PLAIN', plain), env);
        assert.equal(o.error, undefined, o.error);
        assert.equal(o.verdict.decision, want, `${o.verdict.reason ?? ''} ${JSON.stringify(o.verdict.targets)}`);
        if (want === 'deny') assert.doesNotMatch(o.verdict.reason ?? '', /\n/);
      });
    }
  });
}

table('a folder copied or moved into an existing folder writes beneath it', [
  // The red team's forms.
  ['cp -r EVIL/. ~/.config/', 'deny'],
  ['cp -rT EVIL ~/.config', 'deny'],
  ['cp -r EVIL/. $XDG_CONFIG_HOME', 'deny'],
  ['mkdir -p /tmp/q/hookwarden && echo {} > /tmp/q/hookwarden/config.json && cp -r /tmp/q/. ~/.config/', 'deny'],
  ['cp -r EVIL/. ~/', 'deny'],
  ['cp -r EVIL/. .', 'deny'],
  ['rsync -a EVIL/ ./', 'deny'],
  ['shopt -s dotglob; cp -r EVIL/* .', 'deny'],
  // The nearest spellings not in the report.
  ['cp -R EVIL/. ~/.config', 'deny'],
  ['cp -a EVIL/. ~/.config', 'deny'],
  ['cp --recursive EVIL/. ~/.config', 'deny'],
  ['cp --archive EVIL/. ~/.config', 'deny'],
  ['cp -a --no-target-directory EVIL ~/.config', 'deny'],
  ['cp -aT EVIL .', 'deny'],
  ['cp -r -t ~ EVIL/.', 'deny'],
  ['cp -r --target-directory=. EVIL/.', 'deny'],
  ['cp -r EVIL/./ ~/.config', 'deny'],
  ['cp -r EVIL/.ssh ~', 'deny'],
  ['cp -r EVIL/.ssh ~/', 'deny'],
  ['cd ~ && cp -r EVIL/. .', 'deny'],
  ['rsync -a EVIL/ ~/.config', 'deny'],
  ['rsync -r EVIL/ .', 'deny'],
  ['rsync EVIL/ .', 'deny'],
  ['rsync -a EVIL/.ssh ~', 'deny'],
  ['rsync -a --delete EVIL/ ~/.config/', 'deny'],
  ['mv PLAIN/.ssh ~', 'deny'],
  ['mv -T PLAIN ~/.config', 'deny'],
  ['mv PLAIN/. ~/.config', 'deny'],
  ['mv -t ~ PLAIN/.ssh', 'deny'],
  ['X=~/.config; cp -r EVIL/. "$X"', 'deny'],
]);

table('a new destination whose tree may hold a protected path (no ~/.config yet)', [
  ['cp -r EVIL ~/.config', 'deny'],
  ['cp -a EVIL ~/.config', 'deny'],
  ['cp -r EVIL/. ~/.config', 'deny'],
  ['mv PLAIN ~/.config', 'deny'],
  ['mv -T PLAIN ~/.config', 'deny'],
  ['ln -s EVIL ~/.config', 'deny'],
  ['ln -sfn EVIL ~/.config', 'deny'],
  ['rsync -a EVIL/ ~/.config', 'deny'],
  ['rsync -a EVIL/ ~/.config/', 'deny'],
  ['cp -r EVIL $XDG_CONFIG_HOME', 'deny'],
  // Made a folder earlier in the call, so the copy may land either at DEST or at DEST/basename.
  ['mkdir -p ~/.config; cp -r EVIL ~/.config', 'deny'],
  ['mkdir -p ~/.config; mv PLAIN ~/.config', 'deny'],
  ['mkdir -p ~/.config; cp -r PLAIN ~/.config', 'deny'],
  // Ordinary work in a HOME without ~/.config stays allowed.
  ['cp -r src dist2', 'allow'],
  ['ln -s EVIL ~/evil-link', 'allow'],
  ['mv PLAIN ~/old-plain', 'allow'],
  ['cp -r PLAIN ~/copy', 'allow'],
], BARE);

table('ordinary copies stay allowed', [
  ['cp -r src dist', 'allow'],
  ['cp -r src newdir', 'allow'],
  ['cp -r template/. newdir', 'allow'],
  ['cp -r template/. dist', 'allow'],
  ['cp -a src/ build/', 'allow'],
  ['rsync -a src/ build/', 'allow'],
  ['rsync -a src build', 'allow'],
  ['rsync -av --delete src/ dist/', 'allow'],
  ['cp -r src .', 'allow'],
  ['cp -r EVIL/hookwarden /tmp/hw-copy-test', 'allow'],
  ['mv src lib', 'allow'],
  ['mv src/a.ts .', 'allow'],
  ['cp src/a.ts .', 'allow'],
  ['cp -r src ~/backup', 'allow'],
  ['ln -s ../src dist/src', 'allow'],
  ['mkdir -p out && cp -r src/. out/', 'allow'],
  ['ln -sfn releases/v2 current', 'allow'],
  ['ln -sfT releases/v2 current', 'allow'],
  // Copying INTO the old release through the link does write there.
  ['cp -r releases/v2/. current', 'deny'],
]);

table('a link to a folder replacing a protected folder\'s link (~/.config -> dotfiles)', [
  ['ln -sfn EVIL ~/.config', 'deny'],
  ['ln -sfT EVIL ~/.config', 'deny'],
  ['cp -r EVIL/. ~/.config/', 'deny'],
  ['rsync -a EVIL/ ~/.config', 'deny'],
  ['ln -sfn EVIL ~/other', 'allow'],
], LINKED);
