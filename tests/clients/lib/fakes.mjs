// Fake upstreams, one per provider family, on 127.0.0.1:0. Each checks that
// what cpa sent is a well-formed request of ITS OWN wire format (400 in its
// own error shape otherwise, and the complaint is kept for the report), then
// answers in that format: text, or a tool call when the request declares the
// tool, or the final text when the request carries the tool result back.
// Streams go out event by event, each event's bytes cut inside a multi-byte
// character across two TCP writes.
import http from 'node:http';
import { isDeepStrictEqual } from 'node:util';

import {
  FINAL_TEXT, PROVIDERS, TEXT, TEXT_PIECES, TOOL, TOOL_ARGS, TOOL_ARGS_PIECES, TOOL_RESULT_MARK, USAGE,
  containsDeep,
} from './fixtures.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A request that is not of the fake's format: answered 400 and reported. */
class Reject extends Error {}

function check(cond, message) {
  if (!cond) throw new Reject(message);
}

/** The final text pieces when streaming the answer after a tool result. */
const FINAL_PIECES = [FINAL_TEXT.slice(0, 9), FINAL_TEXT.slice(9, 20), FINAL_TEXT.slice(20)];

/**
 * Writes `text` as two TCP writes cut inside its first multi-byte character
 * (one write when it has none), a short pause between them.
 */
async function writeSplit(res, text) {
  const buf = Buffer.from(text, 'utf8');
  let cut = -1;
  for (let i = 1; i < buf.length; i++) {
    if ((buf[i] & 0xc0) === 0x80) {  // a continuation byte: inside a character
      cut = i;
      break;
    }
  }
  if (cut < 0) {
    res.write(buf);
    return;
  }
  res.write(buf.subarray(0, cut));
  await sleep(4);
  res.write(buf.subarray(cut));
}

async function sendJson(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  await writeSplit(res, body);
  res.end();
}

async function sendEvents(res, frames) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  for (const frame of frames) {
    await writeSplit(res, frame);
    await sleep(3);
  }
  res.end();
}

/** What the request asks for: 'text', 'tool' (declared, not yet called) or 'final' (tool result back). */
function scenario(hasToolResult, hasTools) {
  if (hasToolResult) return 'final';
  return hasTools ? 'tool' : 'text';
}

function parseArgs(json, where) {
  try {
    return JSON.parse(json);
  } catch {
    throw new Reject(`${where}: arguments are not JSON: ${json}`);
  }
}

function hasCityParam(schema) {
  return !!(schema && typeof schema === 'object' && schema.properties && schema.properties.city);
}

// ---------------------------------------------------------------- openai-compatibility (Chat Completions)

