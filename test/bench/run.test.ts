import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../helpers/fake-openai.js';
import { fakeModel, HUMANEVALPACK, ldb, modelSpec, readRecords, scratchDir } from './helpers.js';

const servers: FakeServer[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function setup(options: Parameters<typeof fakeModel>[0] = {}) {
  const server = await fakeModel(options);
  servers.push(server);
  const scratch = await scratchDir();
  cleanups.push(scratch.cleanup);
  return { server, dir: scratch.dir, env: { LDB_CACHE_DIR: join(scratch.dir, 'cache') } };
}

describe('ldb bench', () => {
  it('debugs 20 HumanEvalPack problems, one flushed line each, and prints and writes the summary', async () => {
    const unfixable = new Set(['JavaScript/3', 'JavaScript/7']);
    const { server, dir, env } = await setup({ unfixable });
    const out = join(dir, 'results.jsonl');
    const { code, stdout, stderr } = await ldb(
      ['bench', 'humanevalpack-js', '-m', modelSpec(server), '--limit', '20', '-j', '3', '--max-iters', '2', '--time-limit', '1000', '-o', out],
      env,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const records = await readRecords(out);
    expect(records.map((r) => r.task_id).sort()).toEqual(HUMANEVALPACK.slice(0, 20).map((p) => p.id).sort());
    // Every buggy solution fails its hidden tests; the canonical fixes pass them.
    expect(records.every((r) => !r.seed_solved)).toBe(true);
    const solved = records.filter((r) => r.solved).map((r) => r.task_id);
    expect(solved).not.toContain('JavaScript/3');
    expect(solved.length).toBeGreaterThanOrEqual(16);
    const fixed = records.find((r) => r.task_id === 'JavaScript/0')!;
    expect(fixed).toMatchObject({ mode: 'fix', method: 'ldb', stop_reason: 'solved', visible_tests: { from: 'examples' } });
    expect(fixed.iterations[0]!.trace_text).toContain('step 1');
    expect(fixed.iterations[0]!.verdicts?.length).toBeGreaterThan(0);
    expect(fixed.iterations[0]!.patch_diff).toContain('+');
    expect(fixed.final!.hidden.passed).toBe(fixed.final!.hidden.total);
    expect(fixed.usage.calls).toBe(2);
    // One plain line per problem (stdout is not a terminal here), then the summary table.
    expect(stdout.match(/^\[\s*\d+\/20\] [✓✗] JavaScript\/\d+/gm)).toHaveLength(20);
    expect(stdout).toContain('pass@1 after debugging');
    const summary = JSON.parse(await readFile(join(dir, 'results.summary.json'), 'utf8'));
    expect(summary).toMatchObject({ problems: 20, seedSolved: 0, solved: solved.length });
    expect(summary.passAt1ByIteration[0]).toBe(0);
  });

  it('refuses to overwrite a results file without --resume', async () => {
    const { server, dir, env } = await setup();
    const out = join(dir, 'r.jsonl');
    const args = ['bench', 'humanevalpack-js', '-m', modelSpec(server), '--ids', 'JavaScript/0', '-o', out];
    expect((await ldb(args, env)).code).toBe(0);
    const again = await ldb(args, env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already has results; pass --resume');
    expect(await readRecords(out)).toHaveLength(1);
  });

  it('--method baseline sends no trace and asks for no verdicts', async () => {
    const { server, dir, env } = await setup();
    const out = join(dir, 'baseline.jsonl');
    const { code } = await ldb(['bench', 'humanevalpack-js', '-m', modelSpec(server), '--method', 'baseline', '--limit', '4', '--time-limit', '1000', '-o', out], env);
    expect(code).toBe(0);
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    for (const request of server.requests) {
      const text = JSON.stringify(request.body.messages);
      expect(request.body.response_format).toBeUndefined();
      expect(text).not.toMatch(/Trace at|step 1 ·|debugger/i);
      expect(text).toContain('Failing test:');
    }
    const records = await readRecords(out);
    expect(records.every((r) => r.method === 'baseline' && r.iterations.every((i) => i.trace_text === undefined && i.verdicts === undefined))).toBe(true);
  });
});
