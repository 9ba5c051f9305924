// hookwarden web console. Plain DOM, no framework. Every value from the trail goes into the page
// as text (textContent, attribute values), never as markup: a record is data a hostile repository
// or agent may have shaped.
'use strict';

const $view = document.getElementById('view');
const state = { filter: {}, live: [], facets: null };

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, String(v));
  }
  for (const k of kids.flat()) if (k !== undefined && k !== null && k !== false) e.append(k instanceof Node ? k : String(k));
  return e;
}

// Paths are relative: the console lives under a secret folder that scopes its cookie (server.ts).
async function api(path, init) {
  const res = await fetch(path, { credentials: 'same-origin', ...init });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

const fmt = (t) => (t === null || t === undefined ? '' : new Date(Number(t)).toISOString().replace('T', ' ').slice(0, 19));
const short = (id) => (id ? `${String(id).slice(0, 8)}…` : '');
const pill = (d) => (d ? el('span', { class: `pill ${d}` }, d) : '');
const num = (n) => el('td', { class: `n${Number(n) > 0 ? ' nz' : ''}` }, String(n ?? 0));
const json = (v) => JSON.stringify(v, null, 2);

// ---- integrity badge (every page) ----
async function badge() {
  const b = document.getElementById('badge');
  try {
    const r = await api('api/integrity');
    b.className = `badge ${r.ok ? 'ok' : 'bad'}`;
    b.textContent = r.ok ? 'intact' : r.summary;
    b.title = r.summary;
  } catch (err) {
    b.className = 'badge bad';
    b.textContent = String(err.message || err);
  }
}

// ---- sessions ----
async function facets() {
  state.facets ??= await api('api/facets');
  return state.facets;
}

function filterForm(onChange) {
  const f = state.filter;
  const choice = (name, label, values) => el('label', {}, label, el('select', { name }, el('option', { value: '' }, 'any'),
    values.map((v) => el('option', { value: v, selected: f[name] === v }, v))));
  const text = (name, label, ph) => el('label', {}, label, el('input', { name, value: f[name] || '', placeholder: ph || '' }));
  const when = (name, label) => el('label', {}, label, el('input', { name, type: 'datetime-local', value: f[name] || '' }));
  const form = el('form', { class: 'filters', id: 'filters' });
  facets().then((fc) => {
    form.append(
      choice('agent', 'agent', ['codex', 'claude']),
      choice('project', 'project', fc.project),
      choice('decision', 'decision', ['deny', 'ask', 'allow']),
      choice('rule', 'rule', fc.rule),
      text('tool', 'tool', 'Bash, mcp__fs__*'),
      when('from', 'from'), when('to', 'to'),
      text('q', 'search', 'text in ids, paths, reasons, input'),
      el('button', { type: 'submit' }, 'Apply'),
      el('button', { type: 'button', on: { click: () => { state.filter = {}; onChange(); } } }, 'Clear'),
    );
  });
  form.addEventListener('change', (e) => { if (e.target.tagName === 'SELECT') form.requestSubmit(); });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filter = Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));
    onChange();
  });
  return form;
}

function query() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filter)) p.set(k, (k === 'from' || k === 'to') ? String(Date.parse(`${v}Z`)) : v);
  return p.toString();
}

async function viewSessions() {
  const body = el('tbody');
  const info = el('p', { class: 'muted' });
  const render = async () => {
    $view.replaceChildren(el('h1', {}, 'Sessions'), filterForm(render), info, el('table', { id: 'sessions' },
      el('thead', {}, el('tr', {}, ['session', 'agent', 'project', 'first (UTC)', 'last (UTC)', 'calls', 'blocks', 'asks', 'errors', 'escalations'].map((h) => el('th', {}, h)))), body));
    const st = await api('api/status');
    const rows = await api(`api/sessions?${query()}`);
    info.textContent = `${rows.length} session${rows.length === 1 ? '' : 's'}${rows.length >= 500 ? ' (newest 500)' : ''}${st.building ? ' · indexing…' : ''}`;
    body.replaceChildren(...rows.map((s) => el('tr', { class: 'click', 'data-session': s.session, on: { click: () => { location.hash = `#/session/${encodeURIComponent(s.session)}`; } } },
      el('td', { class: 'mono', title: s.session }, short(s.session)), el('td', {}, s.agent), el('td', { class: 'mono' }, s.project ?? ''),
      el('td', {}, fmt(s.first)), el('td', {}, fmt(s.last)), num(s.calls), num(s.blocks), num(s.asks), num(s.errors), num(s.escalations))));
  };
  await render();
}

