// A tiny stdio MCP server for the real-agent tests: JSON-RPC 2.0, one message per line.
// Its one tool, `write_file {path, content}`, really writes the file relative to the server's cwd,
// so a test can prove on the file system that a blocked call never reached it.
// Plain JavaScript run by node: no loader start-up cost inside the agent's MCP handshake.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const TOOLS = [
  {
    name: 'write_file',
    description: 'Write a text file (path relative to the project).',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string' }, content: { type: 'string' } },
      required: ['path', 'content'],
      additionalProperties: false,
    },
  },
];

const send = (msg) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);

function call(params) {
  if (params?.name !== 'write_file') throw Object.assign(new Error(`unknown tool ${params?.name}`), { code: -32602 });
  const { path: p, content } = params.arguments ?? {};
  if (typeof p !== 'string' || typeof content !== 'string') throw Object.assign(new Error('path and content must be strings'), { code: -32602 });
  const file = path.resolve(process.cwd(), p);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return { content: [{ type: 'text', text: `wrote ${Buffer.byteLength(content)} bytes to ${p}` }], isError: false };
}

function handle(msg) {
  switch (msg.method) {
    case 'initialize':
      return {
        protocolVersion: msg.params?.protocolVersion ?? '2025-06-18',
        capabilities: { tools: { listChanged: false } },
        serverInfo: { name: 'hookwarden-e2e-demo', version: '1.0.0' },
      };
    case 'tools/list':
      return { tools: TOOLS };
    case 'tools/call':
      return call(msg.params);
    case 'ping':
      return {};
    default:
      throw Object.assign(new Error(`method not found: ${msg.method}`), { code: -32601 });
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === '') return;
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    send({ id: null, error: { code: -32700, message: 'parse error' } });
    return;
  }
  if (msg.id === undefined || msg.id === null) return; // notifications need no answer
  try {
    send({ id: msg.id, result: handle(msg) });
  } catch (err) {
    send({ id: msg.id, error: { code: err.code ?? -32603, message: err.message } });
  }
});
