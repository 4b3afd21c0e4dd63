import type { CreateModelOptions } from '../llm/create.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { OptionSpec, OptionValues } from './options.js';

/** The tests of a program, as both `trace` and `fix` take them. */
export const TEST_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'tests',
    kind: 'text',
    value: '<file>',
    help: 'A test script: top-level assertions (assert.*, console.assert), or a\ntest function that the script calls (HumanEval / MultiPL-E style)',
  },
  {
    name: 'test',
    kind: 'list',
    value: '<assertion>',
    help: "One assertion, e.g. --test 'assert.strictEqual(sumTo(3), 6)';\nrepeatable; may be combined with --tests",
  },
];

/** The sandbox's limits; ranges as resolveLimits and isolated-vm accept them. */
export const LIMIT_OPTIONS: readonly OptionSpec[] = [
  { name: 'time-limit', kind: 'count', value: '<ms>', min: 1, help: 'Time limit per test case, in milliseconds (default 3000)' },
  {
    name: 'memory-limit',
    kind: 'count',
    value: '<mb>',
    min: 8,
    max: 16384,
    help: 'Memory limit of the sandbox, in MB (default 128, from 8 to 16384)',
  },
  {
    name: 'max-events',
    kind: 'count',
    value: '<n>',
    min: 2,
    help: 'Steps kept per trace: the first fifth and the last ones (default 1000)',
  },
];

export const ENTRY_OPTION: OptionSpec = { name: 'entry', kind: 'text', value: '<name>', help: 'The function the tests call; checked before anything runs' };
export const JSON_OPTION: OptionSpec = { name: 'json', kind: 'flag', help: 'Print the machine-readable report (errors too, as {"error": ...})' };
export const COLOR_OPTION: OptionSpec = {
  name: 'color',
  kind: 'switch',
  help: 'Force colours on or off (default: on for a terminal, off with NO_COLOR)',
};
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', kind: 'flag', help: 'Show this help' };

export function limitsFrom(values: OptionValues): LimitsInput {
  return {
    timeMs: values['time-limit'] as number | undefined,
    memoryMb: values['memory-limit'] as number | undefined,
    maxEvents: values['max-events'] as number | undefined,
  };
}

/** The one place that reads LDB_MODEL: the --model flag, else the environment's default. */
export function modelSpecFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env.LDB_MODEL;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

/** How to reach a model: every command that calls one (fix, debug, bench, mcp) takes these. */
export const MODEL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'model',
    short: 'm',
    kind: 'text',
    value: '<spec>',
    help: 'openai:<model>, anthropic:<model>, ollama:<model>,\nopenai-compatible:<model>@<base-url>, exec:<command>  (default: $LDB_MODEL)',
  },
  { name: 'no-cache', kind: 'flag', help: 'Do not use the on-disk response cache (~/.cache/ldb, or $LDB_CACHE_DIR)' },
  { name: 'retries', kind: 'count', value: '<n>', min: 0, help: 'Retries of a model request on 429, 5xx and timeouts (default 4)' },
  { name: 'request-timeout', kind: 'count', value: '<ms>', help: 'Time limit of one model request (default 120000)' },
  { name: 'request-deadline', kind: 'count', value: '<ms>', help: 'Time limit of one model request with all its retries (default 300000)' },
  {
    name: 'max-tokens',
    kind: 'count',
    value: '<n>',
    help: 'Output tokens per reply (default $LDB_MAX_TOKENS, else 2048, 25000 for\nmodels that reason, raised once when a reply is cut off)',
  },
  {
    name: 'reasoning-effort',
    kind: 'choice',
    value: '<level>',
    choices: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'],
    help: 'none, minimal, low, medium, high, xhigh or max, where the model has it',
  },
  { name: 'api-key-env', kind: 'text', value: '<NAME>', help: 'Send the key in $NAME (e.g. OPENROUTER_API_KEY) instead of the usual one' },
  {
    name: 'context-length',
    kind: 'count',
    value: '<n>',
    help: "The server's context window in tokens: warn when a prompt looks larger\n(Ollama cuts long prompts silently; raise OLLAMA_CONTEXT_LENGTH)",
  },
];

/** Which key goes where, and the variables read: the footer of every command that calls a model. */
export const MODEL_FOOTER = `Keys (each goes only to its own server):
  openai:             OPENAI_API_KEY, to api.openai.com or $OPENAI_BASE_URL (with OPENAI_ORG_ID,
                      OPENAI_PROJECT_ID)
  anthropic:          ANTHROPIC_API_KEY (x-api-key) or ANTHROPIC_AUTH_TOKEN (Bearer), to
                      api.anthropic.com or $ANTHROPIC_BASE_URL
  openai-compatible:  LDB_API_KEY or --api-key-env; OPENAI_API_KEY only when the URL is OpenAI's
  ollama:             no key (OLLAMA_HOST says where), unless --api-key-env

Environment:
  OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID, ANTHROPIC_API_KEY,
  ANTHROPIC_AUTH_TOKEN, ANTHROPIC_BASE_URL, LDB_API_KEY, OLLAMA_HOST, LDB_MODEL, LDB_MAX_TOKENS,
  LDB_CACHE_DIR, LDB_PRICES`;

/** The createModel options of MODEL_OPTIONS (all but the spec itself). */
export function modelOptionsFrom(values: OptionValues, env: NodeJS.ProcessEnv, onNotice: (message: string) => void): CreateModelOptions {
  return {
    env,
    cache: values['no-cache'] !== true,
    maxRetries: values.retries as number | undefined,
    timeoutMs: values['request-timeout'] as number | undefined,
    requestDeadlineMs: values['request-deadline'] as number | undefined,
    maxTokens: values['max-tokens'] as number | undefined,
    reasoningEffort: values['reasoning-effort'] as string | undefined,
    apiKeyEnv: values['api-key-env'] as string | undefined,
    contextLength: values['context-length'] as number | undefined,
    onNotice,
  };
}
