// Property: putting a command behind wrappers and runners (one or two deep, any of them) never
// changes which command rule decides it, for destructive commands and their look-alikes alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandSandbox } from '../../helpers/commands.js';

const sb = commandSandbox();

const RUNNERS = [
  'sudo', 'sudo -u deploy', 'env X=1', 'nice -n 5', 'timeout 10', 'nohup', 'time', 'stdbuf -o0', 'setsid', 'taskset 3', 'unbuffer', 'caffeinate -i',
  'strace -f -o /tmp/t', 'proxychains4', 'torsocks', 'chrt 5', 'xvfb-run -a', 'tsp', 'some-unknown-tool', 'npx', 'poetry run', 'bundle exec', 'screen -dm',
  'watch -n 1', 'script -q -c', 'bash -c', 'sh -c', 'eval',
];
/** Runners that take the command as one word of shell text. */
const ONE_WORD = new Set(['script -q -c', 'bash -c', 'sh -c', 'eval']);

const COMMANDS = [
  'git push -f origin main', 'git reset --hard', 'terraform destroy -auto-approve', 'kubectl delete ns prod', 'dropdb app', 'helm uninstall web',
  "psql -c 'DROP TABLE users'", 'git push origin main', 'terraform plan', 'kubectl get ns', "psql -c 'SELECT 1'", 'git status', 'helm list',
];

const quote = (s: string): string => `'${s.split("'").join("'\\''")}'`;
const wrap = (runner: string, cmd: string): string => (ONE_WORD.has(runner) ? `${runner} ${quote(cmd)}` : `${runner} ${cmd}`);

describe('runners never change the deciding command rule', () => {
  const alone = new Map(COMMANDS.map((c) => [c, sb.commandRule(c)]));
  it('the table holds both blocked and allowed commands', () => {
    assert.ok([...alone.values()].some((r) => r !== undefined));
    assert.ok([...alone.values()].some((r) => r === undefined));
  });
  it('one or two runners deep', () => {
    fc.assert(fc.property(fc.constantFrom(...COMMANDS), fc.array(fc.constantFrom(...RUNNERS), { minLength: 1, maxLength: 2 }), (cmd, runners) => {
      const text = runners.reduceRight((inner, r) => wrap(r, inner), cmd);
      assert.equal(sb.commandRule(text), alone.get(cmd), text);
    }), { numRuns: 250 });
  });
});
