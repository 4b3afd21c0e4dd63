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
  /** The key sent, if any (only whether there is one shows in messages). */
  apiKey: string | undefined;
  /** The variable the key comes from, named when the server rejects it. */
  keyEnv: string | undefined;
  /** Sent with every request: the key's header, and OpenAI's organization and project. */
  headers: Record<string, string>;
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

/** How the user chose where the key comes from. */
export interface KeyOptions {
  /** The environment variable holding the key (--api-key-env), instead of the provider's usual one. */
  apiKeyEnv?: string;
}

export function parseModelSpec(spec: string, env: Env = process.env, keys: KeyOptions = {}): ModelConfig {
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
      return openaiConfig(requireModel(rest, provider, shown), env, keys);
    case 'anthropic':
      return anthropicConfig(requireModel(rest, provider, shown), env, keys);
    case 'ollama':
      return ollamaConfig(requireModel(rest, provider, shown), env, keys);
    case 'openai-compatible':
      return compatibleConfig(rest, shown, env, keys);
    case 'exec':
      if (!rest) throw configError(`model spec ${shown} has no command: write exec:<command>, e.g. exec:'llm -m mistral'`, 'write exec:<command>');
      return { protocol: 'exec', provider: 'exec', id: `exec:${rest}`, command: rest };
    default:
      throw configError(`model spec ${shown} has an unknown provider '${provider}': write ${SPEC_FORMS}`, `write ${SPEC_FORMS}`);
  }
}

/**
 * OPENAI_API_KEY goes to OpenAI, or to OPENAI_BASE_URL, which the user set for that key. Like
 * openai-node (src/client.ts), OPENAI_ORG_ID and OPENAI_PROJECT_ID become the OpenAI-Organization
 * and OpenAI-Project headers (https://platform.openai.com/docs/api-reference/authentication).
 */
function openaiConfig(model: string, env: Env, keys: KeyOptions): OpenAIChatConfig {
  const baseUrl = httpUrl(nonEmpty(env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_BASE_URL, 'OPENAI_BASE_URL', 'https://api.openai.com/v1');
  const keyEnv = keys.apiKeyEnv ?? 'OPENAI_API_KEY';
  const apiKey = namedKey(env, keys) ?? nonEmpty(env.OPENAI_API_KEY);
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
    keyEnv,
    headers: { ...bearer(apiKey), ...openaiScopeHeaders(env) },
    unreachableHint: 'is the server running? set OPENAI_BASE_URL or use another --model',
  };
}

/**
 * As anthropic-sdk-typescript (src/client.ts): ANTHROPIC_API_KEY is sent as `x-api-key`,
 * ANTHROPIC_AUTH_TOKEN as `Authorization: Bearer` (for gateways), ANTHROPIC_BASE_URL moves the server.
 */
function anthropicConfig(model: string, env: Env, keys: KeyOptions): AnthropicConfig {
  const baseUrl = httpUrl(nonEmpty(env.ANTHROPIC_BASE_URL) ?? ANTHROPIC_DEFAULT_BASE_URL, 'ANTHROPIC_BASE_URL', 'https://api.anthropic.com');
  const apiKey = keys.apiKeyEnv ? namedKey(env, keys) : nonEmpty(env.ANTHROPIC_API_KEY);
  const authToken = nonEmpty(env.ANTHROPIC_AUTH_TOKEN);
  if (!apiKey && !authToken && baseUrl === ANTHROPIC_DEFAULT_BASE_URL) {
    throw configError('ANTHROPIC_API_KEY is not set: export it (or ANTHROPIC_AUTH_TOKEN), or use another --model', 'export ANTHROPIC_API_KEY');
  }
  return {
    protocol: 'anthropic',
    provider: 'anthropic',
    id: `anthropic:${model}`,
    model,
    baseUrl,
    apiKey: apiKey ?? authToken,
    keyEnv: keys.apiKeyEnv ?? (apiKey || !authToken ? 'ANTHROPIC_API_KEY' : 'ANTHROPIC_AUTH_TOKEN'),
    headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), ...bearer(authToken) },
    unreachableHint: 'is the server running? set ANTHROPIC_BASE_URL or use another --model',
  };
}

/** Ollama wants no key; one behind a proxy that does gets the variable named by --api-key-env. */
function ollamaConfig(model: string, env: Env, keys: KeyOptions): OpenAIChatConfig {
  const apiKey = namedKey(env, keys);
  return {
    protocol: 'openai',
    provider: 'ollama',
    id: `ollama:${model}`,
    model,
    baseUrl: `${ollamaHost(env.OLLAMA_HOST ?? '')}/v1`,
    apiKey,
    keyEnv: keys.apiKeyEnv,
    headers: bearer(apiKey),
    unreachableHint: 'is Ollama running (ollama serve)? set OLLAMA_HOST or use another --model',
  };
}

/**
 * `openai-compatible:<model>@<url>`; the model may itself contain `@`, so the URL starts at the `@`
 * before a scheme. The key comes from --api-key-env, else LDB_API_KEY; OPENAI_API_KEY only when the
 * URL is OpenAI's own or OPENAI_BASE_URL, so a user's OpenAI key never reaches another server.
 */