const chatFamily = {
  name: 'openai-compat',
  basePath: '/v1',
  error: (message) => ({ error: { message, type: 'invalid_request_error', code: null } }),

  async handle(req, body, res) {
    const p = PROVIDERS['openai-compat'];
    check(req.method === 'POST' && req.path === '/v1/chat/completions', `unexpected ${req.method} ${req.path}`);
    check(req.headers.authorization === `Bearer ${p.key}`, `Authorization is ${req.headers.authorization}`);
    check(body.model === p.upstream, `model is ${JSON.stringify(body.model)}, want ${p.upstream}`);
    check(Array.isArray(body.messages) && body.messages.length > 0, 'messages must be a non-empty array');
    for (const [i, m] of body.messages.entries()) {
      check(m && ['system', 'developer', 'user', 'assistant', 'tool'].includes(m.role), `messages[${i}].role is ${m && m.role}`);
      const okContent = typeof m.content === 'string' || Array.isArray(m.content) ||
        (m.role === 'assistant' && m.content == null && Array.isArray(m.tool_calls));
      check(okContent, `messages[${i}].content is neither a string nor an array of parts`);
    }
    const last = body.messages[body.messages.length - 1];
    check(last.role === 'user' || last.role === 'tool', `the last message is from ${last.role}`);
    if (body.stream !== undefined) check(typeof body.stream === 'boolean', 'stream must be a boolean');

    const toolMsgs = body.messages.filter((m) => m.role === 'tool');
    const tools = Array.isArray(body.tools) ? body.tools : [];
    for (const t of tools) check(t.type === 'function' && t.function && typeof t.function.name === 'string', `a tool is not {type:function, function:{name}}: ${JSON.stringify(t)}`);
    const kind = scenario(toolMsgs.length > 0, tools.length > 0);
    if (kind === 'tool') {
      const decl = tools.find((t) => t.function.name === TOOL.name);
      check(decl && hasCityParam(decl.function.parameters), `tool ${TOOL.name} with its parameters not declared`);
    }
    if (kind === 'final') {
      for (const t of toolMsgs) {
        check(typeof t.tool_call_id === 'string' && t.tool_call_id !== '', 'a tool message has no tool_call_id');
        const call = body.messages.filter((m) => m.role === 'assistant' && Array.isArray(m.tool_calls))
          .flatMap((m) => m.tool_calls).find((c) => c.id === t.tool_call_id);
        check(call, `no assistant tool_calls entry with id ${t.tool_call_id}`);
        check(call.type === 'function' && call.function && call.function.name === TOOL.name, `the call ${t.tool_call_id} is not ${TOOL.name}`);
        check(isDeepStrictEqual(parseArgs(call.function.arguments, 'assistant tool_calls'), TOOL_ARGS), `the call's arguments came back altered: ${call.function.arguments}`);
        check(containsDeep(t.content, TOOL_RESULT_MARK), `the tool message does not carry the result: ${JSON.stringify(t.content)}`);
      }
    }

    const id = 'chatcmpl-fake-1';
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output };
    const call = { id: 'call_fake_1', type: 'function', function: { name: TOOL.name, arguments: JSON.stringify(TOOL_ARGS) } };
    const text = kind === 'final' ? FINAL_TEXT : TEXT;
    if (!body.stream) {
      const message = kind === 'tool'
        ? { role: 'assistant', content: null, tool_calls: [call], refusal: null }
        : { role: 'assistant', content: text, refusal: null };
      return sendJson(res, 200, {
        id, object: 'chat.completion', created, model: p.upstream,
        choices: [{ index: 0, message, logprobs: null, finish_reason: kind === 'tool' ? 'tool_calls' : 'stop' }],
        usage,
      });
    }
    const chunk = (delta, finish = null) => ({
      id, object: 'chat.completion.chunk', created, model: p.upstream,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    const chunks = [];
    if (kind === 'tool') {
      chunks.push(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: TOOL.name, arguments: '' } }] }));
      for (const piece of TOOL_ARGS_PIECES) chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
      chunks.push(chunk({}, 'tool_calls'));
    } else {
      chunks.push(chunk({ role: 'assistant', content: '' }));
      for (const piece of kind === 'final' ? FINAL_PIECES : TEXT_PIECES) chunks.push(chunk({ content: piece }));
      chunks.push(chunk({}, 'stop'));
    }
    if (body.stream_options && body.stream_options.include_usage) {
      chunks.push({ id, object: 'chat.completion.chunk', created, model: p.upstream, choices: [], usage });
    }
    return sendEvents(res, [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n']);
  },
};

// ---------------------------------------------------------------- codex (Responses, always streamed)

