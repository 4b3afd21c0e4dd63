// Turns a model spec such as `ollama:qwen2.5-coder:7b` plus the environment into a provider config.
// Every mistake is reported here, before any request, with the exact text to write or set.
import { ModelError } from '../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';

interface HttpConfig {
  /** The normalised spec, used as the model id in messages and in the cache key. */
  id: string;
  /** The model name sent to the server. */
  model: string;
  /** No trailing slash. For OpenAI-style servers it ends in `/v1`; for Anthropic it does not. */
  baseUrl: string;
  apiKey: string | undefined;
  /** The variable the key comes from, named when the server rejects it. */
  keyEnv: string | undefined;
  /** What to do when the server cannot be reached, for the error message. */
  unreachableHint: string;
}

/** Anything spoken to with OpenAI Chat Completions: OpenAI itself, Ollama, vLLM, llama.cpp, LM Studio ... */
export interface OpenAIChatConfig extends HttpConfig {
  protocol: 'openai';
  provider: 'openai' | 'ollama' | 'openai-compatible';
}

export interface AnthropicConfig extends HttpConfig {
  protocol: 'anthropic';
  provider: 'anthropic';
}

/** A shell command that reads the prompt on stdin and prints the reply on stdout. */
export interface ExecConfig {
  protocol: 'exec';
  provider: 'exec';
  id: string;
  command: string;
}

export type ModelConfig = OpenAIChatConfig | AnthropicConfig | ExecConfig;

const SPEC_FORMS =
  'openai:gpt-4o-mini, anthropic:<model>, ollama:<model>, openai-compatible:<model>@<url> or exec:<command>';

const MODEL_EXAMPLES: Record<string, string> = {
  openai: 'openai:gpt-4o-mini',
  anthropic: 'anthropic:claude-sonnet-4-5',
  ollama: 'ollama:qwen2.5-coder:7b',
  'openai-compatible': 'openai-compatible:<model>@http://127.0.0.1:8000/v1',
};

export function parseModelSpec(spec: string, env: Env = process.env): ModelConfig {
  const given = spec.trim();
  const chosen = given || nonEmpty(env.LDB_MODEL) || '';
  if (!chosen) {
    throw configError('no model given: pass --model (e.g. --model openai:gpt-4o-mini) or set LDB_MODEL', 'pass --model or set LDB_MODEL');
  }
  const shown = given ? `'${chosen}'` : `'${chosen}' (from LDB_MODEL)`;
  const colon = chosen.indexOf(':');
  if (colon <= 0) throw configError(`model spec ${shown} has no provider: write ${SPEC_FORMS}`, `write ${SPEC_FORMS}`);
  const provider = chosen.slice(0, colon).toLowerCase();
  const rest = chosen.slice(colon + 1).trim();
  switch (provider) {
    case 'openai':
      return openaiConfig(requireModel(rest, provider, shown), env);
    case 'anthropic':
      return anthropicConfig(requireModel(rest, provider, shown), env);
    case 'ollama':
      return ollamaConfig(requireModel(rest, provider, shown), env);
    case 'openai-compatible':
      return compatibleConfig(rest, shown, env);
    case 'exec':
      if (!rest) throw configError(`model spec ${shown} has no command: write exec:<command>, e.g. exec:'llm -m mistral'`, 'write exec:<command>');
      return { protocol: 'exec', provider: 'exec', id: `exec:${rest}`, command: rest };
    default:
      throw configError(`model spec ${shown} has an unknown provider '${provider}': write ${SPEC_FORMS}`, `write ${SPEC_FORMS}`);
  }
}

