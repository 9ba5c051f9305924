// Commands run inside a container (`docker run IMG sh -c '…'`, `docker exec C rm -rf /app`,
// `podman`, `docker compose run|exec`, `kubectl exec POD -- …`) act on the container: their
// commands are judged by the command rules, but a path operand counts as a host path only
// beneath a mount the command line shows (`-v host:ctr`, `--mount type=bind,src=…,dst=…`).
import path from 'node:path';
import type { Budget } from '../types.js';
import { U, type Arg } from '../targets/shell/context.js';
import { shellTargets } from '../targets/shell/index.js';
import { isShell } from '../targets/shell/nested.js';
import type { SeenCommand } from '../targets/shell/seen.js';

export interface ContainerView {
  /** [host, container] folder pairs. */
  mounts: [string, string][];
}

/** Options of `docker|podman run|exec|create` that take a value (the word after is not the image). */
const VALUES = new Set([
  '-v', '--volume', '--mount', '-e', '--env', '--env-file', '-w', '--workdir', '--name', '-p', '--publish', '--network', '--net',
  '-u', '--user', '--entrypoint', '-m', '--memory', '-l', '--label', '--label-file', '--platform', '--cpus', '-h', '--hostname',
  '--device', '--add-host', '--cap-add', '--cap-drop', '--security-opt', '--tmpfs', '--ulimit', '--restart', '--pull', '--gpus',
  '--volumes-from', '--log-driver', '--log-opt', '--dns', '--ipc', '--pid', '--shm-size', '--cidfile', '--expose', '--group-add',
  '--runtime', '--stop-signal', '--stop-timeout', '--health-cmd', '--userns', '--uts', '--detach-keys', '-a', '--attach', '-c',
  '--cpu-shares', '--cpuset-cpus', '--memory-swap', '--network-alias', '--ip', '--mac-address', '--sysctl', '--storage-opt',
  '--isolation', '--cgroupns', '--cgroup-parent', '--init-path', '--env-host', '--arch', '--os', '--variant',
  '--index', '-T', '--service-ports',
]);
const COMPOSE_VALUES = new Set(['-f', '--file', '-p', '--project-name', '--profile', '--env-file', '--project-directory', '--ansi', '--progress', '--parallel']);

export interface Inner { argv: Arg[]; workdir: string; view: ContainerView }

const arg = (text: string): Arg => ({ text, literal: text });

/** The command a container command runs inside, when it is one. */
export function containerCommand(cmd: SeenCommand, hostCwd: string): Inner | undefined {
  const w = cmd.args.map((a) => a.text);
  let i = 0;
  if (cmd.name === 'kubectl' || cmd.name === 'oc') {
    const at = w.indexOf('exec');
    const sep = w.indexOf('--');
    if (at < 0 || sep < at) return undefined;
    return { argv: cmd.args.slice(sep + 1), workdir: '/', view: { mounts: [] } };
  }
  const compose = cmd.name === 'docker-compose' || cmd.name === 'podman-compose';
  if (cmd.name !== 'docker' && cmd.name !== 'podman' && cmd.name !== 'nerdctl' && !compose) return undefined;
  // Global options (`docker --context x`, `-H host`) before the subcommand.
  if (!compose) while (i < w.length && w[i]!.startsWith('-')) i += w[i]!.includes('=') || !['--context', '-c', '-H', '--host', '--config', '-l', '--log-level'].includes(w[i]!) ? 1 : 2;
  if (w[i] === 'container') i++;
  else if (compose) {
    while (i < w.length && w[i]!.startsWith('-')) i += w[i]!.includes('=') || !COMPOSE_VALUES.has(w[i]!) ? 1 : 2;
  } else if (w[i] === 'compose') {
    i++;
    while (i < w.length && w[i]!.startsWith('-')) i += w[i]!.includes('=') || !COMPOSE_VALUES.has(w[i]!) ? 1 : 2;
  }
  const sub = w[i];
  if (sub !== 'run' && sub !== 'exec' && sub !== 'create') return undefined;
  i++;
  const view: ContainerView = { mounts: [] };
  let workdir = '/';
  for (; i < w.length; i++) {
    const t = w[i]!;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-') || t === '-') break;
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq) : t;
    let value: string | undefined;
    if (eq > 0 && name.startsWith('--')) value = t.slice(eq + 1);
    else if (VALUES.has(name)) value = w[++i];
    else if (/^-[a-zA-Z]{2,}$/.test(t) && VALUES.has(`-${t.at(-1)}`)) value = w[++i]; // `-itv src:dst`
    if (value === undefined) continue;
    if (name === '-v' || name === '--volume' || /^-[a-zA-Z]+v$/.test(name)) {
      const [host, ctr] = value.split(':');
      if (host && ctr && (host.startsWith('/') || host.startsWith('.') || host.startsWith('~'))) view.mounts.push([path.posix.resolve(hostCwd, host), ctr]);
    } else if (name === '--mount') {
      const kv = Object.fromEntries(value.split(',').map((p) => [p.split('=')[0], p.split('=').slice(1).join('=')]));
      const src = kv.source ?? kv.src;
      const dst = kv.target ?? kv.destination ?? kv.dst;
      if (src && dst && kv.type !== 'volume') view.mounts.push([path.posix.resolve(hostCwd, src), dst]);
    } else if (name === '-w' || name === '--workdir') workdir = value;
  }
  // The image (run, create), the container (exec) or the service (compose run|exec): one word, then the command.
  i += 1;
  const argv = cmd.args.slice(i);
  return argv.length > 0 ? { argv, workdir, view } : undefined;
}

/**
 * The commands the container runs, as the walk would find them on the host: a shell with `-c`
 * is analyzed as shell text (its targets are dropped: they are the container's files).
 */
export function innerCommands(inner: Inner, budget: Budget, maxDepth: number): SeenCommand[] {
  const [first, ...rest] = inner.argv;
  if (!first || first.text.includes(U)) return [];
  const name = path.posix.basename(first.text);
  const script = isShell(name) ? shellScript(rest) : undefined;
  if (script !== undefined) {
    const seen: SeenCommand[] = [];
    shellTargets(script, { cwd: inner.workdir, home: '/root', env: {}, budget, maxDepth, walkEntries: 1000, commands: seen });
    return seen;
  }
  return [{ name, args: rest, cwd: inner.workdir, depth: 1, stdin: undefined }];
}

function shellScript(rest: Arg[]): string | undefined {
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i]!.text;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(t)) return rest[i + 1]?.text;
    if (!t.startsWith('-')) return undefined;
  }
  return undefined;
}

/** A container path as the host path behind a visible mount, or undefined (the container's own file). */
export function hostPathOf(p: string, view: ContainerView): string | undefined {
  for (const [host, ctr] of view.mounts) {
    const c = ctr.replace(/\/+$/, '') || '/';
    if (p === c) return host;
    if (p.startsWith(c === '/' ? '/' : `${c}/`)) return path.posix.join(host, p.slice(c.length));
  }
  return undefined;
}

export { arg as literalArg };
