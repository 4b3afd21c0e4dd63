import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeServer, type FakeStep } from '../helpers/fake-openai.js';
import { connect, ROOT, SUM, type Connected } from './helpers.js';

const fixed = await readFile(`${ROOT}fixtures/js/off-by-one-sum.fixed.js`, 'utf8');
const VERDICTS = JSON.stringify({ verdicts: [{ block: 'sumTo#2', correct: false, explanation: 'i < n stops one short of n' }] });

const open: { server: FakeServer; ldb: Connected }[] = [];
afterEach(async () => {
  for (const { server, ldb } of open.splice(0)) {
    await ldb.close();
    await server.close();
  }
});

async function withFakeModel(script: FakeStep[], maxConcurrency = 2) {
  const server = await startFakeOpenAI(script);
  const ldb = await connect({ model: `openai-compatible:fake-coder@${server.url}`, maxConcurrency });
  open.push({ server, ldb });
  return { server, ldb };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('ldb mcp fix (with a model; a fake OpenAI-compatible server)', () => {
  it('is listed only with a model, runs the loop and reports progress', async () => {
    const { ldb, server } = await withFakeModel([{ reply: VERDICTS }, { reply: `\`\`\`js\n${fixed}\`\`\`` }]);
    expect((await ldb.client.listTools()).tools.map((t) => t.name)).toContain('fix');
    const progress: string[] = [];
    const answer = await ldb.call('fix', { ...SUM, entryPoint: 'sumTo' }, { onprogress: (p) => progress.push(p.message ?? '') });
    expect(answer.isError).toBe(false);
    expect(answer.data).toMatchObject({ solved: true, stopReason: 'solved', iterations: 2, best: { passed: 4, total: 4, iteration: 1 } });
    expect(answer.data.diff).toContain('+  for (let i = 1; i <= n; i++) {');
    expect(progress).toEqual([
      'iteration 1: 1/4 tests pass',
      'iteration 1: traced case 2, asking the model to judge it',
      'iteration 1: judged wrong: sumTo#2',
      'iteration 1: the model proposed a patch; testing it',
      'iteration 2: 4/4 tests pass',
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('honours cancellation: the model request is dropped, the loop stops and its sandbox is free again', async () => {
    // One sandbox only: if the cancelled loop kept running, the next call would wait for ever.
    const { ldb, server } = await withFakeModel([{ hang: true }], 1);
    const controller = new AbortController();
    const call = ldb.call('fix', SUM, { signal: controller.signal, onprogress: () => undefined });
    await until(() => server.requests.length === 1);
    controller.abort();
    await expect(call).rejects.toThrow(/abort/i);
    const after = await ldb.call('run_tests', SUM);
    expect(after.data).toMatchObject({ passed: 1, failed: 3 });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a model that could run a command or send the key elsewhere', async () => {
    const { ldb, server } = await withFakeModel([]);
    const exec = await ldb.call('fix', { ...SUM, model: 'exec:cat /etc/passwd' });
    expect(exec).toMatchObject({ isError: true });
    expect(exec.text).toMatch(/^model 'exec:cat \/etc\/passwd' is not allowed here/);
    const elsewhere = await ldb.call('fix', { ...SUM, model: 'openai-compatible:fake-coder@http://evil.example/v1' });
    expect(elsewhere.text).toMatch(/is not allowed here: this server may use openai-compatible models at its configured address only/);
    expect(server.requests).toHaveLength(0);
  });
});
