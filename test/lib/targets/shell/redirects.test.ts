import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runner, show, target, tree, U } from './helpers.js';

const { cwd, home } = tree();
const run = runner(cwd, home);
const T = target(cwd);

describe('shell redirections', () => {
  const cases: [string, ReturnType<typeof T>[]][] = [
    ['echo x > .env', [T('write', '.env', 'redirect >')]],
    ['echo x >> .env', [T('write', '.env', 'redirect >>')]],
    ['echo x >| .env', [T('write', '.env', 'redirect >|')]],
    ['echo x &> .env', [T('write', '.env', 'redirect &>')]],
    ['echo x &>> .env', [T('write', '.env', 'redirect &>>')]],
    ['echo x 2> .env', [T('write', '.env', 'redirect 2>')]],
    ['exec 3> .env', [T('write', '.env', 'redirect 3>')]],
    ['cat 3<> .env', [T('write', '.env', 'redirect 3<>')]],
    ['cat <> .env', [T('write', '.env', 'redirect <>')]],
    ['echo x >& .env', [T('write', '.env', 'redirect >&')]],
    ['echo x >&.env', [T('write', '.env', 'redirect >&')]],
    ['> .env', [T('write', '.env', 'redirect >')]],
    ['{ echo a; echo b; } > .env', [T('write', '.env', 'redirect >')]],
    ['while read l; do :; done < in > .env', [T('write', '.env', 'redirect >')]],
    ['echo x > ~/.ssh/authorized_keys', [T('write', `${home}/.ssh/authorized_keys`, 'redirect >', { literal: '~/.ssh/authorized_keys' })]],
    ['echo x > "$HOME/.npmrc"', [T('write', `${home}/.npmrc`, 'redirect >', { literal: '"$HOME/.npmrc"' })]],
    ['echo x > $OUT', [T('write', U, 'redirect >', { literal: '$OUT', unresolved: true, given: true })]],
    ['echo x >& $FD', [T('write', U, 'redirect >&', { literal: '$FD', unresolved: true, given: true })]],
    ['echo x > src/a.ts 2> .env', [T('write', 'src/a.ts', 'redirect >'), T('write', '.env', 'redirect 2>')]],
    // Not files: descriptors and the standard device names.
    ['echo x 2>&1', []],
    ['echo x >&2', []],
    ['echo x 1>&2', []],
    ['echo x 2>&-', []],
    ['echo x > /dev/null 2>&1', []],
    ['echo x 2>/dev/null', []],
    ['echo x > /dev/stdout', []],
    ['echo x > /dev/stderr', []],
    ['echo x > /dev/fd/3', []],
    ['cat < .env', []],
    ['cat <<< "x" > out.txt', [T('write', 'out.txt', 'redirect >')]],
  ];
  for (const [cmd, want] of cases) {
    it(cmd, () => assert.deepEqual(run(cmd), want, show(run(cmd))));
  }
});

describe('input redirections are reads, reported only on request', () => {
  const cases: [string, ReturnType<typeof T>[]][] = [
    ['cat < .env', [T('read', '.env', 'redirect <')]],
    ['wc -l 0< .env', [T('read', '.env', 'redirect 0<')]],
    ['sort < ~/.aws/credentials', [T('read', `${home}/.aws/credentials`, 'redirect <', { literal: '~/.aws/credentials' })]],
    ['echo x < /dev/null', []],
  ];
  for (const [cmd, want] of cases) {
    it(cmd, () => {
      assert.deepEqual(run(cmd, { reads: true }), want);
      assert.deepEqual(run(cmd), []);
    });
  }
});

describe('heredocs', () => {
  it('a quoted heredoc body is data, not commands', () => {
    for (const d of ["'EOF'", '"EOF"', '\\EOF']) {
      assert.deepEqual(run(`cat <<${d}\n$(rm .env)\n\`rm .env\`\nEOF`), [], d);
    }
  });
  it('command substitutions in an unquoted heredoc body run', () => {
    assert.deepEqual(run('cat <<EOF\nx $(rm .env) y\nEOF'), [T('delete', '.env', 'rm')]);
    assert.deepEqual(run('cat <<-EOF\n\t`rm .env`\n\tEOF'), [T('delete', '.env', 'rm')]);
  });
  it('an escaped $ in an unquoted heredoc is literal text', () => {
    assert.deepEqual(run('cat <<EOF\n\\$(rm .env)\nEOF'), []);
  });
  it('a heredoc on another descriptor is not standard input', () => {
    assert.deepEqual(run('bash 3<<EOF\nrm .env\nEOF'), []);
  });
});