// ---- session timeline ----
// A record is shown whatever its shape: a tampered one (which the integrity view names) must not
// hide the rest of its session.
const obj = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});

function targetsOf(r) {
  if (!Array.isArray(r.targets)) return r.targets === undefined ? [] : [el('div', { class: 'mono problem' }, `targets: ${JSON.stringify(r.targets)}`)];
  return r.targets.map((t) => el('div', { class: 'mono' }, `${obj(t).op} ${obj(t).path}${obj(t).unresolved ? ' (unresolved)' : ''}`));
}

function eventCard(r, post) {
  const blocked = r.decision === 'deny';
  const card = el('div', { class: `ev${blocked ? ' blocked' : r.decision === 'ask' ? ' ask' : ''}`, 'data-event': r.event, 'data-tool-use-id': r.tool_use_id },
    el('div', { class: 'head' }, el('span', { class: 'time' }, fmt(Date.parse(r.ts))), el('strong', {}, r.event), r.tool ? el('code', {}, r.tool) : '',
      pill(r.decision), blocked ? el('strong', { class: 'problem' }, 'BLOCKED') : '',
      r.rule ? el('span', { class: 'kv' }, `rule ${r.rule}`) : '', r.layer ? el('span', { class: 'kv' }, `layer ${r.layer}`) : ''),
    r.reason ? el('div', { class: 'reason' }, r.reason) : '',
    r.error ? el('div', { class: 'problem' }, `error: ${r.error}`) : '',
    targetsOf(r),
    r.input !== undefined ? el('pre', {}, json(r.input)) : '');
  if (post) {
    const resp = obj(post.response);
    card.append(el('div', { class: 'post' }, `PostToolUse ${fmt(Date.parse(post.ts))}: `,
      resp.exit !== undefined ? `exit ${resp.exit}` : 'done', resp.bytes !== undefined ? `, ${resp.bytes} bytes` : '',
      post.error ? ` · error: ${post.error}` : '', resp.text ? el('pre', {}, resp.text) : ''));
  }
  return card;
}

async function viewSession(id) {
  $view.replaceChildren(el('h1', {}, 'Session ', el('span', { class: 'mono' }, id)), el('p', { class: 'muted' }, 'loading…'));
  const { records, missing } = await api(`api/session?id=${encodeURIComponent(id)}`);
  const posts = new Map();
  for (const r of records) if (r.event === 'PostToolUse' && r.tool_use_id) posts.set(r.tool_use_id, r);
  const paired = new Set();
  const cards = [];
  for (const r of records) {
    if (r.event === 'PostToolUse' && r.tool_use_id && paired.has(r.tool_use_id)) continue;
    const post = r.event === 'PreToolUse' && r.tool_use_id ? posts.get(r.tool_use_id) : undefined;
    if (post) paired.add(r.tool_use_id);
    cards.push(eventCard(r, post));
  }
  const first = records[0] || {};
  $view.replaceChildren(el('h1', {}, 'Session ', el('span', { class: 'mono' }, id)),
    el('p', { class: 'muted' }, `${first.agent || ''} · ${first.project || first.cwd || ''} · ${records.length} records`,
      missing ? el('span', { class: 'problem' }, ` · ${missing} records changed in the files since indexing`) : ''),
    el('div', { id: 'timeline' }, cards));
}

