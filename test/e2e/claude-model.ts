// Scripted stand-in for the Anthropic Messages API as Claude Code 2.1 uses it: POST
// /v1/messages?beta=true with `stream: true`, answered by server-sent events. The agent loop's
// requests carry `tools`; side requests (title generation, token counting...) get a short answer.
// As with Codex, the step is chosen from the history (number of tool_result blocks), not a counter.
import type http from 'node:http';
import { sendEvents, sendJson, startServer, type RecordedRequest, type ScriptedServer } from './sse.js';

export type ClaudeStep =
  | { kind: 'tool'; name: string; input: Record<string, unknown>; id?: string }
  | { kind: 'message'; text: string };

interface Block { type: string; [k: string]: unknown }
interface Message { role: string; content: string | Block[] }

export interface ClaudeModel extends ScriptedServer {
  /** Bodies of the agent loop's POST /v1/messages (those that offer tools), in order. */
  turns(): Record<string, unknown>[];
  /** Text of the tool_result Claude sent back for tool_use `id` (the last time it appears: a later run replays ids). */
  resultOf(id: string): { text: string; isError: boolean } | undefined;
  /** What the agent asked and was answered, for failure messages. */
  describe(): string;
}

export const toolIdOf = (step: ClaudeStep, index: number): string =>
  step.kind === 'tool' ? (step.id ?? `toolu_e2e${String(index + 1).padStart(2, '0')}`) : '';

const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

function blocks(body: unknown): Block[] {
  const messages = (body as { messages?: Message[] } | undefined)?.messages ?? [];
  return messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c: Block) => (typeof c.text === 'string' ? c.text : JSON.stringify(c))).join('\n');
  return JSON.stringify(content);
}

function streamMessage(res: http.ServerResponse, model: string, n: number, step: ClaudeStep, index: number): void {
  const head = {
    event: 'message_start',
    data: {
      type: 'message_start',
      message: { id: `msg_e2e${n}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage },
    },
  };
  const tail = (stop: string) => [
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
  if (step.kind === 'tool') {
    const id = toolIdOf(step, index);
    sendEvents(res, [
      head,
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id, name: step.name, input: {} } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(step.input) } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      ...tail('tool_use'),
    ]);
    return;
  }
  sendEvents(res, [
    head,
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
    { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: step.text } } },
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    ...tail('end_turn'),
  ]);
}

const isLoop = (body: unknown): boolean => Array.isArray((body as { tools?: unknown } | undefined)?.tools) && ((body as { tools: unknown[] }).tools.length > 0);

export async function startClaudeModel(steps: ClaudeStep[]): Promise<ClaudeModel> {
  let served = 0;
  const handler = (req: RecordedRequest, res: http.ServerResponse): void => {
    const url = req.url.split('?')[0] ?? '';
    const body = (req.body ?? {}) as { model?: string; stream?: boolean };
    const model = body.model ?? 'claude-sonnet-4-5';
    if (req.method === 'POST' && url === '/v1/messages/count_tokens') {
      sendJson(res, 200, { input_tokens: 10 });
      return;
    }
    if (req.method === 'POST' && url === '/v1/messages') {
      served++;
      if (!isLoop(req.body)) {
        // Side request (session title, summaries...): a short text answer, in the form asked for.
        const side: ClaudeStep = { kind: 'message', text: 'e2e' };
        if (body.stream) streamMessage(res, model, served, side, 0);
        else sendJson(res, 200, { id: `msg_side${served}`, type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'e2e' }], stop_reason: 'end_turn', stop_sequence: null, usage });
        return;
      }
      const done = blocks(req.body).filter((b) => b.type === 'tool_result').length;
      streamMessage(res, model, served, steps[done] ?? { kind: 'message', text: 'done' }, done);
      return;
    }
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `scripted model: no route for ${req.method} ${req.url}` } });
  };
  const server = await startServer(handler);
  const turns = (): Record<string, unknown>[] =>
    server.requests.filter((r) => r.method === 'POST' && r.url.split('?')[0] === '/v1/messages' && isLoop(r.body)).map((r) => r.body as Record<string, unknown>);
  return {
    ...server,
    turns,
    resultOf(id) {
      for (const body of turns().reverse()) {
        const b = blocks(body).find((x) => x.type === 'tool_result' && x.tool_use_id === id);
        if (b) return { text: textOf(b.content), isError: b.is_error === true };
      }
      return undefined;
    },
    describe() {
      const lines = server.requests.map((r, i) => {
        const results = blocks(r.body).filter((b) => b.type === 'tool_result').length;
        return `  #${i + 1} ${r.method} ${r.url}${isLoop(r.body) ? '' : ' (side request)'}: ${results} tool results`;
      });
      const last = turns().at(-1);
      for (const b of last ? blocks(last) : []) {
        if (b.type !== 'tool_result') continue;
        const text = textOf(b.content);
        lines.push(`  result of ${String(b.tool_use_id)}${b.is_error === true ? ' (error)' : ''}: ${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}...` : text)}`);
      }
      return lines.length > 0 ? lines.join('\n') : '  (no requests)';
    },
  };
}
