// Merging hookwarden's matcher groups into a `{"hooks": {Event: [group...]}}` document (Codex
// hooks.json and Claude settings.json share the shape) and taking them out again. Every change is
// made twice, on the text (surgically) and on the parsed value; the two must agree, or nothing is
// written. Groups are appended after existing ones: Codex trust keys are positional.
import { isDeepStrictEqual } from 'node:util';
import { addMember, appendItem, parseJsonc, removeItem, removeMember, replaceValue } from './json-edit.js';
import type { HookScript } from '../../lib/hooks-catalog.js';
import { isOwnGroup, ownScript, type PlannedGroup } from './plan.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface OwnHandler {
  event: string;
  group: number;
  handler: number;
  script: HookScript;
  matcher?: string;
  /** The handler object as written in the file. */
  raw: Obj;
}

export interface HooksChange {
  /** New text; undefined when the file should not exist (it held nothing but hookwarden's hooks). */
  after: string | undefined;
  /** Group indexes (in the text before) that were removed, per event: later groups moved down. */
  removed: Record<string, number[]>;
  /** hookwarden's handlers in the new document. */
  own: OwnHandler[];
  /** hookwarden's handlers in the old document. */
  ownBefore: OwnHandler[];
  /** Install: whether the `hooks` member, and which event arrays, this change added (uninstall takes out only those). */
  added: { hooks: boolean; events: string[] };
}

/** What an earlier install recorded as its own; without it, uninstall removes whatever it empties (the old behaviour). */
export interface Added { hooks: boolean; events: string[]; file: boolean }

/** Parses a hooks document; an absent or blank file is an empty one. Throws a one-line message. */
export function parseHooksDoc(text: string | undefined, file: string): Obj {
  if (text === undefined || text.trim() === '') return {};
  let doc: unknown;
  try {
    doc = parseJsonc(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc)) throw new Error(`${file}: expected a JSON object at the top level`);
  if (doc.hooks !== undefined && !isObj(doc.hooks)) throw new Error(`${file}: field hooks: expected an object`);
  return doc;
}

/** Where hookwarden's handlers sit: event, group index, handler index. */
export function ownHandlers(doc: Obj): OwnHandler[] {
  const out: OwnHandler[] = [];
  const hooks = isObj(doc.hooks) ? doc.hooks : {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((g: unknown, gi) => {
      if (!isOwnGroup(g)) return;
      const group = g as { matcher?: unknown; hooks: Obj[] };
      group.hooks.forEach((h, hi) => {
        out.push({
          event, group: gi, handler: hi, script: ownScript(h.command) as HookScript, raw: h,
          ...(typeof group.matcher === 'string' ? { matcher: group.matcher } : {}),
        });
      });
    });
  }
  return out;
}

/** Text and value, edited in step. */
class Doc {
  constructor(public text: string, readonly value: Obj, readonly file: string) {}
  get hooks(): Obj {
    return this.value.hooks as Obj;
  }
  verify(): void {
    const reparsed = parseHooksDoc(this.text, this.file);
    if (!isDeepStrictEqual(reparsed, this.value)) throw new Error(`${this.file}: internal error: the edited text does not match the intended change; nothing written`);
  }
}

function start(text: string | undefined, file: string): Doc {
  const value = parseHooksDoc(text, file);
  const blank = text === undefined || text.trim() === '';
  return new Doc(blank ? '{}\n' : text, value, file);
}

