// Scripted stand-in for the OpenAI Responses API as Codex 0.169 uses it: POST /v1/responses with
// `stream: true`, answered by server-sent events carrying one output item per response.
// Codex re-sends the whole history on every request, so the step to play is chosen from the number
// of tool outputs already in the request's `input`, not from a counter: a retry or an extra request
// replays the same step instead of skipping one.
import type http from 'node:http';
import { sendEvents, sendJson, startServer, type RecordedRequest, type ScriptedServer } from './sse.js';

export type CodexStep =
  | { kind: 'exec'; cmd: string; callId?: string }
  | { kind: 'patch'; input: string; callId?: string }
  | { kind: 'mcp'; server: string; tool: string; args: Record<string, unknown>; callId?: string }
  | { kind: 'message'; text: string };

/** Output item types that answer a tool call in the history Codex sends back (MCP calls get function_call_output). */
const OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output']);

export interface CodexModel extends ScriptedServer {
  /** Value for `base_url` in the provider table. */
  baseUrl: string;
  /** Bodies of POST /v1/responses, in order. */
  responses(): Record<string, unknown>[];
  /** The text Codex last sent back as the output of call `callId` (a later run replays ids). */
  outputOf(callId: string): string | undefined;
  /** What the agent asked and was answered, for failure messages. */
  describe(): string;
  /** Replaces the script, for a later `codex exec` in the same scenario (new call ids keep runs apart). */
  rescript(steps: CodexStep[]): void;
}

export const callIdOf = (step: CodexStep, index: number): string =>
  step.kind === 'message' ? '' : (step.callId ?? `call_${index + 1}`);

/** The output item the Responses API streams for one step. */
export function outputItem(step: CodexStep, index: number): Record<string, unknown> {
  const call_id = callIdOf(step, index);
  switch (step.kind) {
    case 'exec':
      return { type: 'function_call', id: `fc_${index}`, name: 'exec_command', call_id, arguments: JSON.stringify({ cmd: step.cmd }) };
    case 'patch':
      return { type: 'custom_tool_call', id: `ctc_${index}`, name: 'apply_patch', call_id, input: step.input };
    case 'mcp':
      // Codex 0.169 exposes MCP tools as a namespace `mcp__<server>` holding function `<tool>`.
      return {
        type: 'function_call', id: `fc_${index}`, namespace: `mcp__${step.server}`, name: step.tool, call_id,
        arguments: JSON.stringify(step.args),
      };
    case 'message':
      return message(step.text, index);
  }
}

function message(text: string, index: number): Record<string, unknown> {
  return { type: 'message', role: 'assistant', id: `msg_${index}`, status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
}

function inputItems(body: unknown): Record<string, unknown>[] {
  const input = (body as { input?: unknown } | undefined)?.input;
  return Array.isArray(input) ? (input as Record<string, unknown>[]) : [];
}

function outputText(item: Record<string, unknown>): string {
  const out = item.output;
  if (typeof out === 'string') return out;
  // Structured outputs (content arrays, MCP results) are flattened to their text parts.
  if (Array.isArray(out)) return out.map((p) => (typeof p === 'object' && p && 'text' in p ? String(p.text) : JSON.stringify(p))).join('\n');
  return JSON.stringify(out);
}

const excerpt = (s: string): string => JSON.stringify(s.length > 300 ? `${s.slice(0, 300)}...` : s);

function respond(res: http.ServerResponse, item: Record<string, unknown>, n: number): void {
  const id = `resp_${n}`;
  sendEvents(res, [
    { event: 'response.created', data: { type: 'response.created', response: { id } } },
    { event: 'response.output_item.done', data: { type: 'response.output_item.done', output_index: 0, item } },
    {
      event: 'response.completed',
      data: {
        type: 'response.completed',
        response: {
          id,
          usage: { input_tokens: 10, input_tokens_details: null, output_tokens: 5, output_tokens_details: null, total_tokens: 15 },
        },
      },
    },
  ]);
}

/** Starts the server; after the last step it answers with a final message, which ends the turn. */
export async function startCodexModel(initial: CodexStep[]): Promise<CodexModel> {
  let served = 0;
  let steps = initial;
  const handler = (req: RecordedRequest, res: http.ServerResponse): void => {
    const url = req.url.split('?')[0] ?? '';
    if (req.method === 'POST' && url.endsWith('/responses')) {
      const done = inputItems(req.body).filter((i) => OUTPUT_TYPES.has(String(i.type))).length;
      const step = steps[done] ?? { kind: 'message', text: 'done' };
      respond(res, outputItem(step, done), ++served);
      return;
    }
    sendJson(res, 404, { error: { message: `scripted model: no route for ${req.method} ${req.url}` } });
  };
  const server = await startServer(handler);
  const responses = (): Record<string, unknown>[] =>
    server.requests.filter((r) => r.method === 'POST' && r.url.split('?')[0]?.endsWith('/responses')).map((r) => r.body as Record<string, unknown>);
  return {
    ...server,
    baseUrl: `${server.origin}/v1`,
    responses,
    outputOf(callId) {
      for (const body of responses().reverse()) {
        const item = inputItems(body).find((i) => OUTPUT_TYPES.has(String(i.type)) && i.call_id === callId);
        if (item) return outputText(item);
      }
      return undefined;
    },
    rescript(next) {
      steps = next;
    },
    describe() {
      const lines = server.requests.map((r, i) => {
        const items = inputItems(r.body);
        const outs = items.filter((x) => OUTPUT_TYPES.has(String(x.type))).length;
        return `  #${i + 1} ${r.method} ${r.url}: ${items.length} input items, ${outs} tool outputs`;
      });
      const last = responses().at(-1);
      for (const item of last ? inputItems(last) : []) {
        if (OUTPUT_TYPES.has(String(item.type))) lines.push(`  output of ${String(item.call_id)}: ${excerpt(outputText(item))}`);
      }
      return lines.length > 0 ? lines.join('\n') : '  (no requests)';
    },
  };
}
