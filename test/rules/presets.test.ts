import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PresetSchema, globProblem } from '../../lib/rules.js';
import { PRESET_NAMES, PRESETS } from '../../rules/index.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules');

// The lists of the issue ("Built-in default rules"), spelled out again so a change to the data shows.
const SECRETS = ['**/.env', '**/.env.*', '**/*.pem', '**/*.key', '**/*.p12', '**/*.pfx', '**/id_rsa*', '**/id_ecdsa*',
  '**/id_ed25519*', '~/.ssh/**', '~/.aws/**', '~/.config/gcloud/**', '~/.kube/config', '~/.docker/config.json',
  '**/.npmrc', '**/.pypirc', '**/.netrc', '**/secrets/**'];
const ENV_EXCEPT = ['**/.env.example', '**/.env.sample', '**/.env.template', '**/.env.dist'];
const EXPECTED: Record<string, { enabled: boolean; ops: string[]; paths: string[] }> = {
  secrets: { enabled: true, ops: ['write', 'delete', 'move'], paths: SECRETS },
  vcs: { enabled: true, ops: ['write', 'delete', 'move'], paths: ['**/.git', '**/.git/**'] },
  self: { enabled: true, ops: ['write', 'delete', 'move'], paths: ['**/.codex/**', '~/.codex/**', '**/.claude/settings.json',
    '**/.claude/settings.local.json', '~/.claude/settings.json', '~/.claude/plugins/**', '~/.claude/backups/**', '~/.claude.json', '~/.claude.json.backup', '/etc/codex/**', '/etc/claude-code/**',
    '/Library/Application Support/ClaudeCode/**', '**/.hookwarden/**', '$XDG_CONFIG_HOME/hookwarden/**',
    '$XDG_STATE_HOME/hookwarden/**', '**/node_modules/.bin/hookwarden*',
    // Codex runs hooks through `$SHELL -lc`: what a login shell reads first can end the hook before it decides.
    '~/.profile', '~/.bash_profile', '~/.bash_login', '~/.bashrc', '~/.zshenv', '~/.zprofile', '~/.zlogin',
    '$XDG_CONFIG_HOME/fish/config.fish', '$XDG_CONFIG_HOME/fish/conf.d/**', '/etc/profile', '/etc/profile.d/**',
    '/etc/zshenv', '/etc/zsh/zshenv', '/etc/zsh/zprofile'] },
  'secrets-read': { enabled: false, ops: ['read'], paths: SECRETS },
};

describe('built-in presets', () => {
  it('are exactly the JSON files in rules/', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    assert.deepEqual(files, [...PRESET_NAMES].sort());
  });

  for (const name of PRESET_NAMES) {
    describe(name, () => {
      const preset = PRESETS[name];
      const expected = EXPECTED[name];
      it('validates against the preset schema, as imported and as shipped', () => {
        assert.deepEqual(PresetSchema.parse(preset), preset);
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')), preset);
        assert.equal(preset.name, name);
      });
      it('holds the globs of the issue, locked, for the expected operations', () => {
        assert.ok(expected);
        assert.equal(preset.enabled, expected.enabled);
        assert.deepEqual(preset.rules.flatMap((r) => r.paths).sort(), [...expected.paths].sort());
        for (const r of preset.rules) {
          assert.equal(r.locked, true, r.id);
          assert.equal(r.effect, 'deny', r.id);
          assert.deepEqual(r.ops, expected.ops, r.id);
          for (const g of [...r.paths, ...(r.except ?? [])]) assert.equal(globProblem(g), undefined, g);
        }
      });
      it('excepts the dotenv templates only from the .env.* rule', () => {
        for (const r of preset.rules) {
          if (r.paths.includes('**/.env.*')) {
            assert.deepEqual(r.paths, ['**/.env.*']);
            assert.deepEqual(r.except, ENV_EXCEPT);
          } else assert.equal(r.except, undefined);
        }
      });
      it('gives a reason that says why, not how to get around it', () => {
        for (const r of preset.rules) {
          assert.ok(r.reason && r.reason.length > 10, r.id);
          assert.doesNotMatch(r.reason, /\b(config|disable|instead|try|use|rename|copy|bypass|HOOKWARDEN|--|preset)\b/i, r.id);
        }
      });
    });
  }

  it('use ids unique across presets', () => {
    const ids = PRESET_NAMES.flatMap((n) => PRESETS[n].rules.map((r) => r.id));
    assert.equal(new Set(ids).size, ids.length);
  });
});
