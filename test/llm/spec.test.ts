import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { parseModelSpec, type Env } from '../../src/llm/spec.js';

/** The headers an HTTP provider's config sends. */
function headersOf(spec: string, env: Env): Record<string, string> {
  const config = parseModelSpec(spec, env);
  if (config.protocol === 'exec') throw new Error('not an HTTP provider');
  return config.headers;
}

const KEYS = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'ak-test' };

function specError(spec: string, env: Record<string, string | undefined> = KEYS): ModelError {
  try {
    parseModelSpec(spec, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    const modelError = error as ModelError;
    expect(modelError.code).toBe('config');
    expect(modelError.exitCode).toBe(2);
    expect(modelError.message).not.toContain('\n');
    return modelError;
  }
  throw new Error(`expected '${spec}' to be rejected`);
}

describe('parseModelSpec', () => {
  it('reads openai:<model> with the default base URL and the key from OPENAI_API_KEY', () => {
    expect(parseModelSpec('openai:gpt-4o-mini', KEYS)).toEqual({
      protocol: 'openai',
      provider: 'openai',
      id: 'openai:gpt-4o-mini',
      model: 'gpt-4o-mini',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-test',
      keyEnv: 'OPENAI_API_KEY',
      headers: { authorization: 'Bearer sk-test' },
      unreachableHint: 'is the server running? set OPENAI_BASE_URL or use another --model',
    });
  });

  it('takes OPENAI_BASE_URL without its trailing slash, and then needs no key', () => {
    const config = parseModelSpec('openai:local', { OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1/' });
    expect(config).toMatchObject({ baseUrl: 'http://127.0.0.1:8080/v1', apiKey: undefined });
  });

  it('says how to fix a missing OpenAI key', () => {
    expect(specError('openai:gpt-4o-mini', {}).message).toBe(
      'OPENAI_API_KEY is not set: export it, or use openai-compatible:<model>@<url> for a server that needs no key',
    );
  });

  it('rejects a malformed OPENAI_BASE_URL', () => {
    expect(specError('openai:gpt-4o', { ...KEYS, OPENAI_BASE_URL: 'localhost:8080' }).message).toBe(
      "OPENAI_BASE_URL 'localhost:8080' is not a URL: set it to a full URL, e.g. https://api.openai.com/v1",
    );
  });

  it('reads anthropic:<model> with ANTHROPIC_BASE_URL as an override', () => {
    expect(parseModelSpec('anthropic:claude-sonnet-4-5', KEYS)).toMatchObject({
      protocol: 'anthropic',
      id: 'anthropic:claude-sonnet-4-5',
      model: 'claude-sonnet-4-5',
      baseUrl: 'https://api.anthropic.com',
      apiKey: 'ak-test',
    });
    expect(parseModelSpec('anthropic:claude-haiku-4-5', { ...KEYS, ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000/' })).toMatchObject({
      baseUrl: 'http://127.0.0.1:4000',
    });
    expect(specError('anthropic:claude-haiku-4-5', {}).message).toBe('ANTHROPIC_API_KEY is not set: export it (or ANTHROPIC_AUTH_TOKEN), or use another --model');
  });

  it('keeps the colons of ollama model names and reads OLLAMA_HOST in its usual forms', () => {
    expect(parseModelSpec('ollama:qwen2.5-coder:7b', {})).toMatchObject({
      protocol: 'openai',
      provider: 'ollama',
      id: 'ollama:qwen2.5-coder:7b',
      model: 'qwen2.5-coder:7b',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: undefined,
    });
    const host = (value: string): string => (parseModelSpec('ollama:llama3', { OLLAMA_HOST: value }) as { baseUrl: string }).baseUrl;
    expect(host('gpu-box')).toBe('http://gpu-box:11434/v1');
    // A bind-all address is where the server listens; the client reaches it on loopback.
    expect(host('0.0.0.0:9999')).toBe('http://127.0.0.1:9999/v1');
    expect(host('https://ollama.example.com/')).toBe('https://ollama.example.com/v1');
  });

  it('reads every OLLAMA_HOST form Ollama itself accepts (envconfig.Host)', () => {
    const host = (value: string): string => (parseModelSpec('ollama:llama3', { OLLAMA_HOST: value }) as { baseUrl: string }).baseUrl;
    expect(host(':11434')).toBe('http://127.0.0.1:11434/v1');
    expect(host(':8080')).toBe('http://127.0.0.1:8080/v1');
    expect(host('::1')).toBe('http://[::1]:11434/v1');
    expect(host('[::1]:11434')).toBe('http://[::1]:11434/v1');
    expect(host('[::1]')).toBe('http://[::1]:11434/v1');
    expect(host('"127.0.0.1:11434"')).toBe('http://127.0.0.1:11434/v1');
    expect(host("  'gpu-box'  ")).toBe('http://gpu-box:11434/v1');
    expect(host('http://gpu-box')).toBe('http://gpu-box/v1');
    expect(host('https://gpu-box:8443/ollama')).toBe('https://gpu-box:8443/ollama/v1');
    expect(host('gpu-box:notaport')).toBe('http://gpu-box:11434/v1');
    expect(host('0.0.0.0')).toBe('http://127.0.0.1:11434/v1');
    expect(host('')).toBe('http://127.0.0.1:11434/v1');
    expect(specError('ollama:llama3', { OLLAMA_HOST: 'ftp://gpu-box' }).message).toContain("has the scheme 'ftp'");
  });

  it('splits openai-compatible:<model>@<url> at the @ before the URL', () => {
    expect(parseModelSpec('openai-compatible:meta-llama/Llama-3-8B@http://127.0.0.1:8000/v1', {})).toMatchObject({
      provider: 'openai-compatible',
      id: 'openai-compatible:meta-llama/Llama-3-8B@http://127.0.0.1:8000/v1',
      model: 'meta-llama/Llama-3-8B',
      baseUrl: 'http://127.0.0.1:8000/v1',
      apiKey: undefined,
    });
    expect(parseModelSpec('openai-compatible:team@org/model@https://openrouter.ai/api/v1', KEYS)).toMatchObject({
      model: 'team@org/model',
      baseUrl: 'https://openrouter.ai/api/v1',
      apiKey: undefined,
    });
  });

  it('sends OPENAI_API_KEY only to OpenAI or OPENAI_BASE_URL, and other keys where the user says', () => {
    const compatible = (url: string, env: Record<string, string>, apiKeyEnv?: string) =>
      parseModelSpec(`openai-compatible:m@${url}`, env, { apiKeyEnv });
    const env = { OPENAI_API_KEY: 'sk-openai', OPENAI_BASE_URL: 'https://proxy.example.com/v1/', OPENROUTER_API_KEY: 'sk-or' };
    expect(headersOf('openai-compatible:m@https://openrouter.ai/api/v1', env)).toEqual({});
    expect(compatible('https://api.openai.com/v1', env)).toMatchObject({ apiKey: 'sk-openai', keyEnv: 'OPENAI_API_KEY' });
    expect(compatible('https://proxy.example.com/v1', env)).toMatchObject({ apiKey: 'sk-openai', keyEnv: 'OPENAI_API_KEY' });
    expect(compatible('https://openrouter.ai/api/v1', { ...env, LDB_API_KEY: 'sk-ldb' })).toMatchObject({ apiKey: 'sk-ldb', keyEnv: 'LDB_API_KEY' });
    expect(compatible('https://openrouter.ai/api/v1', env, 'OPENROUTER_API_KEY')).toMatchObject({
      apiKey: 'sk-or',
      keyEnv: 'OPENROUTER_API_KEY',
      headers: { authorization: 'Bearer sk-or' },
    });
    expect(() => compatible('https://openrouter.ai/api/v1', {}, 'OPENROUTER_API_KEY')).toThrow(
      '--api-key-env names OPENROUTER_API_KEY, which is not set: export OPENROUTER_API_KEY',
    );
    expect(headersOf('ollama:llama3', env)).toEqual({});
  });

  it('adds OPENAI_ORG_ID and OPENAI_PROJECT_ID as OpenAI headers, for OpenAI only', () => {
    const env = { OPENAI_API_KEY: 'sk', OPENAI_ORG_ID: 'org-1', OPENAI_PROJECT_ID: 'proj_1' };
    expect(headersOf('openai:gpt-4o', env)).toEqual({
      authorization: 'Bearer sk',
      'openai-organization': 'org-1',
      'openai-project': 'proj_1',
    });
    expect(headersOf('openai-compatible:m@http://127.0.0.1:1/v1', env)).toEqual({});
  });

  it('sends ANTHROPIC_API_KEY as x-api-key and ANTHROPIC_AUTH_TOKEN as a bearer token', () => {
    expect(headersOf('anthropic:claude-haiku-4-5', { ANTHROPIC_API_KEY: 'ak' })).toEqual({ 'x-api-key': 'ak' });
    expect(parseModelSpec('anthropic:claude-haiku-4-5', { ANTHROPIC_AUTH_TOKEN: 'tok' })).toMatchObject({
      headers: { authorization: 'Bearer tok' },
      keyEnv: 'ANTHROPIC_AUTH_TOKEN',
    });
  });

  it('says what to write when openai-compatible lacks a URL or has a bad one', () => {
    expect(specError('openai-compatible:llama3').message).toBe(
      "model spec 'openai-compatible:llama3' has no server URL: write openai-compatible:llama3@http://127.0.0.1:8000/v1",
    );
    expect(specError('openai-compatible:llama3@localhost:8000').message).toBe(
      "model spec 'openai-compatible:llama3@localhost:8000' has a malformed URL 'localhost:8000': write a full URL, e.g. openai-compatible:llama3@http://127.0.0.1:8000/v1",
    );
    expect(specError('openai-compatible:llama3@ftp://host/v1').message).toContain("has a malformed URL 'ftp://host/v1'");
  });

  it('reads exec:<command> verbatim', () => {
    expect(parseModelSpec("exec:llm -m mistral --system 'be brief'", {})).toEqual({
      protocol: 'exec',
      provider: 'exec',
      id: "exec:llm -m mistral --system 'be brief'",
      command: "llm -m mistral --system 'be brief'",
    });
  });

  it('falls back to LDB_MODEL for an empty spec, and names it in errors', () => {
    expect(parseModelSpec('', { LDB_MODEL: 'ollama:phi3:mini' })).toMatchObject({ id: 'ollama:phi3:mini' });
    expect(parseModelSpec('  ', { LDB_MODEL: 'ollama:phi3:mini' })).toMatchObject({ id: 'ollama:phi3:mini' });
    expect(parseModelSpec('ollama:llama3', { LDB_MODEL: 'ollama:phi3:mini' })).toMatchObject({ id: 'ollama:llama3' });
    expect(specError('', { LDB_MODEL: 'gpt4' }).message).toContain("model spec 'gpt4' (from LDB_MODEL) has no provider");
    expect(specError('', {}).message).toBe('no model given: pass --model (e.g. --model openai:gpt-4o-mini) or set LDB_MODEL');
  });

  it('says what to write for a missing provider, an unknown one or a missing model name', () => {
    expect(specError('gpt4').message).toBe(
      "model spec 'gpt4' has no provider: write openai:gpt-4o-mini, anthropic:<model>, ollama:<model>, openai-compatible:<model>@<url> or exec:<command>",
    );
    expect(specError('azure:gpt-4o').message).toBe(
      "model spec 'azure:gpt-4o' has an unknown provider 'azure': write openai:gpt-4o-mini, anthropic:<model>, ollama:<model>, openai-compatible:<model>@<url> or exec:<command>",
    );
    expect(specError('openai:').message).toBe("model spec 'openai:' has no model name: write openai:<model>, e.g. openai:gpt-4o-mini");
    expect(specError('ollama: ').message).toBe("model spec 'ollama:' has no model name: write ollama:<model>, e.g. ollama:qwen2.5-coder:7b");
    expect(specError('openai-compatible:@http://127.0.0.1:8000/v1').message).toContain('has no model name');
    expect(specError('exec:').message).toContain('has no command: write exec:<command>');
    expect(specError('gpt4').hint).toContain('openai:gpt-4o-mini');
  });
});
