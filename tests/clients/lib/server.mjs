// The real cpa-server in a temp dir: config.yaml pointing at the fakes,
// 127.0.0.1 on an ephemeral port, read back from its "listening on" line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { CLIENT_KEY, PROVIDERS } from './fixtures.mjs';

const q = (s) => JSON.stringify(s);  // a YAML double-quoted scalar

/** config.yaml: the client key and one credential per family, each with its own model. */
export function configYaml(fakes) {
  const m = (family) => `    models:\n      - name: ${q(PROVIDERS[family].upstream)}\n        alias: ${q(PROVIDERS[family].alias)}\n`;
  const lines = [
    'host: "127.0.0.1"',
    'port: 0',
    'api-keys:',
    `  - ${q(CLIENT_KEY)}`,
    'request-retry: 0',
    '',
  ].join('\n');
  let yaml = lines;
  if (fakes['openai-compat']) {
    yaml += 'openai-compatibility:\n  - name: "fakechat"\n' +
      `    base-url: ${q(fakes['openai-compat'].url)}\n` +
      `    api-key-entries:\n      - api-key: ${q(PROVIDERS['openai-compat'].key)}\n` + m('openai-compat');
  }
  if (fakes.codex) {
    yaml += `codex-api-key:\n  - api-key: ${q(PROVIDERS.codex.key)}\n    base-url: ${q(fakes.codex.url)}\n` + m('codex');
  }
  if (fakes.claude) {
    yaml += `claude-api-key:\n  - api-key: ${q(PROVIDERS.claude.key)}\n    base-url: ${q(fakes.claude.url)}\n` + m('claude');
  }
  if (fakes.gemini) {
    yaml += `gemini-api-key:\n  - api-key: ${q(PROVIDERS.gemini.key)}\n    base-url: ${q(fakes.gemini.url)}\n` + m('gemini');
  }
  return yaml;
}

/**
 * Starts `binary` with `yaml` in `dir`; resolves to { port, stderr(), stop() }
 * once it reports listening, rejects (with its stderr) if it exits or takes
 * longer than `timeoutMs`.
 */
export async function startServer({ binary, modulesDir, dir, yaml, timeoutMs = 20000 }) {
  fs.mkdirSync(path.join(dir, 'home'), { recursive: true });
  const configPath = path.join(dir, 'config.yaml');
  fs.writeFileSync(configPath, yaml);
  const args = ['--config', configPath];
  if (modulesDir) args.push('--modules-dir', modulesDir);
  const env = { ...process.env, HOME: path.join(dir, 'home') };
  delete env.MANAGEMENT_PASSWORD;
  env.CPA_PANEL_AUTO_UPDATE = '0';  // the web panel's feed is on GitHub: never from a test
  // Nothing but loopback: no proxy for cpa's upstream calls either.
  for (const k of ['http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY']) delete env[k];
  const child = spawn(binary, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr.setEncoding('utf8');
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = code ?? `signal ${signal}`;
      resolve();
    });
    child.on('error', (e) => {  // not started: no 'exit' follows
      exited = `not started: ${e.message}`;
      resolve();
    });
  });

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cpa-server did not report listening within ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /cpa-server listening on [^\n]*:(\d+)\n/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${binary}: ${e.message}`));
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`cpa-server exited (${exited}) before listening; stderr:\n${err}\nstdout:\n${out}`));
    });
  }).catch(async (e) => {
    if (exited === null) child.kill('SIGKILL');
    await exitPromise;
    throw e;
  });

  return {
    port,
    stderr: () => err,
    /** Synchronous, for signal handlers: SIGKILL, no wait. */
    kill() {
      if (exited === null) child.kill('SIGKILL');
    },
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
