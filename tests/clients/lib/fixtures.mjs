// What every fake answers and every client checks: the same text, tool and
// arguments whatever the pair, so a translated answer must carry them intact.

/** The answer to a plain prompt (multi-byte UTF-8: 2-, 3- and 4-byte characters). */
export const TEXT = 'héllo 👋 世界 — ça va?';

/**
 * TEXT as the stream pieces the fakes send, one per event. Each piece still
 * holds a multi-byte character, and the fakes cut every event's bytes in the
 * middle of one across two TCP writes.
 */
export const TEXT_PIECES = ['hé', 'llo 👋', ' 世', '界 — ', 'ça va?'];

/** The tool every client declares. */
export const TOOL = {
  name: 'get_weather',
  description: 'Current weather of a city',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string', description: 'City name' },
      days: { type: 'integer' },
      units: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['city'],
  },
};

/** The arguments of the fakes' tool call: what every SDK must parse back exactly. */
export const TOOL_ARGS = { city: 'Zürich', days: 3, units: 'celsius', tags: ['früh', '☂', 'x"y'] };

/** TOOL_ARGS as JSON, cut into the argument deltas of a streamed call. */
export const TOOL_ARGS_PIECES = (() => {
  const json = JSON.stringify(TOOL_ARGS);
  return [json.slice(0, 1), json.slice(1, 9), json.slice(9, 20), json.slice(20, 33), json.slice(33)];
})();

/** The tool result the clients send back in the second turn. */
export const TOOL_RESULT = { temperature: 21.5, condition: 'ensoleillé ☀' };

/** The fakes check the second turn carries this string from TOOL_RESULT. */
export const TOOL_RESULT_MARK = 'ensoleillé ☀';

/** The answer to the second turn (after the tool result). */
export const FINAL_TEXT = 'Il fait 21.5 °C à Zürich — ensoleillé ☀.';

/** The prompts. */
export const PROMPT = 'Say hello.';
export const TOOL_PROMPT = 'What is the weather in Zürich?';

/** Usage every fake reports: input, output tokens. */
export const USAGE = { input: 11, output: 7 };

/** Client key of the generated config (api-keys). */
export const CLIENT_KEY = 'sk-clients-test';

/** Per provider family: the model clients ask for (alias) and the upstream's name, and the upstream key. */
export const PROVIDERS = {
  'openai-compat': { alias: 'fake-chat', upstream: 'fake-chat-up', key: 'up-key-chat' },
  codex: { alias: 'fake-codex', upstream: 'fake-codex-up', key: 'up-key-codex' },
  claude: { alias: 'claude-fake', upstream: 'claude-fake-up', key: 'up-key-claude' },
  gemini: { alias: 'gemini-fake', upstream: 'gemini-fake-up', key: 'up-key-gemini' },
};

/** True when `needle` occurs in a string anywhere in `value` (JSON inside strings included). */
export function containsDeep(value, needle) {
  if (typeof value === 'string') {
    if (value.includes(needle)) return true;
    try {
      const inner = JSON.parse(value);
      return typeof inner === 'object' && inner !== null && containsDeep(inner, needle);
    } catch {
      return false;
    }
  }
  if (Array.isArray(value)) return value.some((v) => containsDeep(v, needle));
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsDeep(v, needle));
  return false;
}
