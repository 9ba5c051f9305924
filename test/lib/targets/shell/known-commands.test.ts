// Item 1 of issue 14 at the decision level: commands known as data write, delete or only read what
// their entries say; an unknown command's protected operand is blocked (unknownCommands), an
// unprotected one is not.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { guardProject, loadWith, decideWith } from '../../../helpers/guard-project.js';
import { loadConfig } from '../../../../lib/config.js';
import { evaluate } from '../../../../lib/index.js';

const g = guardProject();
after(() => g.cleanup());

const BLOCKED: string[] = [
  'sort -o .env notes.txt', 'sort notes.txt --output=.git/config', 'uniq notes.txt .env', 'shuf -o .env notes.txt',
  'split notes.txt .git/hooks/x', 'csplit -f .git/x notes.txt /a/', 'mkfifo .env', 'mktemp ~/.ssh/tmp.XXXX',
  'gzip .env', 'gzip -r .git', 'bzip2 .env', 'xz -z .env', 'gunzip .env.gz', 'zstd --rm .env', 'zip -m out.zip .env', 'zip -r -m out.zip .git',
  'tar --remove-files -cf out.tar .env', 'rsync -a --delete src/ .git/', 'rsync --remove-source-files .env /tmp/x',
  'wget -P ~/.ssh https://example.com/k', 'curl -O --output-dir .git https://example.com/config', 'curl -o .env https://example.com/x',
  'curl -O https://example.com/.env', 'wget https://example.com/.env',
  'ssh-keygen -t ed25519 -f ~/.ssh/id_new -N ""', 'ssh-keygen -t ed25519 -N ""', 'openssl genrsa -out k.pem 2048', 'openssl req -new -keyout ~/.ssh/k -out x.csr',
  'gpg -o .env -d secret.gpg', 'gpg -c .env.local', 'age -o .env -d x.age',
  'npm config set registry https://x', 'npm login', 'pnpm config set x y', 'docker login -u x', 'aws configure', 'kubectl config use-context x', 'vim .env', 'nano ~/.ssh/config', 'code .git/config', 'emacs ~/.bashrc', 'xxd -r dump .env', 'iconv -f utf8 -t ascii -o .env notes.txt',
  'dos2unix .env', 'sponge .env', 'prettier --write .env', 'eslint --fix .git/x.js', 'black .env', 'yq -i .a=1 .git/config', 'sed -i s/a/b/ .env',
  'frobnicate .env', 'frob --config=.git/config', './script.sh ~/.ssh/id_ed25519', 'npx some-tool .env',
  'frob out=.env', 'frob dir=.git', 'frob of=~/.ssh/authorized_keys',
  // Package scripts get the arguments after the script name: they may write them.
  'npm run build -- --out .env', 'npm test -- .git/config', 'npm run-script gen ~/.ssh/config', 'yarn build --out .env', 'yarn run gen .env',
  'pnpm gen .git/config', 'pnpm run gen -- .env',
  // `python3 tool.py .env`, `node x.js ~/.bashrc`: interpreter scripts are read (test/lib/targets/interp).
  'sqlite3 .env "select 1"', 'docker cp ctr:/x .env', 'scp host:x .env',
];

const ALLOWED: string[] = [
  'cat .env', 'grep KEY .env', 'wc -l .env', 'diff .env .env.example', 'sort .env', 'uniq .env', 'head -n1 .env', 'sha256sum .env',
  'gzip -c .env > /tmp/x.gz', 'gzip -k notes.txt', 'zip out.zip notes.txt', 'ls -la .git', 'du -sh .git', 'stat .env', 'file .env',
  'ssh-keygen -lf ~/.ssh/id_ed25519', 'ssh-keygen -y -f ~/.ssh/id_ed25519', 'openssl x509 -in cert.pem -noout -text', 'gpg --verify x.sig',
  'npm config get registry', 'npm install', 'npm run build', 'pip install -r requirements.txt', 'git config user.name',
  'vim src/a.ts', 'code .', 'prettier --check .env', 'black --check .', 'eslint .', 'jq .name package.json',
  'frobnicate src/a.ts', 'frob .', 'frob out=dist/x.js', 'npm run build -- --out dist', 'yarn build', 'yarn add -D vitest', 'pnpm install', 'docker compose --env-file .env up -d', 'kubectl apply -f k8s.yaml', 'mkfifo /tmp/p',
];

