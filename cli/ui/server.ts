// The web console's HTTP server: loopback by default, a random token per start (in the printed
// URL once, then an HttpOnly SameSite=Strict cookie), and nothing for a request whose Host or
// Origin is not this server (DNS rebinding, another site in the same browser). The page is static
// files from assets/; everything it shows comes from /api as JSON and is put in the page as text.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { TrailIndex } from './index-db.js';
import { openRegular } from './lines.js';
import { followAudit } from '../support/audit-follow.js';
import { charts, escalations, facets, sessionFilterOf, integrity, sessionRecords, sessions } from './queries.js';
import type { CheckOutput } from '../support/outputs.js';

export interface TesterInput { command?: string; write?: string; cwd: string; agent: 'codex' | 'claude' }

export interface UiOptions {
  host: string;
  port: number;
  /** Audit files (file sinks), each read with its rotated predecessors. */
  files: string[];
  /** How many of `files` (the first ones) give records; the rest are only verified. Default: all. */
  recordFiles?: number;
  /** Where the index lives (undefined: in memory). */
  indexPath?: string;
  /** The rule tester: `hookwarden check`'s own decision. */
  check: (input: TesterInput) => CheckOutput;
  /** Folder of index.html, app.js, app.css. */
  assets: string;
  pollMs?: number;
  /** false: the files interleave several writers' chains (a copy of the team store); see TrailIndex.open. */
  linked?: boolean;
  /** The integrity view's answer when the files are not the trail itself (the team store's check). */
  integrity?: () => Promise<IntegrityReport>;
}

export type IntegrityReport = Awaited<ReturnType<typeof integrity>>;

