#!/usr/bin/env node
// One real-client test: an official SDK (--client) against cpa, which reaches
// a fake upstream of one provider family (--provider) on loopback.
//
//   node tests/clients/run.mjs --server build/dev/bin/cpa-server \
//       [--modules-dir DIR] --client openai-chat|openai-responses|anthropic|genai \
//       --provider openai-compat|codex|claude|gemini [--only text,stream,tool,toolStream]
//
// Scenarios: text (non-stream), stream, tool (call + second turn with the
// result), toolStream (the same, streamed). Every scenario runs; the exit code
// is 1 when any failed. Registered in ctest as clients.<client>.to_<provider>.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCENARIOS = ['text', 'stream', 'tool', 'toolStream'];

function usage(message) {
  console.error(`run.mjs: ${message}`);
  process.exit(2);
}

/**
 * The installed SDKs must be the ones the lock pins; a missing or stale
 * node_modules fails the test (never a skip).
 */
function checkInstalled() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    console.error(`FAIL: Node ${process.version} is too old: the pinned @google/genai needs Node >= 20 ` +
      '(its last Node 18 release, 1.0.0, corrupts a multi-byte character split across two reads of a stream). ' +
      'Run scripts/install-deps, or put a Node >= 20 first on PATH.');
    process.exit(1);
  }
  const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'));
  const problems = [];
  for (const name of Object.keys(lock.packages[''].dependencies)) {
    const want = lock.packages[`node_modules/${name}`].version;
    const file = path.join(here, 'node_modules', name, 'package.json');
    if (!fs.existsSync(file)) {
      problems.push(`${name} is not installed`);
      continue;
    }
    const got = JSON.parse(fs.readFileSync(file, 'utf8')).version;
    if (got !== want) problems.push(`${name} is ${got}, the lock pins ${want}`);
  }
  if (problems.length > 0) {
    console.error(`FAIL: the client SDKs are not installed as tests/clients/package-lock.json pins them:\n  ${problems.join('\n  ')}\n` +
      'Run scripts/install-deps (it runs `npm ci --prefix tests/clients`).');
    process.exit(1);
  }
}

function describe(e) {
  if (e && e.code === 'ERR_ASSERTION') return e.message;
  const parts = [];
  if (e && e.constructor && e.constructor.name) parts.push(e.constructor.name);
  if (e && e.status) parts.push(`status ${e.status}`);
  parts.push(e && e.message ? e.message : String(e));
  let text = parts.join(': ');
  if (e && e.error && typeof e.error === 'object') text += `\n    body: ${JSON.stringify(e.error)}`;
  if (e && e.cause) text += `\n    cause: ${e.cause.message || e.cause}`;
  return text;
}

async function main() {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      'modules-dir': { type: 'string' },
      client: { type: 'string' },
      provider: { type: 'string' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (!values.server) usage('--server <path of cpa-server> is required');
  if (!fs.existsSync(values.server)) usage(`no cpa-server at ${values.server}`);
  // cpa runs in a temp dir: relative paths are made absolute here.
  values.server = path.resolve(values.server);
  if (values['modules-dir']) values['modules-dir'] = path.resolve(values['modules-dir']);
  checkInstalled();

  const { CLIENTS, SAME_FORMAT } = await import('./lib/clients.mjs');
  const { FAMILIES, startFake } = await import('./lib/fakes.mjs');
  const { PROVIDERS } = await import('./lib/fixtures.mjs');
  const { configYaml, startServer } = await import('./lib/server.mjs');
  if (!CLIENTS[values.client]) usage(`--client must be one of ${Object.keys(CLIENTS).join(', ')}`);
  if (!FAMILIES[values.provider]) usage(`--provider must be one of ${Object.keys(FAMILIES).join(', ')}`);
  const scenarios = values.only ? values.only.split(',') : SCENARIOS;
  for (const s of scenarios) if (!SCENARIOS.includes(s)) usage(`unknown scenario ${s}`);

  const label = `${values.client} -> ${values.provider}${SAME_FORMAT[values.client] === values.provider ? ' (same format)' : ' (translated)'}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpa-clients-'));
  const fakes = {};
  let server = null;
  let passed = 0;
  let failed = 0;
  // Interrupted (Ctrl-C, a killed ctest): no cpa-server or temp dir is left behind.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      server?.kill();
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(1);
    });
  }
  try {
    // Every family is configured, each with its own model: the model asked for picks the provider.
    for (const family of Object.keys(FAMILIES)) fakes[family] = await startFake(family);
    server = await startServer({ binary: values.server, modulesDir: values['modules-dir'], dir, yaml: configYaml(fakes) });
    const client = await CLIENTS[values.client]({ port: server.port, model: PROVIDERS[values.provider].alias, provider: values.provider });
    console.log(`${label}: cpa on 127.0.0.1:${server.port}, fake ${values.provider} at ${fakes[values.provider].url}`);

    for (const name of scenarios) {
      const target = fakes[values.provider];
      const seenBefore = target.requests.length;
      const rejectsBefore = target.rejects.length;
      const started = Date.now();
      try {
        await client[name]();
        if (target.requests.length === seenBefore) throw new Error(`the fake ${values.provider} upstream received no request`);
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
        passed++;
      } catch (e) {
        failed++;
        console.log(`FAIL ${name}: ${describe(e)}`);
        for (const r of target.rejects.slice(rejectsBefore)) console.log(`    ${r.replace(/\n/g, '\n    ')}`);
        if (target.requests.length === seenBefore) console.log(`    (the fake ${values.provider} upstream received no request)`);
        if (values.verbose && e && e.stack) console.log(e.stack);
      }
    }
    for (const [family, fake] of Object.entries(fakes)) {
      if (family !== values.provider && fake.requests.length > 0) {
        failed++;
        console.log(`FAIL routing: the ${family} fake received ${fake.requests.length} request(s) meant for ${values.provider}`);
      }
    }
  } catch (e) {
    failed++;
    console.log(`FAIL setup: ${describe(e)}`);
  } finally {
    if (server) {
      if (failed > 0) {
        const tail = server.stderr().split('\n').slice(-25).join('\n    ');
        console.log(`--- cpa-server stderr (last lines):\n    ${tail}`);
      }
      await server.stop();
    }
    await Promise.all(Object.values(fakes).map((f) => f.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