function compatibleConfig(rest: string, shown: string, env: Env, keys: KeyOptions): OpenAIChatConfig {
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
  const key = compatibleKey(baseUrl, env, keys);
  return {
    protocol: 'openai',
    provider: 'openai-compatible',
    id: `openai-compatible:${model}@${baseUrl}`,
    model,
    baseUrl,
    apiKey: key.apiKey,
    keyEnv: key.keyEnv,
    headers: { ...bearer(key.apiKey), ...(key.keyEnv === 'OPENAI_API_KEY' ? openaiScopeHeaders(env) : {}) },
    unreachableHint: 'is the server running? check the URL after @ in --model',
  };
}

function compatibleKey(baseUrl: string, env: Env, keys: KeyOptions): { apiKey: string | undefined; keyEnv: string } {
  if (keys.apiKeyEnv) return { apiKey: namedKey(env, keys), keyEnv: keys.apiKeyEnv };
  const ldbKey = nonEmpty(env.LDB_API_KEY);
  if (ldbKey) return { apiKey: ldbKey, keyEnv: 'LDB_API_KEY' };
  const openaiBase = nonEmpty(env.OPENAI_BASE_URL);
  const isOpenAI = baseUrl === OPENAI_DEFAULT_BASE_URL || (openaiBase !== undefined && parseHttpUrl(openaiBase) === baseUrl);
  if (isOpenAI) return { apiKey: nonEmpty(env.OPENAI_API_KEY), keyEnv: 'OPENAI_API_KEY' };
  return { apiKey: undefined, keyEnv: 'LDB_API_KEY' };
}

/** The key in the variable --api-key-env names; naming an unset variable is a mistake worth saying. */
function namedKey(env: Env, keys: KeyOptions): string | undefined {
  const name = keys.apiKeyEnv;
  if (!name) return undefined;
  const value = nonEmpty(env[name]);
  if (!value) throw configError(`--api-key-env names ${name}, which is not set: export ${name}`, `export ${name}`);
  return value;
}

function bearer(key: string | undefined): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

function openaiScopeHeaders(env: Env): Record<string, string> {
  const headers: Record<string, string> = {};
  const organization = nonEmpty(env.OPENAI_ORG_ID);
  const project = nonEmpty(env.OPENAI_PROJECT_ID);
  if (organization) headers['openai-organization'] = organization;
  if (project) headers['openai-project'] = project;
  return headers;
}

function requireModel(name: string, provider: string, shown: string): string {
  if (name) return name;
  const example = MODEL_EXAMPLES[provider] ?? `${provider}:<model>`;
  throw configError(`model spec ${shown} has no model name: write ${provider}:<model>, e.g. ${example}`, `write ${example}`);
}

/**
 * OLLAMA_HOST read the way Ollama reads it (envconfig.Host in ollama/ollama): quotes and spaces
 * trimmed; a scheme or none (http); `host`, `host:port`, `:port`, `::1`, `[::1]:port`, a path;
 * port 11434 unless a scheme says 80/443; an unreadable port falls back to the default. A bind-all
 * address (0.0.0.0, ::) is reached on loopback, as Ollama's own client does.
 */
export function ollamaHost(raw: string): string {
  const value = raw.trim().replace(/^["']+|["']+$/g, '').trim();
  if (!value) return OLLAMA_DEFAULT_HOST;
  let scheme = 'http';
  let hostport = value;
  let defaultPort = '11434';
  const cut = value.indexOf('://');
  if (cut >= 0) {
    scheme = value.slice(0, cut).toLowerCase();
    hostport = value.slice(cut + 3);
    if (scheme === 'http') defaultPort = '80';
    else if (scheme === 'https') defaultPort = '443';
    else throw configError(`OLLAMA_HOST '${value}' has the scheme '${scheme}': use http:// or https://, or none`, 'set OLLAMA_HOST=127.0.0.1:11434');
  } else if (value === 'ollama.com') {
    return 'https://ollama.com:443';
  }
  const slash = hostport.indexOf('/');
  const path = slash >= 0 ? hostport.slice(slash + 1).replace(/\/+$/, '') : '';
  if (slash >= 0) hostport = hostport.slice(0, slash);
  const split = splitHostPort(hostport);
  let host = split?.host ?? '';
  let port = split?.port ?? defaultPort;
  if (!split) host = hostport.replace(/^\[|\]$/g, '');
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) port = defaultPort;
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = parseHttpUrl(`${scheme}://${shownHost}:${port}${path ? `/${path}` : ''}`);
  if (!url) throw configError(`OLLAMA_HOST '${value}' is not a valid host: set it to host:port, e.g. 127.0.0.1:11434`, 'set OLLAMA_HOST=127.0.0.1:11434');
  // URL drops a scheme's default port (http://h:80 -> http://h), which names the same server.
  return url;
}

/** Go's net.SplitHostPort: `host:port` or `[v6]:port`; undefined for a bare host or a bare IPv6 address. */
function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0 || hostport[end + 1] !== ':') return undefined;
    return { host: hostport.slice(1, end), port: hostport.slice(end + 2) };
  }
  const last = hostport.lastIndexOf(':');
  if (last < 0 || hostport.indexOf(':') !== last) return undefined;
  return { host: hostport.slice(0, last), port: hostport.slice(last + 1) };
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
