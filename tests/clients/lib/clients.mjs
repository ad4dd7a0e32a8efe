// The official SDKs, pointed at cpa on loopback, no retries, short timeouts.
// Each client has four scenarios; each throws (AssertionError or the SDK's
// own error) on the first thing that is not intact.
import assert from 'node:assert/strict';

import {
  CLIENT_KEY, FINAL_TEXT, PROMPT, TEXT, TEXT_PIECES, TOOL, TOOL_ARGS, TOOL_PROMPT, TOOL_RESULT, USAGE,
} from './fixtures.mjs';

const TIMEOUT_MS = 20000;

/** The SDKs are imported only once the driver has checked node_modules is installed. */
async function sdk(name) {
  const mod = await import(name);
  return mod.default ?? mod;
}

/** Streamed argument deltas a client must see: Gemini sends a call whole, the others in pieces. */
function minArgDeltas(provider) {
  return provider === 'gemini' ? 1 : 2;
}

// ---------------------------------------------------------------- openai: chat.completions

async function openaiChat({ port, model, provider }) {
  const OpenAI = await sdk('openai');
  const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, timeout: TIMEOUT_MS });
  const tools = [{ type: 'function', function: { name: TOOL.name, description: TOOL.description, parameters: TOOL.parameters } }];

  const checkUsage = (usage, where) => {
    assert.ok(usage, `${where}: no usage`);
    assert.equal(usage.prompt_tokens, USAGE.input, `${where}: usage.prompt_tokens`);
    assert.equal(usage.completion_tokens, USAGE.output, `${where}: usage.completion_tokens`);
  };

  /** Streams one request; returns { text, deltas, usage, finish }. */
  const streamText = async (messages) => {
    const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let deltas = 0;
    let usage = null;
    let finish = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices && chunk.choices[0];
      if (!choice) continue;
      if (typeof choice.delta?.content === 'string' && choice.delta.content !== '') {
        text += choice.delta.content;
        deltas++;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    return { text, deltas, usage, finish };
  };

  const secondTurn = (message, call) => [
    { role: 'user', content: TOOL_PROMPT },
    message,
    { role: 'tool', tool_call_id: call.id, content: JSON.stringify(TOOL_RESULT) },
  ];

  const checkCall = (message, where) => {
    assert.ok(Array.isArray(message.tool_calls) && message.tool_calls.length === 1, `${where}: want one tool call, got ${JSON.stringify(message.tool_calls)}`);
    const call = message.tool_calls[0];
    assert.equal(call.type, 'function', `${where}: tool call type`);
    assert.ok(typeof call.id === 'string' && call.id !== '', `${where}: tool call id`);
    assert.equal(call.function.name, TOOL.name, `${where}: tool name`);
    assert.deepEqual(JSON.parse(call.function.arguments), TOOL_ARGS, `${where}: tool arguments`);
    return call;
  };

  return {
    async text() {
      const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(r.object, 'chat.completion');
      assert.equal(r.choices[0].message.content, TEXT, 'message.content');
      assert.equal(r.choices[0].finish_reason, 'stop', 'finish_reason');
      checkUsage(r.usage, 'response');
    },
    async stream() {
      const s = await streamText([{ role: 'user', content: PROMPT }]);
      assert.equal(s.text, TEXT, 'assembled delta.content');
      assert.ok(s.deltas >= TEXT_PIECES.length, `${s.deltas} content deltas for ${TEXT_PIECES.length} upstream pieces`);
      assert.equal(s.finish, 'stop', 'finish_reason');
      checkUsage(s.usage, 'usage chunk (stream_options.include_usage)');
    },
    async tool() {
      const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: TOOL_PROMPT }], tools });
      assert.equal(r.choices[0].finish_reason, 'tool_calls', 'finish_reason');
      const call = checkCall(r.choices[0].message, 'response');
      const r2 = await client.chat.completions.create({ model, messages: secondTurn(r.choices[0].message, call), tools });
      assert.equal(r2.choices[0].message.content, FINAL_TEXT, 'second turn message.content');
    },
    async toolStream() {
      // The SDK's accumulating helper: it rebuilds the call from the deltas.
      const stream = client.chat.completions.stream({ model, messages: [{ role: 'user', content: TOOL_PROMPT }], tools });
      let argDeltas = 0;
      stream.on('tool_calls.function.arguments.delta', () => { argDeltas++; });
      const done = await stream.finalChatCompletion();
      assert.equal(done.choices[0].finish_reason, 'tool_calls', 'finish_reason');
      const call = checkCall(done.choices[0].message, 'final chat completion');
      assert.ok(argDeltas >= minArgDeltas(provider), `${argDeltas} argument deltas`);
      const s = await streamText(secondTurn(done.choices[0].message, call));
      assert.equal(s.text, FINAL_TEXT, 'second turn assembled text');
    },
  };
}