const codexFamily = {
  name: 'codex',
  basePath: '/backend-api/codex',
  error: (message) => ({ error: { message, type: 'invalid_request_error', code: null } }),

  async handle(req, body, res) {
    const p = PROVIDERS.codex;
    check(req.method === 'POST' && req.path === '/backend-api/codex/responses', `unexpected ${req.method} ${req.path}`);
    check(req.headers.authorization === `Bearer ${p.key}`, `Authorization is ${req.headers.authorization}`);
    check(body.model === p.upstream, `model is ${JSON.stringify(body.model)}, want ${p.upstream}`);
    check(body.stream === true, 'the Codex upstream is always asked to stream (stream: true)');
    check(Array.isArray(body.input) && body.input.length > 0, 'input must be a non-empty array of items');
    for (const [i, item] of body.input.entries()) {
      const type = item && (item.type || (item.role ? 'message' : undefined));
      check(['message', 'function_call', 'function_call_output', 'reasoning'].includes(type), `input[${i}] is not a Responses item: ${JSON.stringify(item)}`);
      if (type === 'message') {
        check(['user', 'assistant', 'system', 'developer'].includes(item.role), `input[${i}].role is ${item.role}`);
        check(typeof item.content === 'string' || Array.isArray(item.content), `input[${i}].content is neither a string nor an array`);
        if (Array.isArray(item.content)) {
          for (const part of item.content) check(['input_text', 'output_text', 'input_image', 'input_file', 'refusal'].includes(part.type), `input[${i}] has a content part of type ${part.type}`);
        }
      }
    }
    check(typeof body.instructions === 'string', 'instructions must be a string');
    const lastItem = body.input[body.input.length - 1];
    check(lastItem.type === 'function_call_output' || lastItem.role === 'user', 'the last input item is neither a user message nor a function_call_output');

    const outputs = body.input.filter((it) => it.type === 'function_call_output');
    const tools = (Array.isArray(body.tools) ? body.tools : []).filter((t) => t.type === 'function');
    const kind = scenario(outputs.length > 0, tools.length > 0);
    if (kind === 'tool') {
      const decl = tools.find((t) => t.name === TOOL.name);
      check(decl && hasCityParam(decl.parameters), `function tool ${TOOL.name} with its parameters not declared (Responses tools are {type:function, name, parameters})`);
    }
    if (kind === 'final') {
      for (const out of outputs) {
        check(typeof out.call_id === 'string' && out.call_id !== '', 'a function_call_output has no call_id');
        const call = body.input.find((it) => it.type === 'function_call' && it.call_id === out.call_id);
        check(call, `no function_call item with call_id ${out.call_id}`);
        check(call.name === TOOL.name, `the function_call ${out.call_id} is ${call.name}`);
        check(isDeepStrictEqual(parseArgs(call.arguments, 'function_call'), TOOL_ARGS), `the call's arguments came back altered: ${call.arguments}`);
        check(containsDeep(out.output, TOOL_RESULT_MARK), `the function_call_output does not carry the result: ${JSON.stringify(out.output)}`);
      }
    }

    const createdAt = Math.floor(Date.now() / 1000);
    const base = {
      id: 'resp_fake_1', object: 'response', created_at: createdAt, status: 'in_progress', error: null,
      incomplete_details: null, instructions: body.instructions, model: p.upstream, output: [],
      parallel_tool_calls: true, temperature: null, tool_choice: 'auto', tools: [], top_p: null,
      usage: null, metadata: {},
    };
    let seq = 0;
    const frames = [];
    const ev = (type, fields) => frames.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...fields })}\n\n`);
    ev('response.created', { response: base });
    ev('response.in_progress', { response: base });
    let item;
    if (kind === 'tool') {
      const args = JSON.stringify(TOOL_ARGS);
      const start = { id: 'fc_fake_1', type: 'function_call', status: 'in_progress', call_id: 'call_fake_1', name: TOOL.name, arguments: '' };
      ev('response.output_item.added', { output_index: 0, item: start });
      for (const piece of TOOL_ARGS_PIECES) ev('response.function_call_arguments.delta', { item_id: start.id, output_index: 0, delta: piece });
      ev('response.function_call_arguments.done', { item_id: start.id, output_index: 0, arguments: args });
      item = { ...start, status: 'completed', arguments: args };
    } else {
      const text = kind === 'final' ? FINAL_TEXT : TEXT;
      const msgId = 'msg_fake_1';
      ev('response.output_item.added', { output_index: 0, item: { id: msgId, type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
      ev('response.content_part.added', { item_id: msgId, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      for (const piece of kind === 'final' ? FINAL_PIECES : TEXT_PIECES) {
        ev('response.output_text.delta', { item_id: msgId, output_index: 0, content_index: 0, delta: piece, logprobs: [] });
      }
      ev('response.output_text.done', { item_id: msgId, output_index: 0, content_index: 0, text, logprobs: [] });
      const part = { type: 'output_text', text, annotations: [] };
      ev('response.content_part.done', { item_id: msgId, output_index: 0, content_index: 0, part });
      item = { id: msgId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
    }
    ev('response.output_item.done', { output_index: 0, item });
    ev('response.completed', {
      response: {
        ...base, status: 'completed', output: [item],
        usage: {
          input_tokens: USAGE.input, input_tokens_details: { cached_tokens: 0 },
          output_tokens: USAGE.output, output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: USAGE.input + USAGE.output,
        },
      },
    });
    return sendEvents(res, frames);
  },
};

// ---------------------------------------------------------------- claude (Messages)

const claudeFamily = {
  name: 'claude',
  basePath: '',
  error: (message) => ({ type: 'error', error: { type: 'invalid_request_error', message } }),

  async handle(req, body, res) {
    const p = PROVIDERS.claude;
    check(req.method === 'POST' && req.path === '/v1/messages', `unexpected ${req.method} ${req.path}`);
    const key = req.headers['x-api-key'] || (req.headers.authorization || '').replace(/^Bearer /, '');
    check(key === p.key, `the upstream key is ${key}`);
    check(typeof req.headers['anthropic-version'] === 'string', 'no anthropic-version header');
    check(body.model === p.upstream, `model is ${JSON.stringify(body.model)}, want ${p.upstream}`);
    check(Number.isInteger(body.max_tokens) && body.max_tokens > 0, 'max_tokens must be a positive integer');
    check(Array.isArray(body.messages) && body.messages.length > 0, 'messages must be a non-empty array');
    check(body.system === undefined || typeof body.system === 'string' || Array.isArray(body.system), 'system must be a string or an array of blocks');
    for (const [i, m] of body.messages.entries()) {
      check(m && (m.role === 'user' || m.role === 'assistant'), `messages[${i}].role is ${m && m.role} (only user and assistant)`);
      check(typeof m.content === 'string' || (Array.isArray(m.content) && m.content.length > 0), `messages[${i}].content is neither a string nor a non-empty array of blocks`);
      if (Array.isArray(m.content)) {
        for (const b of m.content) check(b && ['text', 'image', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'document'].includes(b.type), `messages[${i}] has a block of type ${b && b.type}`);
      }
    }
    check(body.messages[0].role === 'user', 'the first message must be from the user');
    const last = body.messages[body.messages.length - 1];
    check(last.role === 'user', 'the last message must be from the user');
    if (body.stream !== undefined) check(typeof body.stream === 'boolean', 'stream must be a boolean');

    const blocks = (role, type) => body.messages.filter((m) => m.role === role && Array.isArray(m.content))
      .flatMap((m) => m.content).filter((b) => b.type === type);
    const results = blocks('user', 'tool_result');
    const tools = Array.isArray(body.tools) ? body.tools : [];
    const kind = scenario(results.length > 0, tools.length > 0);
    if (kind === 'tool') {
      const decl = tools.find((t) => t.name === TOOL.name);
      check(decl && hasCityParam(decl.input_schema), `tool ${TOOL.name} with its input_schema not declared`);
    }
    if (kind === 'final') {
      for (const r of results) {
        check(typeof r.tool_use_id === 'string' && r.tool_use_id !== '', 'a tool_result has no tool_use_id');
        const use = blocks('assistant', 'tool_use').find((b) => b.id === r.tool_use_id);
        check(use, `no assistant tool_use block with id ${r.tool_use_id}`);
        check(use.name === TOOL.name, `the tool_use ${r.tool_use_id} is ${use.name}`);
        check(isDeepStrictEqual(use.input, TOOL_ARGS), `the tool_use input came back altered: ${JSON.stringify(use.input)}`);
        check(containsDeep(r.content, TOOL_RESULT_MARK), `the tool_result does not carry the result: ${JSON.stringify(r.content)}`);
      }
    }

    const msgBase = { id: 'msg_fake_1', type: 'message', role: 'assistant', model: p.upstream };
    const stop = kind === 'tool' ? 'tool_use' : 'end_turn';
    const use = { type: 'tool_use', id: 'toolu_fake_1', name: TOOL.name, input: TOOL_ARGS };
    const text = kind === 'final' ? FINAL_TEXT : TEXT;
    if (!body.stream) {
      return sendJson(res, 200, {
        ...msgBase,
        content: kind === 'tool' ? [use] : [{ type: 'text', text }],
        stop_reason: stop, stop_sequence: null,
        usage: { input_tokens: USAGE.input, output_tokens: USAGE.output },
      });
    }
    const frames = [];
    const ev = (type, fields) => frames.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`);
    ev('message_start', { message: { ...msgBase, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: USAGE.input, output_tokens: 1 } } });
    if (kind === 'tool') {
      ev('content_block_start', { index: 0, content_block: { ...use, input: {} } });
      ev('ping', {});
      for (const piece of TOOL_ARGS_PIECES) ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: piece } });
    } else {
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      ev('ping', {});
      for (const piece of kind === 'final' ? FINAL_PIECES : TEXT_PIECES) ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
    }
    ev('content_block_stop', { index: 0 });
    ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: USAGE.output } });
    ev('message_stop', {});
    return sendEvents(res, frames);
  },
};

