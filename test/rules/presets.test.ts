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
    '/etc/zshenv', '/etc/zsh/zshenv', '/etc/zsh/zprofile',
    // The daemon answers for the guard: its memory is not written through /proc.
    '/proc/*/mem', '/proc/*/task/*/mem'] },
  'secrets-read': { enabled: false, ops: ['read'], paths: SECRETS },
  'git-destructive': { enabled: true, ops: [], paths: [] },
  'fs-destructive': { enabled: true, ops: ['write', 'delete', 'move'], paths: ["/dev/sd*", "/dev/hd*", "/dev/vd*", "/dev/xvd*", "/dev/nvme*", "/dev/mmcblk*", "/dev/md*", "/dev/dm-*", "/dev/mapper/*", "/dev/disk*", "/dev/disk/**", "/dev/rdisk*", "/dev/loop*", "/dev/sr*", "/dev/nbd*"] },
  'remote-code': { enabled: true, ops: [], paths: [] },
  databases: { enabled: true, ops: [], paths: [] },
  infrastructure: { enabled: true, ops: [], paths: [] },
};

// The command rules of the destructive-action presets (issue 15), by id; their behaviour is in
// test/lib/commands/presets.test.ts.
const COMMANDS: Record<string, string[]> = {
  'git-destructive': [
    'git.reset-hard',
    'git.checkout-paths',
    'git.checkout-dot',
    'git.checkout-force',
    'git.checkout-tree-paths',
    'git.checkout-existing-path',
    'git.checkout-pathspec-file',
    'git.switch-discard',
    'git.restore-worktree',
    'git.restore-staged-worktree',
    'git.checkout-index-force',
    'git.read-tree-reset',
    'git.worktree-remove-force',
    'git.clean-force',
    'git.push-force',
    'git.push-plus-refspec',
    'git.push-mirror',
    'git.push-delete',
    'git.push-colon-refspec',
    'git.branch-force-delete',
    'git.branch-delete-force',
    'git.stash-drop',
    'git.reflog-expire',
    'git.gc-prune-now',
    'git.prune',
    'git.filter-history',
    'git.filter-repo-command',
    'git.update-ref-delete',
    'git.hosted-repo-delete'
  ],
  'fs-destructive': [
    'fs.rm-recursive',
    'fs.find-delete',
    'fs.find-delete-project',
    'fs.rsync-delete',
    'fs.shred-recursive',
    'fs.shred-device',
    'fs.mkfs',
    'fs.wipefs',
    'fs.dd-device',
    'fs.chmod-recursive',
    'fs.fork-bomb'
  ],
  'remote-code': [
    'remote.pipe-to-interpreter'
  ],
  'databases': [
    'db.psql',
    'db.mysql',
    'db.sqlite',
    'db.clickhouse',
    'db.clickhouse-tool',
    'db.mongosh',
    'db.dropdb',
    'db.mysqladmin-drop',
    'db.rails-drop',
    'db.artisan-wipe',
    'db.prisma-reset',
    'db.prisma-force-reset',
    'db.django-flush',
    'db.sequelize-drop',
    'db.ecto-drop',
    'db.dotnet-ef-drop',
    'db.alembic-base',
    'db.redis-flush'
  ],
  'infrastructure': [
    'infra.terraform-destroy',
    'infra.terraform-apply-destroy',
    'infra.terragrunt-destroy',
    'infra.terragrunt-apply-destroy',
    'infra.pulumi-destroy',
    'infra.pulumi-stack-rm',
    'infra.cdk-destroy',
    'infra.kubectl-delete-all',
    'infra.kubectl-delete-cluster-objects',
    'infra.helm-uninstall',
    'infra.aws-s3-rm',
    'infra.aws-s3-rb',
    'infra.gcloud-storage-rm',
    'infra.gsutil-rm',
    'infra.aws-ec2-terminate',
    'infra.aws-rds-delete',
    'infra.aws-cloudformation-delete',
    'infra.aws-delete-data',
    'infra.gcloud-delete',
    'infra.az-group-delete',
    'infra.az-delete',
    'infra.docker-system-prune',
    'infra.docker-volume-delete',
    'infra.compose-down-volumes',
    'infra.docker-compose-down-volumes',
    'infra.podman-system-reset'
  ]
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

  it('command rules: the expected ids, locked, deny, with a reason that does not say how to get around them', () => {
    for (const n of PRESET_NAMES) {
      const cmds = PRESETS[n].commands ?? [];
      assert.deepEqual(cmds.map((c) => c.id), COMMANDS[n] ?? (n === 'self' ? ['self.grant', 'self.grant-cli', 'self.register', 'self.register-cli', 'self.package', 'self.package-yarn', 'self.nested-codex', 'self.nested-claude', 'self.nested-codex-npx', 'self.nested-claude-npx'] : []), n);
      for (const c of cmds) {
        assert.equal(c.locked, true, c.id);
        assert.equal(c.effect, 'deny', c.id);
        assert.ok(c.reason && c.reason.length > 10, c.id);
        assert.doesNotMatch(c.reason, /\b(config|disable|instead|try|use|rename|copy|bypass|HOOKWARDEN|preset)\b/i, c.id);
      }
    }
    const ids = PRESET_NAMES.flatMap((n) => (PRESETS[n].commands ?? []).map((r) => r.id));
    assert.equal(new Set(ids).size, ids.length);
  });

  it('use ids unique across presets', () => {
    const ids = PRESET_NAMES.flatMap((n) => PRESETS[n].rules.map((r) => r.id));
    assert.equal(new Set(ids).size, ids.length);
  });
});