export interface UiServer {
  url: string;
  token: string;
  port: number;
  /** The secret path the console lives under (`/<random>/`), which scopes its cookie. */
  base: string;
  index: TrailIndex;
  /**
   * A URL for the browser opener: its token works once (traded for the cookie), then never again.
   * The opener's command line (xdg-open, the browser) is readable by every local user in /proc.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

/** How long a one-time launch token stays good when nobody uses it. */
const LAUNCH_TTL_MS = 120_000;

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const ASSETS = new Set(['index.html', 'app.js', 'app.css']);
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function cookieOf(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export async function startUi(o: UiOptions): Promise<UiServer> {
  const token = randomBytes(24).toString('base64url');
  // Browsers send a cookie to every port of a host: one set for 127.0.0.1 would also go to a
  // server another local user runs on another loopback port. The cookie's Path is a secret folder
  // instead, which only this console's own pages ask for.
  const base = `/${randomBytes(18).toString('base64url')}/`;
  const index = await TrailIndex.open(o.indexPath, o.files, o.recordFiles, o.linked ?? true);
  const clients = new Set<http.ServerResponse>();
  // The live view follows the files as `tail --follow` does (the same code), apart from the index:
  // a record reaches the page within one poll, however busy the index is.
  const follow = new AbortController();
  const following = o.files.slice(0, o.recordFiles ?? o.files.length).map((file) => {
    const opened = openRegular(file);
    const start = 'fd' in opened ? { file, fd: opened.fd, offset: opened.stat.size } : { file, offset: 0 };
    return followAudit(start, {
      filter: {},
      signal: follow.signal,
      intervalMs: o.pollMs ?? 200,
      onEntry: (e) => {
        const data = `event: records\ndata: ${JSON.stringify([{ ...e.rec, _file: file }])}\n\n`;
        for (const c of clients) c.write(data);
      },
    }).catch(() => undefined);
  });
  const server = http.createServer();
  let port = 0;
  let cookieName = 'hookwarden_ui';
  /** One-time launch tokens and when each stops working. */
  const launches = new Map<string, number>();
  const takeLaunch = (given: string): boolean => {
    const now = Date.now();
    for (const [t, until] of launches) {
      if (until < now) launches.delete(t);
      else if (sameSecret(given, t)) {
        launches.delete(t);
        return true;
      }
    }
    return false;
  };

  const allowedHosts = (): Set<string> => {
    const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
    hosts.add(`${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`);
    return hosts;
  };

  const send = (res: http.ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8', extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, ...extra });
    res.end(body);
  };
  const json = (res: http.ServerResponse, status: number, value: unknown): void => send(res, status, JSON.stringify(value));

  /** Refuses what is not this console's own page asking: returns the status to answer, or 0. */
  const refusal = (req: http.IncomingMessage, url: URL): number => {
    const hosts = allowedHosts();
    if (!req.headers.host || !hosts.has(req.headers.host.toLowerCase())) return 403; // DNS rebinding: a foreign name pointing here
    const origin = req.headers.origin;
    if (origin !== undefined && !(origin.startsWith('http://') && hosts.has(origin.slice(7).toLowerCase()))) return 403;
    if (req.headers['sec-fetch-site'] === 'cross-site') return 403;
    // The token in the URL first: a cookie left by an earlier console on the same port is stale.
    const inUrl = url.searchParams.get('token');
    if (inUrl !== null) return sameSecret(inUrl, token) || takeLaunch(inUrl) ? 0 : 401;
    const given = cookieOf(req, cookieName);
    if (given === undefined || !sameSecret(given, token)) return 401;
    return 0;
  };

  const inFlight = new Set<Promise<unknown>>();
  server.on('request', (req, res) => {
    const handling = (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const status = refusal(req, url);
      if (status !== 0) return send(res, status, status === 401 ? 'hookwarden ui: open the URL printed at start (it carries the token)\n' : 'hookwarden ui: refused (foreign Host or Origin)\n', 'text/plain; charset=utf-8');
      if (url.searchParams.has('token')) {
        // Trade the token in the URL for a cookie, and drop it from the address bar and history.
        return send(res, 303, '', 'text/plain', { Location: base, 'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=${base}` });
      }
      if (!url.pathname.startsWith(base)) return send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
      const p = `/${url.pathname.slice(base.length)}`;
      if (req.method === 'GET' && (p === '/' || ASSETS.has(p.slice(1)))) {
        const name = p === '/' ? 'index.html' : p.slice(1);
        return send(res, 200, fs.readFileSync(path.join(o.assets, name), 'utf8'), MIME[path.extname(name)]);
      }
      if (!p.startsWith('/api/')) return send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
      if (p === '/api/check') {
        if (req.method !== 'POST' || !/^application\/json\b/.test(req.headers['content-type'] ?? '')) return json(res, 405, { error: 'POST application/json' });
        const body = await readBody(req, 64 * 1024);
        return json(res, 200, tester(o.check, body));
      }
      if (req.method !== 'GET') return json(res, 405, { error: 'GET only' });
      const started = performance.now();
      const reply = (value: unknown): void => {
        res.setHeader('Server-Timing', `q;dur=${(performance.now() - started).toFixed(1)}`);
        json(res, 200, value);
      };
      switch (p) {
        case '/api/status': return reply({ building: index.building, index: index.where });
        case '/api/sessions': return reply(await sessions(index, sessionFilterOf(url.searchParams)));
        case '/api/session': return reply(await sessionRecords(index, url.searchParams.get('id') ?? ''));
        case '/api/escalations': return reply(await escalations(index));
        case '/api/integrity': return reply(await (o.integrity ? o.integrity() : integrity(index)));
        case '/api/charts': return reply(await charts(index, sessionFilterOf(url.searchParams)));
        case '/api/facets': return reply(await facets(index));
        case '/api/live': {
          res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
          res.write(': hookwarden\n\n');
          clients.add(res);
          req.on('close', () => clients.delete(res));
          return undefined;
        }
        default: return json(res, 404, { error: 'no such endpoint' });
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
      else res.end();
    });
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  });

  // Polling, not fs.watch: rotation renames the file, and a poll sees every file the same way.
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  const poll = async (): Promise<void> => {
    try {
      await index.update();
    } catch (err) {
      process.stderr.write(`hookwarden ui: indexing failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    if (!stopped) timer = setTimeout(() => void (polling = poll()), o.pollMs ?? 250);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  cookieName = `hookwarden_ui_${port}`; // one cookie per console: two consoles on two ports do not clobber each other
  polling = poll();
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    port,
    base,
    index,
    launchUrl: () => {
      const once = randomBytes(24).toString('base64url');
      launches.set(once, Date.now() + LAUNCH_TTL_MS);
      return `http://${shownHost}:${port}/?token=${once}`;
    },
    close: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const c of clients) c.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // DuckDB must not be closed under a running statement (the native side would crash).
      follow.abort();
      await Promise.allSettled([polling, ...inFlight, ...following]);
      index.close();
    },
  };
}

function readBody(req: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > max) {
        req.destroy();
        reject(new Error('request too large'));
      } else parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** The rule tester's request: one command or one path, an agent, a project folder. */
function tester(check: UiOptions['check'], body: string): unknown {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { error: 'the request is not JSON' };
  }
  const agent = v.agent === 'claude' ? 'claude' : 'codex';
  const cwd = typeof v.cwd === 'string' && path.isAbsolute(v.cwd) ? v.cwd : undefined;
  if (!cwd) return { error: 'the project folder must be an absolute path' };
  const kind = v.kind === 'path' ? 'write' : 'command';
  const text = typeof v.text === 'string' ? v.text : '';
  if (text === '') return { error: 'type a command or a path' };
  try {
    return check({ [kind]: text, cwd, agent });
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