// ---------------------------------------------------------------- openai: responses

async function openaiResponses({ port, model, provider }) {
  const OpenAI = await sdk('openai');
  const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, timeout: TIMEOUT_MS });
  const tools = [{ type: 'function', name: TOOL.name, description: TOOL.description, parameters: TOOL.parameters, strict: false }];

  const checkUsage = (usage, where) => {
    assert.ok(usage, `${where}: no usage`);
    assert.equal(usage.input_tokens, USAGE.input, `${where}: usage.input_tokens`);
    assert.equal(usage.output_tokens, USAGE.output, `${where}: usage.output_tokens`);
  };
  const checkCall = (response, where) => {
    const calls = response.output.filter((o) => o.type === 'function_call');
    assert.equal(calls.length, 1, `${where}: want one function_call item, output is ${JSON.stringify(response.output)}`);
    const call = calls[0];
    assert.equal(call.name, TOOL.name, `${where}: function name`);
    assert.ok(typeof call.call_id === 'string' && call.call_id !== '', `${where}: call_id`);
    assert.deepEqual(JSON.parse(call.arguments), TOOL_ARGS, `${where}: arguments`);
    return call;
  };
  const secondInput = (call) => [
    { role: 'user', content: TOOL_PROMPT },
    { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
    { type: 'function_call_output', call_id: call.call_id, output: JSON.stringify(TOOL_RESULT) },
  ];
  const streamText = async (input) => {
    const stream = await client.responses.create({ model, input, stream: true });
    let text = '';
    let deltas = 0;
    let last = null;
    let completed = null;
    for await (const ev of stream) {
      last = ev;
      if (ev.type === 'response.output_text.delta') {
        text += ev.delta;
        deltas++;
      }
      if (ev.type === 'response.completed') completed = ev.response;
      if (ev.type === 'error' || ev.type === 'response.failed') assert.fail(`stream event ${JSON.stringify(ev)}`);
    }
    assert.equal(last && last.type, 'response.completed', 'the last event');
    return { text, deltas, completed };
  };

  return {
    async text() {
      const r = await client.responses.create({ model, input: PROMPT });
      assert.equal(r.object, 'response');
      assert.equal(r.status, 'completed', 'status');
      assert.equal(r.output_text, TEXT, 'output_text');
      checkUsage(r.usage, 'response');
    },
    async stream() {
      const s = await streamText(PROMPT);
      assert.equal(s.text, TEXT, 'assembled output_text deltas');
      assert.ok(s.deltas >= TEXT_PIECES.length, `${s.deltas} text deltas for ${TEXT_PIECES.length} upstream pieces`);
      checkUsage(s.completed.usage, 'response.completed');
    },
    async tool() {
      const r = await client.responses.create({ model, input: TOOL_PROMPT, tools });
      const call = checkCall(r, 'response');
      const r2 = await client.responses.create({ model, input: secondInput(call), tools });
      assert.equal(r2.output_text, FINAL_TEXT, 'second turn output_text');
    },
    async toolStream() {
      // The SDK's accumulating helper: it rebuilds the response from the events.
      const stream = client.responses.stream({ model, input: TOOL_PROMPT, tools });
      let argDeltas = 0;
      stream.on('response.function_call_arguments.delta', () => { argDeltas++; });
      const done = await stream.finalResponse();
      const call = checkCall(done, 'final response');
      assert.ok(argDeltas >= minArgDeltas(provider), `${argDeltas} argument deltas`);
      const s = await streamText(secondInput(call));
      assert.equal(s.text, FINAL_TEXT, 'second turn assembled text');
    },
  };
}

// ---------------------------------------------------------------- anthropic: messages