// ---- escalations ----
async function viewEscalations() {
  const rows = await api('api/escalations');
  const what = (e) => (e.kind === 'mode-change' ? `permission_mode ${e.from_mode} → ${e.to_mode}` : e.kind === 'permission-request' ? `PermissionRequest${e.tool ? ` for ${e.tool}` : ''}` : `escalated sandbox permissions asked${e.tool ? ` by ${e.tool}` : ''}`);
  $view.replaceChildren(el('h1', {}, 'Escalations'),
    el('p', { class: 'muted' }, 'Permission requests, permission_mode changes within a session, and calls asking to leave the sandbox.'),
    el('table', { id: 'escalations' }, el('thead', {}, el('tr', {}, ['time (UTC)', 'session', 'agent', 'kind', 'what', 'targets'].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows.map((e) => el('tr', { class: 'click', on: { click: () => { location.hash = `#/session/${encodeURIComponent(e.session)}`; } } },
        el('td', {}, fmt(e.t)), el('td', { class: 'mono', title: e.session }, short(e.session)), el('td', {}, e.agent), el('td', {}, e.kind),
        el('td', {}, what(e)), el('td', { class: 'mono' }, e.targets ?? ''))))),
    rows.length === 0 ? el('p', {}, 'No escalations.') : '');
}

// ---- integrity ----
async function viewIntegrity() {
  const r = await api('api/integrity');
  $view.replaceChildren(el('h1', {}, 'Integrity'), el('p', {}, r.ok ? 'Every audit file is intact.' : r.summary),
    el('div', { id: 'integrity' }, r.files.map((f) => el('div', { class: 'card' },
      el('div', { class: 'mono' }, el('strong', {}, f.file)),
      el('div', { class: f.problems.length ? 'problem' : 'muted' }, f.problems.length ? `${f.problems.length + f.more} problem(s), ${f.records} records` : `intact, ${f.records} records`),
      f.problems.map((p) => el('div', { class: 'mono problem' }, `${p.line > 0 ? `line ${p.line}: ` : ''}${p.problem}`)),
      f.more ? el('div', { class: 'muted' }, `and ${f.more} more`) : ''))));
}

// ---- live ----
function liveRow(r) {
  return el('tr', { class: r.decision === 'deny' ? 'blocked' : '' }, el('td', {}, fmt(Date.parse(r.ts))), el('td', {}, r.agent), el('td', {}, r.event),
    el('td', { class: 'mono' }, r.tool || ''), el('td', {}, pill(r.decision)), el('td', {}, r.rule || ''),
    el('td', { class: 'mono', title: r.session_id }, short(r.session_id)), el('td', { class: 'mono' }, r.reason || (r.targets && r.targets[0] ? r.targets[0].path : '')));
}

function viewLive() {
  $view.replaceChildren(el('h1', {}, 'Live'), el('p', { class: 'muted' }, 'Records appear here as the hooks write them, newest first.'),
    el('table', { id: 'live' }, el('thead', {}, el('tr', {}, ['time (UTC)', 'agent', 'event', 'tool', 'decision', 'rule', 'session', 'reason / target'].map((h) => el('th', {}, h)))),
      el('tbody', {}, state.live.map(liveRow))));
}

function connectLive() {
  const src = new EventSource('api/live');
  src.addEventListener('records', (e) => {
    const recs = JSON.parse(e.data);
    state.live = [...recs.reverse(), ...state.live].slice(0, 500);
    const body = document.querySelector('#live tbody');
    if (body) body.prepend(...recs.map(liveRow));
    badge();
  });
}

// ---- rule tester ----
async function viewTester() {
  const fc = await facets();
  const out = el('div', { id: 'verdict' });
  const form = el('form', { class: 'filters', id: 'tester' },
    el('label', {}, 'what', el('select', { name: 'kind' }, el('option', { value: 'command' }, 'shell command'), el('option', { value: 'path' }, 'file write (path)'))),
    el('label', { class: 'grow' }, 'command or path', el('input', { name: 'text', placeholder: 'echo hi > .git/config' })),
    el('label', {}, 'agent', el('select', { name: 'agent' }, el('option', { value: 'codex' }, 'codex'), el('option', { value: 'claude' }, 'claude'))),
    el('label', {}, 'project folder', el('input', { name: 'cwd', value: fc.project[0] || '', size: 36 })),
    el('button', { type: 'submit' }, 'Check'));
  let timer;
  const run = async () => {
    const v = Object.fromEntries(new FormData(form));
    if (!v.text) return out.replaceChildren();
    const r = await api('api/check', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(v) });
    if (r.error && !r.decision) return out.replaceChildren(el('p', { class: 'problem' }, r.error));
    out.replaceChildren(el('div', { class: 'card' },
      el('div', { class: `decision ${r.decision}` }, r.decision),
      r.rule ? el('div', {}, `rule ${r.rule} (${r.layer})`) : el('div', { class: 'muted' }, 'no rule decided'),
      r.reason ? el('div', { class: 'reason problem' }, r.reason) : '',
      r.error ? el('div', { class: 'problem' }, r.error) : '',
      el('table', {}, el('thead', {}, el('tr', {}, ['op', 'path', 'found by'].map((h) => el('th', {}, h)))),
        el('tbody', {}, r.targets.map((t) => el('tr', {}, el('td', {}, t.op), el('td', { class: 'mono' }, `${t.path}${t.unresolved ? ' (unresolved)' : ''}`), el('td', {}, t.via)))))));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 250); });
  $view.replaceChildren(el('h1', {}, 'Rule tester'), el('p', { class: 'muted' }, 'The decision hookwarden check gives: the PreToolUse hook\'s own code.'), form, out);
}

