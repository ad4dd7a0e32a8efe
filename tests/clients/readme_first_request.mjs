// Runs the README's "First request" blocks as written: the providers block
// appended to config/config.example.yaml, `--check-config`, the curl calls and
// the OpenAI SDK snippet, against one fake provider on loopback that speaks
// both OpenAI chat and Anthropic messages. Only the provider URLs (to the fake)
// and the port 8317 (to a free one) are substituted.
// Usage: node readme_first_request.mjs --server BIN --modules-dir DIR
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { startServer } from './lib/server.mjs';

// Asynchronous: the fake provider answers from this very process.
const run = async (cmd, args) => (await promisify(execFile)(cmd, args, { encoding: 'utf8' })).stdout;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const binary = arg('--server');
const modulesDir = arg('--modules-dir');

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

/** The fenced block after `<!-- first-request: NAME -->`, its indentation removed. */
function block(readme, name) {
  const m = new RegExp(`<!-- first-request: ${name} -->\\n( *)\`\`\`\\w*\\n([\\s\\S]*?)\\n *\`\`\``).exec(readme);
  if (!m) fail(`README.md has no first-request block "${name}"`);
  const indent = m[1].length;
  return m[2].split('\n').map((l) => l.slice(Math.min(indent, l.search(/\S|$/)))).join('\n') + '\n';
}

const OPENAI_TEXT = 'hi from the fake OpenAI';
const CLAUDE_TEXT = 'hi from the fake Claude';

/** One fake for both providers: it checks the path and the key the README configured. */
async function startFake() {
  const seen = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const route = new URL(req.url, 'http://127.0.0.1').pathname;  // claude calls carry ?beta=true
      seen.push({ path: req.url, headers: req.headers, body: raw });
      const send = (status, obj) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      const body = JSON.parse(raw || '{}');
      if (route === '/v1/chat/completions' && req.headers.authorization === 'Bearer sk-your-openai-key') {
        send(200, { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: OPENAI_TEXT }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } });
      } else if (route === '/v1/messages' && [req.headers['x-api-key'], req.headers.authorization]
        .some((v) => v === 'sk-ant-your-anthropic-key' || v === 'Bearer sk-ant-your-anthropic-key')) {
        send(200, { id: 'msg_1', type: 'message', role: 'assistant', model: body.model,
          content: [{ type: 'text', text: CLAUDE_TEXT }], stop_reason: 'end_turn', stop_sequence: null,
          usage: { input_tokens: 3, output_tokens: 5 } });
      } else {
        send(404, { error: { message: `unexpected ${req.method} ${req.url}` } });
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
}

async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpa-readme-'));
const fake = await startFake();
let server;
try {
  const port = await freePort();
  const local = (text) => text.replaceAll('8317', String(port))
    .replaceAll('build/release/bin/cpa-server', binary);
  const providers = block(readme, 'providers')
    .replace('https://api.openai.com/v1', `${fake.url}/v1`)
    .replace('https://api.anthropic.com', fake.url);
  const example = fs.readFileSync(path.join(root, 'config/config.example.yaml'), 'utf8');
  if (!example.includes('port: 8317')) fail('config.example.yaml no longer listens on 8317: update the README');
  const yaml = local(example) + '\n' + providers;

  // Step 3: the check the README shows (run/config.yaml is our temp config).
  fs.writeFileSync(path.join(dir, 'config.yaml'), yaml);
  const start = block(readme, 'start');
  const check = local(start.split('\n')[0]).replace('run/config.yaml', path.join(dir, 'config.yaml'));
  const checkOut = await run('bash', ['-c', `${check} --modules-dir '${modulesDir}'`]);
  if (!checkOut.includes(': OK')) fail(`--check-config did not say OK:\n${checkOut}`);

  server = await startServer({ binary, modulesDir, dir, yaml });
  if (server.port !== port) fail(`server listens on ${server.port}, want ${port}`);

  const curlOut = await run('bash', ['-euo', 'pipefail', '-c', local(block(readme, 'curl'))]);
  if (!curlOut.includes(OPENAI_TEXT)) fail(`the chat curl did not reach the OpenAI provider:\n${curlOut}`);
  if (!curlOut.includes(CLAUDE_TEXT)) fail(`the messages curl did not reach the Claude provider:\n${curlOut}`);

  // The SDK snippet resolves `openai` from a node_modules beside it.
  fs.symlinkSync(path.join(here, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'sdk.mjs'), local(block(readme, 'sdk')));
  const sdkOut = await run('node', [path.join(dir, 'sdk.mjs')]);
  if (sdkOut.trim() !== OPENAI_TEXT) fail(`the SDK snippet printed ${JSON.stringify(sdkOut)}`);
  console.log('readme first request: check-config, curl (chat + messages) and the OpenAI SDK all answered');
} catch (e) {
  if (!process.exitCode) {
    console.error(e.stack || e);
    process.exitCode = 1;
  }
  if (server) console.error(`server stderr:\n${server.stderr()}`);
} finally {
  await server?.stop();
  fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
