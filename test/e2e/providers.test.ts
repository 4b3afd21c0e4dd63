// `ldb fix` through a strict fake of each provider: fixed where the provider could answer, a fast
// clear failure where it could not, and every key only where it belongs.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main, processIO } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/io.js';
import { startFakeAnthropic } from '../helpers/fake-anthropic.js';
import { midGenerationError, startFakeLMStudio, startFakeOllama, startFakeOpenRouter } from '../helpers/fake-compatible.js';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import type { FakeServer, FakeStep } from '../helpers/fake-server.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/js/', import.meta.url));
const fixed = await readFile(`${FIXTURES}off-by-one-sum.fixed.js`, 'utf8');
const VERDICTS = JSON.stringify({ verdicts: [{ block: 'sumTo#2', correct: false, explanation: 'i < n stops one short of n' }] });
const ANSWERS: FakeStep[] = [{ reply: VERDICTS }, { reply: `\`\`\`js\n${fixed}\`\`\`` }];

/** Every key a user might have exported at once. */
const KEYS = { OPENAI_API_KEY: 'sk-openai', ANTHROPIC_API_KEY: 'sk-ant', OPENROUTER_API_KEY: 'sk-or' };

const servers: FakeServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function track(server: Promise<FakeServer>): Promise<FakeServer> {
  const started = await server;
  servers.push(started);
  return started;
}

async function fix(model: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'ldb-providers-'));
  dirs.push(dir);
  await copyFile(`${FIXTURES}off-by-one-sum.js`, join(dir, 'sum.js'));
  await copyFile(`${FIXTURES}off-by-one-sum.test.js`, join(dir, 'sum.test.js'));
  let stdout = '';
  let stderr = '';
  const io: CliIO = { ...processIO(), stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env };
  const argv = ['fix', join(dir, 'sum.js'), '--tests', join(dir, 'sum.test.js'), '--model', model, '--no-cache', '--retries', '1', ...extra];
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const authorizations = (server: FakeServer) => [...new Set(server.requests.map((r) => r.headers.authorization ?? r.headers['x-api-key'] ?? 'none'))];

describe('ldb fix through each provider', () => {
  it('OpenAI reasoning model: temperature refused once, said once, then fixed', async () => {
    const openai = await track(startFakeOpenAI(ANSWERS, { apiKey: 'sk-openai' }));
    const { code, stdout, stderr } = await fix('openai:o4-mini', { ...KEYS, OPENAI_BASE_URL: openai.url, OPENAI_PROJECT_ID: 'proj_1' });
    expect(stdout).toContain('Fixed: every visible test passes');
    expect(code).toBe(0);
    expect(stderr).toBe(
      "ldb: openai:o4-mini refused `temperature` (server: Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.); sending requests without it for the rest of the run\n",
    );
    expect(openai.requests).toHaveLength(3);
    expect(openai.requests.every((r) => r.headers['openai-project'] === 'proj_1')).toBe(true);
    expect(authorizations(openai)).toEqual(['Bearer sk-openai']);
  });

  it('Anthropic model that deprecates temperature: fixed, with the key in x-api-key only', async () => {
    const anthropic = await track(startFakeAnthropic(ANSWERS, { apiKey: 'sk-ant' }));
    const { code, stderr } = await fix('anthropic:claude-opus-4-7', { ...KEYS, ANTHROPIC_BASE_URL: anthropic.url });
    expect(code).toBe(0);
    expect(stderr).toContain('refused `temperature` (server: `temperature` is deprecated for this model.)');
    expect(authorizations(anthropic)).toEqual(['sk-ant']);
    expect(anthropic.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('LM Studio: json_object refused, asked again without it, fixed; no key sent', async () => {
    const lmstudio = await track(startFakeLMStudio(ANSWERS));
    const { code, stderr } = await fix(`openai-compatible:qwen2.5-coder-7b-instruct@${lmstudio.url}`, KEYS);
    expect(code).toBe(0);
    expect(stderr).toContain("refused `response_format` (server: 'response_format.type' must be 'json_schema' or 'text')");
    expect(authorizations(lmstudio)).toEqual(['none']);
  });

  it('OpenRouter: the key named by --api-key-env, a mid-generation error retried, fixed', async () => {
    const openrouter = await track(startFakeOpenRouter([midGenerationError(502, 'Provider returned error'), ...ANSWERS], { apiKey: 'sk-or' }));
    const { code, stderr } = await fix(`openai-compatible:qwen/qwen3-coder@${openrouter.url}`, KEYS, ['--api-key-env', 'OPENROUTER_API_KEY']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(authorizations(openrouter)).toEqual(['Bearer sk-or']);
  });

  it('Ollama at OLLAMA_HOST=":<port>": fixed, no key, and a warning for a context too small', async () => {
    const ollama = await track(startFakeOllama(ANSWERS));
    const port = new URL(ollama.url).port;
    const { code, stderr } = await fix('ollama:qwen2.5-coder:7b', { ...KEYS, OLLAMA_HOST: `:${port}` }, ['--context-length', '64']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^ldb: warning: a prompt of about \d+ tokens exceeds --context-length 64; .*raise OLLAMA_CONTEXT_LENGTH/);
    expect(authorizations(ollama)).toEqual(['none']);
  });

  it('fails fast and clearly when the account has no quota', async () => {
    const quota = 'You exceeded your current quota, please check your plan and billing details.';
    const openai = await track(startFakeOpenAI(() => ({ status: 429, code: 'insufficient_quota', message: quota }), { apiKey: 'sk-openai' }));
    const { code, stdout, stderr } = await fix('openai:gpt-4.1-mini', { ...KEYS, OPENAI_BASE_URL: openai.url });
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^ldb: openai:gpt-4.1-mini: the account has no quota or credit left \\(HTTP 429\\): ${quota.replace(/\./g, '\\.')}`));
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(openai.requests).toHaveLength(1);
    expect(stdout).not.toContain('Fixed');
  });

  it('fails at once with the budget to raise when a reply is cut off at --max-tokens', async () => {
    const openai = await track(startFakeOpenAI(() => ({ reply: 'the loop', reasoningTokens: 500 })));
    const { code, stderr } = await fix('openai:gpt-5-mini', { ...KEYS, OPENAI_BASE_URL: openai.url }, ['--max-tokens', '300']);
    expect(code).toBe(2);
    expect(stderr).toContain('the reply was cut off at 300 output tokens before any text: raise --max-tokens (LDB_MAX_TOKENS)');
    expect(openai.answered).toHaveLength(1);
  });
});