// ---- charts ----
const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

function timeChart(series) {
  const W = 640, H = 200, P = 28;
  const max = Math.max(1, ...series.map((s) => Number(s.calls)));
  const bw = series.length ? (W - P) / series.length : 0;
  const g = svg('svg', { viewBox: `0 0 ${W} ${H + 20}`, width: '100%', role: 'img', 'aria-label': 'calls and blocks over time' });
  series.forEach((s, i) => {
    const ch = (Number(s.calls) / max) * H, bh = (Number(s.blocks) / max) * H;
    g.append(svg('rect', { x: P + i * bw, y: H - ch, width: Math.max(1, bw - 1), height: ch, fill: '#b8c4e6' }, svg('title', {}, `${fmt(s.at_ms)}: ${s.calls} calls`)));
    g.append(svg('rect', { x: P + i * bw, y: H - bh, width: Math.max(1, bw - 1), height: bh, fill: '#b3261e' }, svg('title', {}, `${fmt(s.at_ms)}: ${s.blocks} blocks`)));
  });
  g.append(svg('text', { x: 0, y: 10 }, String(max)), svg('text', { x: 0, y: H }, '0'));
  if (series.length) g.append(svg('text', { x: P, y: H + 15 }, fmt(series[0].at_ms)), svg('text', { x: W - 120, y: H + 15 }, fmt(series[series.length - 1].at_ms)));
  return g;
}

function barChart(rows, label) {
  const W = 420, row = 22, L = 170;
  const max = Math.max(1, ...rows.map((r) => Number(r.n)));
  const g = svg('svg', { viewBox: `0 0 ${W} ${Math.max(1, rows.length) * row}`, width: '100%', role: 'img', 'aria-label': label });
  rows.forEach((r, i) => {
    const w = (Number(r.n) / max) * (W - L - 40);
    const name = String(r.key);
    g.append(svg('text', { x: 0, y: i * row + 15 }, name.length > 26 ? `…${name.slice(-25)}` : name));
    g.append(svg('rect', { x: L, y: i * row + 4, width: Math.max(1, w), height: 14, fill: '#b3261e' }, svg('title', {}, `${name}: ${r.n}`)));
    g.append(svg('text', { x: L + w + 4, y: i * row + 15 }, String(r.n)));
  });
  return g;
}

async function viewCharts() {
  const render = async () => {
    const c = await api(`api/charts?${query()}`);
    $view.replaceChildren(el('h1', {}, 'Charts'), filterForm(render),
      el('div', { class: 'charts', id: 'charts' },
        el('div', { class: 'card' }, el('h2', {}, 'Calls and blocks over time'),
          el('div', { class: 'legend muted' }, el('span', {}, el('i', { class: 'sw calls' }), 'calls'), el('span', {}, el('i', { class: 'sw blocks' }), 'blocks')),
          timeChart(c.series)),
        el('div', { class: 'card' }, el('h2', {}, 'Blocks by rule'), barChart(c.byRule, 'blocks by rule')),
        el('div', { class: 'card' }, el('h2', {}, 'Blocks by tool'), barChart(c.byTool, 'blocks by tool')),
        el('div', { class: 'card' }, el('h2', {}, 'Blocks by project'), barChart(c.byProject, 'blocks by project'))));
  };
  await render();
}

// ---- routing ----
async function route() {
  const [, view = 'sessions', arg] = location.hash.split('/');
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('on', a.dataset.view === view || (view === 'session' && a.dataset.view === 'sessions'));
  try {
    if (view === 'session' && arg) await viewSession(decodeURIComponent(arg));
    else if (view === 'escalations') await viewEscalations();
    else if (view === 'integrity') await viewIntegrity();
    else if (view === 'live') viewLive();
    else if (view === 'tester') await viewTester();
    else if (view === 'charts') await viewCharts();
    else await viewSessions();
  } catch (err) {
    $view.replaceChildren(el('p', { class: 'problem' }, String(err.message || err)));
  }
}

window.addEventListener('hashchange', route);
route();
badge();
setInterval(badge, 10000);
connectLive();