async function anthropicMessages({ port, model, provider }) {
  const Anthropic = await sdk('@anthropic-ai/sdk');
  const client = new Anthropic({ apiKey: CLIENT_KEY, authToken: null, baseURL: `http://127.0.0.1:${port}`, maxRetries: 0, timeout: TIMEOUT_MS });
  const tools = [{ name: TOOL.name, description: TOOL.description, input_schema: TOOL.parameters }];
  const maxTokens = 256;

  const checkCall = (message, where) => {
    const uses = message.content.filter((b) => b.type === 'tool_use');
    assert.equal(uses.length, 1, `${where}: want one tool_use block, content is ${JSON.stringify(message.content)}`);
    assert.equal(uses[0].name, TOOL.name, `${where}: tool name`);
    assert.ok(typeof uses[0].id === 'string' && uses[0].id !== '', `${where}: tool_use id`);
    assert.deepEqual(uses[0].input, TOOL_ARGS, `${where}: tool input`);
    assert.equal(message.stop_reason, 'tool_use', `${where}: stop_reason`);
    return uses[0];
  };
  const secondTurn = (message, use) => [
    { role: 'user', content: TOOL_PROMPT },
    { role: 'assistant', content: message.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: JSON.stringify(TOOL_RESULT) }] },
  ];
  const textOf = (message) => message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
  const streamText = async (messages) => {
    const stream = await client.messages.create({ model, max_tokens: maxTokens, messages, stream: true });
    let text = '';
    let deltas = 0;
    let last = null;
    let inputTokens = null;
    let outputTokens = null;
    let stop = null;
    for await (const ev of stream) {
      last = ev;
      // A translated stream cannot know the input tokens at message_start (the upstream reports
      // them at its end): the last non-zero count of message_start / message_delta is taken.
      if (ev.type === 'message_start' && ev.message.usage?.input_tokens) inputTokens = ev.message.usage.input_tokens;
      if (ev.type === 'message_delta' && ev.usage?.input_tokens) inputTokens = ev.usage.input_tokens;
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') {
        text += ev.delta.text;
        deltas++;
      }
      if (ev.type === 'message_delta') {
        outputTokens = ev.usage?.output_tokens;
        stop = ev.delta.stop_reason;
      }
    }
    assert.equal(last && last.type, 'message_stop', 'the last event');
    return { text, deltas, inputTokens, outputTokens, stop };
  };

  return {
    async text() {
      const r = await client.messages.create({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(r.type, 'message');
      assert.equal(r.role, 'assistant');
      assert.equal(textOf(r), TEXT, 'text blocks');
      assert.equal(r.stop_reason, 'end_turn', 'stop_reason');
      assert.equal(r.usage.input_tokens, USAGE.input, 'usage.input_tokens');
      assert.equal(r.usage.output_tokens, USAGE.output, 'usage.output_tokens');
    },
    async stream() {
      const s = await streamText([{ role: 'user', content: PROMPT }]);
      assert.equal(s.text, TEXT, 'assembled text_delta');
      assert.ok(s.deltas >= TEXT_PIECES.length, `${s.deltas} text deltas for ${TEXT_PIECES.length} upstream pieces`);
      assert.equal(s.stop, 'end_turn', 'message_delta stop_reason');
      assert.equal(s.inputTokens, USAGE.input, 'usage.input_tokens (message_start or message_delta)');
      assert.equal(s.outputTokens, USAGE.output, 'message_delta usage.output_tokens');
    },
    async tool() {
      const r = await client.messages.create({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: TOOL_PROMPT }], tools });
      const use = checkCall(r, 'message');
      const r2 = await client.messages.create({ model, max_tokens: maxTokens, messages: secondTurn(r, use), tools });
      assert.equal(textOf(r2), FINAL_TEXT, 'second turn text');
    },
    async toolStream() {
      // The SDK's accumulating helper: it parses the partial JSON of the input deltas.
      const stream = client.messages.stream({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: TOOL_PROMPT }], tools });
      let argDeltas = 0;
      stream.on('inputJson', () => { argDeltas++; });
      const done = await stream.finalMessage();
      const use = checkCall(done, 'final message');
      assert.ok(argDeltas >= minArgDeltas(provider), `${argDeltas} input_json deltas`);
      const s = await streamText(secondTurn(done, use));
      assert.equal(s.text, FINAL_TEXT, 'second turn assembled text');
    },
  };
}

// ---------------------------------------------------------------- google genai: generateContent

/** JSON Schema → the Gemini Schema a genai user writes (upper-case Type names). */
function geminiSchema(s) {
  const out = { ...s, type: s.type.toUpperCase() };
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, geminiSchema(v)]));
  if (s.items) out.items = geminiSchema(s.items);
  return out;
}