function openaiConfig(model: string, env: Env): OpenAIChatConfig {
  const baseUrl = httpUrl(nonEmpty(env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_BASE_URL, 'OPENAI_BASE_URL', 'https://api.openai.com/v1');
  const apiKey = nonEmpty(env.OPENAI_API_KEY);
  // A custom OPENAI_BASE_URL is often a local server that wants no key; only OpenAI itself surely needs one.
  if (!apiKey && baseUrl === OPENAI_DEFAULT_BASE_URL) {
    throw configError(
      'OPENAI_API_KEY is not set: export it, or use openai-compatible:<model>@<url> for a server that needs no key',
      'export OPENAI_API_KEY',
    );
  }
  return {
    protocol: 'openai',
    provider: 'openai',
    id: `openai:${model}`,
    model,
    baseUrl,
    apiKey,
    keyEnv: 'OPENAI_API_KEY',
    unreachableHint: 'is the server running? set OPENAI_BASE_URL or use another --model',
  };
}

function anthropicConfig(model: string, env: Env): AnthropicConfig {
  const baseUrl = httpUrl(nonEmpty(env.ANTHROPIC_BASE_URL) ?? ANTHROPIC_DEFAULT_BASE_URL, 'ANTHROPIC_BASE_URL', 'https://api.anthropic.com');
  const apiKey = nonEmpty(env.ANTHROPIC_API_KEY);
  if (!apiKey && baseUrl === ANTHROPIC_DEFAULT_BASE_URL) {
    throw configError('ANTHROPIC_API_KEY is not set: export it, or use another --model', 'export ANTHROPIC_API_KEY');
  }
  return {
    protocol: 'anthropic',
    provider: 'anthropic',
    id: `anthropic:${model}`,
    model,
    baseUrl,
    apiKey,
    keyEnv: 'ANTHROPIC_API_KEY',
    unreachableHint: 'is the server running? set ANTHROPIC_BASE_URL or use another --model',
  };
}

function ollamaConfig(model: string, env: Env): OpenAIChatConfig {
  return {
    protocol: 'openai',
    provider: 'ollama',
    id: `ollama:${model}`,
    model,
    baseUrl: `${ollamaHost(nonEmpty(env.OLLAMA_HOST) ?? OLLAMA_DEFAULT_HOST)}/v1`,
    apiKey: undefined,
    keyEnv: undefined,
    unreachableHint: 'is Ollama running (ollama serve)? set OLLAMA_HOST or use another --model',
  };
}

/** `openai-compatible:<model>@<url>`; the model may itself contain `@`, so the URL starts at the `@` before a scheme. */
function compatibleConfig(rest: string, shown: string, env: Env): OpenAIChatConfig {
  const match = /^(.*?)@([a-z][a-z0-9+.-]*:\/\/.*)$/i.exec(rest);
  const model = (match ? match[1] : rest.split('@')[0])?.trim() ?? '';
  if (!model) requireModel('', 'openai-compatible', shown);
  const example = `openai-compatible:${model}@http://127.0.0.1:8000/v1`;
  if (!match) {
    const at = rest.lastIndexOf('@');
    if (at < 0) throw configError(`model spec ${shown} has no server URL: write ${example}`, `write ${example}`);
    const url = rest.slice(at + 1);
    throw configError(`model spec ${shown} has a malformed URL '${url}': write a full URL, e.g. ${example}`, `write ${example}`);
  }
  const url = match[2] ?? '';
  const baseUrl = parseHttpUrl(url);
  if (!baseUrl) {
    throw configError(`model spec ${shown} has a malformed URL '${url}': write a full URL, e.g. ${example}`, `write ${example}`);
  }
  return {
    protocol: 'openai',
    provider: 'openai-compatible',
    id: `openai-compatible:${model}@${baseUrl}`,
    model,
    baseUrl,
    apiKey: nonEmpty(env.OPENAI_API_KEY),
    keyEnv: 'OPENAI_API_KEY',
    unreachableHint: 'is the server running? check the URL after @ in --model',
  };
}

function requireModel(name: string, provider: string, shown: string): string {
  if (name) return name;
  const example = MODEL_EXAMPLES[provider] ?? `${provider}:<model>`;
  throw configError(`model spec ${shown} has no model name: write ${provider}:<model>, e.g. ${example}`, `write ${example}`);
}

/** Ollama accepts OLLAMA_HOST as `host`, `host:port` or a URL; a bare host means port 11434. */
function ollamaHost(host: string): string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host);
  const parsed = parseHttpUrl(hasScheme ? host : `http://${host}`);
  if (!parsed) {
    throw configError(`OLLAMA_HOST '${host}' is not a valid host: set it to host:port, e.g. 127.0.0.1:11434`, 'set OLLAMA_HOST=127.0.0.1:11434');
  }
  const url = new URL(parsed);
  if (!hasScheme && !url.port) url.port = '11434';
  return url.href.replace(/\/+$/, '');
}

function httpUrl(value: string, variable: string, example: string): string {
  const parsed = parseHttpUrl(value);
  if (!parsed) throw configError(`${variable} '${value}' is not a URL: set it to a full URL, e.g. ${example}`, `set ${variable}=${example}`);
  return parsed;
}

/** The URL without trailing slashes, or undefined when it is not an http(s) URL. */
function parseHttpUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname) return undefined;
  return url.href.replace(/\/+$/, '');
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function configError(message: string, hint: string): ModelError {
  return new ModelError(message, { code: 'config', hint });
}