/** Install: hookwarden's group per planned event, repaired in place when present, else appended. */
export function mergeHooks(text: string | undefined, plan: PlannedGroup[], file: string): HooksChange {
  const doc = start(text, file);
  const ownBefore = ownHandlers(doc.value);
  const removed: Record<string, number[]> = {};
  const added = { hooks: doc.value.hooks === undefined, events: plan.map((p) => p.event).filter((e) => !isObj(doc.value.hooks) || doc.value.hooks[e] === undefined) };
  if (text === undefined || text.trim() === '') {
    const hooks: Obj = {};
    for (const p of plan) hooks[p.event] = [...((hooks[p.event] as unknown[]) ?? []), p.group];
    doc.value.hooks = hooks;
    doc.text = `${JSON.stringify(doc.value, null, 2)}\n`;
  } else if (doc.value.hooks === undefined) {
    const hooks: Obj = {};
    for (const p of plan) hooks[p.event] = [...((hooks[p.event] as unknown[]) ?? []), p.group];
    doc.text = addMember(doc.text, [], 'hooks', hooks);
    doc.value.hooks = hooks;
  } else {
    for (const p of plan) mergeEvent(doc, p, removed);
  }
  doc.verify();
  return { after: doc.text, removed, own: ownHandlers(doc.value), ownBefore, added: { hooks: added.hooks, events: [...new Set(added.events)] } };
}

function mergeEvent(doc: Doc, p: PlannedGroup, removed: Record<string, number[]>): void {
  const groups = doc.hooks[p.event];
  if (groups === undefined) {
    doc.text = addMember(doc.text, ['hooks'], p.event, [p.group]);
    doc.hooks[p.event] = [p.group];
    return;
  }
  if (!Array.isArray(groups)) throw new Error(`${doc.file}: field hooks.${p.event}: expected an array`);
  const own = groups.flatMap((g: unknown, i) => (isOwnGroup(g) ? [i] : []));
  const first = own[0];
  if (first === undefined) {
    doc.text = appendItem(doc.text, ['hooks', p.event], p.group);
    groups.push(p.group);
    return;
  }
  if (!isDeepStrictEqual(groups[first], p.group)) {
    doc.text = replaceValue(doc.text, ['hooks', p.event, first], p.group);
    groups[first] = structuredClone(p.group);
  }
  // Duplicates (an older install, a hand-made copy) would run the guard twice.
  const extra = own.slice(1);
  for (const i of [...extra].reverse()) {
    doc.text = removeItem(doc.text, ['hooks', p.event], i);
    groups.splice(i, 1);
  }
  if (extra.length) removed[p.event] = extra;
}

/**
 * Uninstall: every hookwarden group out. An event array, `hooks` or the file emptied by that goes
 * too when install added it (`added`, from the install manifest); a pre-existing empty one stays.
 */
export function removeHooks(text: string | undefined, file: string, added?: Added): HooksChange {
  const doc = start(text, file);
  const ownBefore = ownHandlers(doc.value);
  const removed: Record<string, number[]> = {};
  const none = { hooks: false, events: [] };
  if (text === undefined || ownBefore.length === 0) return { after: text, removed, own: [], ownBefore, added: none };
  for (const [event, groups] of Object.entries(doc.hooks)) {
    if (!Array.isArray(groups)) continue;
    const own = groups.flatMap((g: unknown, i) => (isOwnGroup(g) ? [i] : []));
    if (own.length === 0) continue;
    removed[event] = own;
    if (own.length === groups.length && (!added || added.events.includes(event))) {
      doc.text = removeMember(doc.text, ['hooks'], event);
      delete doc.hooks[event];
      continue;
    }
    for (const i of [...own].reverse()) {
      doc.text = removeItem(doc.text, ['hooks', event], i);
      groups.splice(i, 1);
    }
  }
  if (Object.keys(doc.hooks).length === 0 && (!added || added.hooks)) {
    doc.text = removeMember(doc.text, [], 'hooks');
    delete doc.value.hooks;
  }
  doc.verify();
  const gone = Object.keys(doc.value).length === 0 && (!added || added.file);
  return { after: gone ? undefined : doc.text, removed, own: [], ownBefore, added: none };
}

/** Where group `index` of `event` moved after `removed` groups went out (undefined: it was removed). */
export function shiftedIndex(removed: Record<string, number[]>, event: string, index: number): number | undefined {
  const gone = removed[event] ?? [];
  if (gone.includes(index)) return undefined;
  return index - gone.filter((r) => r < index).length;
}