async function genaiGenerate({ port, model, provider }) {
  const { GoogleGenAI } = await import('@google/genai');
  const ai = new GoogleGenAI({ vertexai: false, apiKey: CLIENT_KEY, httpOptions: { baseUrl: `http://127.0.0.1:${port}`, timeout: TIMEOUT_MS, retryOptions: { attempts: 1 } } });
  const config = { tools: [{ functionDeclarations: [{ name: TOOL.name, description: TOOL.description, parameters: geminiSchema(TOOL.parameters) }] }] };

  const checkUsage = (u, where) => {
    assert.ok(u, `${where}: no usageMetadata`);
    assert.equal(u.promptTokenCount, USAGE.input, `${where}: usageMetadata.promptTokenCount`);
    assert.equal(u.candidatesTokenCount, USAGE.output, `${where}: usageMetadata.candidatesTokenCount`);
  };
  const checkCall = (response, where) => {
    const calls = response.functionCalls;
    assert.ok(Array.isArray(calls) && calls.length === 1, `${where}: want one function call, got ${JSON.stringify(response.candidates)}`);
    assert.equal(calls[0].name, TOOL.name, `${where}: function name`);
    assert.deepEqual(calls[0].args, TOOL_ARGS, `${where}: function args`);
    return calls[0];
  };
  const secondTurn = (modelContent, call) => [
    { role: 'user', parts: [{ text: TOOL_PROMPT }] },
    modelContent,
    { role: 'user', parts: [{ functionResponse: { ...(call.id ? { id: call.id } : {}), name: call.name, response: TOOL_RESULT } }] },
  ];
  const streamText = async (contents, extra = {}) => {
    const stream = await ai.models.generateContentStream({ model, contents, ...extra });
    let text = '';
    let deltas = 0;
    let chunks = 0;
    let finish = null;
    let usage = null;
    for await (const chunk of stream) {
      chunks++;
      const t = chunk.text;
      if (typeof t === 'string' && t !== '') {
        text += t;
        deltas++;
      }
      if (chunk.candidates?.[0]?.finishReason) finish = chunk.candidates[0].finishReason;
      if (chunk.usageMetadata) usage = chunk.usageMetadata;
    }
    assert.ok(chunks > 0, 'no chunk');
    return { text, deltas, finish, usage };
  };

  return {
    async text() {
      const r = await ai.models.generateContent({ model, contents: PROMPT });
      assert.equal(r.text, TEXT, 'response.text');
      assert.equal(r.candidates[0].finishReason, 'STOP', 'finishReason');
      checkUsage(r.usageMetadata, 'response');
    },
    async stream() {
      const s = await streamText(PROMPT);
      assert.equal(s.text, TEXT, 'assembled chunk.text');
      assert.ok(s.deltas >= TEXT_PIECES.length, `${s.deltas} text chunks for ${TEXT_PIECES.length} upstream pieces`);
      assert.equal(s.finish, 'STOP', 'finishReason');
      checkUsage(s.usage, 'the last usageMetadata');
    },
    async tool() {
      const r = await ai.models.generateContent({ model, contents: TOOL_PROMPT, config });
      const call = checkCall(r, 'response');
      const r2 = await ai.models.generateContent({ model, contents: secondTurn(r.candidates[0].content, call), config });
      assert.equal(r2.text, FINAL_TEXT, 'second turn text');
    },
    async toolStream() {
      const stream = await ai.models.generateContentStream({ model, contents: TOOL_PROMPT, config });
      const calls = [];
      const parts = [];
      for await (const chunk of stream) {
        for (const c of chunk.functionCalls ?? []) calls.push(c);
        for (const p of chunk.candidates?.[0]?.content?.parts ?? []) parts.push(p);
      }
      // Chunks each carry whole calls: the call is the one of the chunks.
      assert.equal(calls.length, 1, `want one function call across the chunks, got ${JSON.stringify(calls)}`);
      assert.equal(calls[0].name, TOOL.name, 'function name');
      assert.deepEqual(calls[0].args, TOOL_ARGS, 'function args');
      const s = await streamText(secondTurn({ role: 'model', parts }, calls[0]), { config });
      assert.equal(s.text, FINAL_TEXT, 'second turn assembled text');
    },
  };
}

export const CLIENTS = {
  'openai-chat': openaiChat,
  'openai-responses': openaiResponses,
  anthropic: anthropicMessages,
  genai: genaiGenerate,
};

/** The provider family a client's own format reaches without translation. */
export const SAME_FORMAT = { 'openai-chat': 'openai-compat', 'openai-responses': 'codex', anthropic: 'claude', genai: 'gemini' };