// ---------------------------------------------------------------- gemini (generateContent)

const geminiFamily = {
  name: 'gemini',
  basePath: '',
  error: (message) => ({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } }),

  async handle(req, body, res) {
    const p = PROVIDERS.gemini;
    const m = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(req.path);
    check(req.method === 'POST' && m, `unexpected ${req.method} ${req.path}`);
    check(m[1] === p.upstream, `the model in the path is ${m[1]}, want ${p.upstream}`);
    check(req.headers['x-goog-api-key'] === p.key, `x-goog-api-key is ${req.headers['x-goog-api-key']}`);
    const stream = m[2] === 'streamGenerateContent';
    check(Array.isArray(body.contents) && body.contents.length > 0, 'contents must be a non-empty array');
    for (const [i, c] of body.contents.entries()) {
      check(c && (c.role === undefined || c.role === 'user' || c.role === 'model' || c.role === 'function'), `contents[${i}].role is ${c && c.role}`);
      check(Array.isArray(c.parts) && c.parts.length > 0, `contents[${i}].parts must be a non-empty array`);
      for (const part of c.parts) {
        const known = ['text', 'inlineData', 'inline_data', 'fileData', 'file_data', 'functionCall', 'functionResponse', 'thought', 'thoughtSignature', 'executableCode', 'codeExecutionResult'];
        check(part && Object.keys(part).some((k) => known.includes(k)), `contents[${i}] has an unknown part ${JSON.stringify(part)}`);
      }
    }
    check(body.systemInstruction === undefined || body.system_instruction === undefined, 'both systemInstruction and system_instruction');
    check(!('messages' in body) && !('input' in body), 'a field of another format (messages / input)');

    const parts = (role) => body.contents.filter((c) => (role === 'model' ? c.role === 'model' : c.role !== 'model')).flatMap((c) => c.parts);
    const responses = parts('user').filter((x) => x.functionResponse).map((x) => x.functionResponse);
    const decls = (Array.isArray(body.tools) ? body.tools : [])
      .flatMap((t) => t.functionDeclarations || t.function_declarations || []);
    const kind = scenario(responses.length > 0, decls.length > 0);
    if (kind === 'tool') {
      const decl = decls.find((d) => d.name === TOOL.name);
      check(decl && hasCityParam(decl.parameters || decl.parametersJsonSchema), `function declaration ${TOOL.name} with its parameters not declared`);
    }
    if (kind === 'final') {
      const calls = parts('model').filter((x) => x.functionCall).map((x) => x.functionCall);
      for (const r of responses) {
        check(r.name === TOOL.name, `a functionResponse names ${r.name}, want ${TOOL.name}`);
        const call = calls.find((c) => c.name === r.name);
        check(call, `no model functionCall of ${r.name} before its functionResponse`);
        check(isDeepStrictEqual(call.args, TOOL_ARGS), `the functionCall args came back altered: ${JSON.stringify(call.args)}`);
        check(r.response && typeof r.response === 'object' && !Array.isArray(r.response), 'functionResponse.response must be an object');
        check(containsDeep(r.response, TOOL_RESULT_MARK), `the functionResponse does not carry the result: ${JSON.stringify(r.response)}`);
      }
    }

    const usageMetadata = { promptTokenCount: USAGE.input, candidatesTokenCount: USAGE.output, totalTokenCount: USAGE.input + USAGE.output };
    const answer = (partsOut, finish, usage) => ({
      candidates: [{ content: { role: 'model', parts: partsOut }, ...(finish ? { finishReason: 'STOP' } : {}), index: 0 }],
      ...(usage ? { usageMetadata } : {}),
      modelVersion: p.upstream, responseId: 'resp-fake-1',
    });
    const call = { functionCall: { name: TOOL.name, args: TOOL_ARGS } };
    const text = kind === 'final' ? FINAL_TEXT : TEXT;
    if (!stream) return sendJson(res, 200, answer(kind === 'tool' ? [call] : [{ text }], true, true));

    // Gemini streams a function call whole, in one chunk: its format has no argument deltas.
    const chunks = kind === 'tool'
      ? [answer([call], true, true)]
      : (kind === 'final' ? FINAL_PIECES : TEXT_PIECES).map((piece, i, all) => answer([{ text: piece }], i === all.length - 1, i === all.length - 1));
    if (req.query.get('alt') === 'sse') return sendEvents(res, chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`));
    // Without alt=sse Gemini streams one JSON array.
    return sendEvents(res, chunks.map((c, i) => (i === 0 ? '[' : ',\r\n') + JSON.stringify(c)).concat([']']));
  },
};

export const FAMILIES = { 'openai-compat': chatFamily, codex: codexFamily, claude: claudeFamily, gemini: geminiFamily };

/**
 * Starts the fake of `familyName` on 127.0.0.1:0. Returns { url (base-url for
 * the config), requests (every request received), rejects (why a request was
 * answered 400), close() }.
 */
export async function startFake(familyName) {
  const family = FAMILIES[familyName];
  const requests = [];
  const rejects = [];
  const server = http.createServer({ noDelay: true }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://127.0.0.1');
      const record = { method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, raw };
      requests.push(record);
      try {
        let body;
        try {
          body = JSON.parse(raw);
        } catch {
          throw new Reject('the body is not JSON');
        }
        check(body && typeof body === 'object' && !Array.isArray(body), 'the body is not a JSON object');
        record.body = body;
        await family.handle(record, body, res);
      } catch (e) {
        const message = e instanceof Reject ? e.message : `fake ${familyName} failed: ${e.stack || e}`;
        rejects.push(`${familyName} fake rejected ${req.method} ${req.url}: ${message}\n  body: ${raw.slice(0, 2000)}`);
        if (!res.headersSent) await sendJson(res, e instanceof Reject ? 400 : 500, family.error(message));
        else res.destroy();
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    family: familyName,
    url: `http://127.0.0.1:${port}${family.basePath}`,
    requests,
    rejects,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