describe('commands known as data, and unknown commands: blocked', () => {
  for (const c of BLOCKED) it(c, () => assert.notEqual(g.check(c).decision, 'allow', JSON.stringify(g.check(c).targets)));
});
describe('commands known as data, and unknown commands: allowed', () => {
  for (const c of ALLOWED) it(c, () => assert.equal(g.check(c).decision, 'allow', g.check(c).reason));
});

describe('config commands write the user config file (protected or not by the rules)', () => {
  const cases: [string, string][] = [
    ['yarn config set x y', '.yarnrc'], ['pip config set global.index-url https://x', '.config/pip/pip.conf'],
    ['git config --global user.name x', '.gitconfig'], ['gh auth login', '.config/gh/hosts.yml'], ['cargo login', '.cargo/credentials.toml'],
    ['npm config set x y', '.npmrc'], ['go env -w GOPROXY=x', '.config/go/env'], ['conda config --set x y', '.condarc'],
  ];
  for (const [c, file] of cases) {
    it(c, () => assert.ok(g.check(c).targets.some((t) => t.op === 'write' && t.path === path.join(g.home, file)), JSON.stringify(g.check(c).targets)));
  }
});

describe('the reason names the command the guard did not know, and only that', () => {
  it('frobnicate .env', () => {
    const v = g.check('frobnicate .env');
    assert.equal(v.decision, 'deny');
    assert.match(v.reason ?? '', /^blocked write to \.env by frobnicate, whose effect on it the guard does not know \(rule secrets\)/);
    assert.equal(v.target?.unknownCommand, 'frobnicate');
  });
  it('an unprotected operand of an unknown command is not unresolved and not blocked', () => {
    const v = g.check('frobnicate "$X" src');
    assert.equal(v.decision, 'allow');
  });
});

describe('unknownCommands setting', () => {
  const withConfig = (user: object, project?: object): ReturnType<typeof loadConfig> => loadWith(g, user, project);
  const decide = (config: ReturnType<typeof loadConfig>, command: string) => decideWith(g, config, command);
  after(() => {
    fs.writeFileSync(path.join(g.home, '.config/hookwarden/config.json'), '{}\n');
    fs.rmSync(path.join(g.project, '.hookwarden'), { recursive: true, force: true });
  });
  it('default deny', () => assert.equal(withConfig({}).unknownCommands, 'deny'));
  it('ask from the user layer asks', () => assert.equal(decide(withConfig({ unknownCommands: 'ask' }), 'frob .env').decision, 'ask'));
  it('allow from the user layer allows, a known writer is still blocked', () => {
    const c = withConfig({ unknownCommands: 'allow' });
    assert.equal(decide(c, 'frob .env').decision, 'allow');
    assert.equal(decide(c, 'sort -o .env x').decision, 'deny');
  });
  it('a project layer cannot relax it', () => {
    const c = withConfig({}, { unknownCommands: 'allow' });
    assert.equal(c.unknownCommands, 'deny');
    assert.ok(c.warnings.some((w) => w.includes('unknownCommands')));
    assert.equal(decide(c, 'frob .env').decision, 'deny');
  });
  it('a recursive copy reads what is beneath its source: allowed, but blocked by the opt-in secrets-read preset', () => {
    assert.equal(decide(withConfig({}), 'cp -r . /tmp/hw-snap-x').decision, 'allow');
    const c = withConfig({ presets: { 'secrets-read': true } });
    const v = decide(c, 'cp -r . /tmp/hw-snap-x');
    assert.equal(v.decision, 'deny');
    assert.match(v.reason ?? '', /read of .*which holds/);
    assert.equal(decide(c, 'tar -czf /tmp/x.tgz .').decision, 'deny');
    assert.equal(decide(c, 'cp -r src /tmp/hw-snap-x').decision, 'allow');
  });
  it('a project layer may tighten ask to deny', () => {
    assert.equal(withConfig({ unknownCommands: 'ask' }, { unknownCommands: 'deny' }).unknownCommands, 'deny');
  });
});
