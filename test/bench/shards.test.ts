import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inShard, parseShard, shardFromEnv } from '../../src/bench/shard.js';
import type { FakeServer } from '../helpers/fake-openai.js';
import { essence, fakeModel, HUMANEVALPACK, ldb, modelSpec, readRecords, scratchDir } from './helpers.js';

const IDS = HUMANEVALPACK.slice(0, 13).map((p) => p.id).filter((id) => id !== 'JavaScript/10');

let server: FakeServer;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  server = await fakeModel({ unfixable: new Set(['JavaScript/4']) });
  ({ dir, cleanup } = await scratchDir());
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

const run = (out: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  ldb(['bench', 'humanevalpack-js', '-m', modelSpec(server), '--ids', IDS.join(','), '--max-iters', '2', '-o', join(dir, out), ...extra], {
    LDB_CACHE_DIR: join(dir, 'cache'),
    ...env,
  });

describe('shards', () => {
  it('parses i/n and the engines’ environments', () => {
    expect(parseShard('2/3')).toMatchObject({ index: 2, count: 3 });
    expect(() => parseShard('4/3')).toThrow(/1 <= i <= n/);
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0', LDB_SHARD_COUNT: '3' })).toMatchObject({ index: 1, count: 3, source: 'JOB_COMPLETION_INDEX' });
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '0' })).toThrow(/LDB_SHARD_COUNT/);
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' })).toMatchObject({ index: 3, count: 3 });
    expect(shardFromEnv({ LDB_SHARD: '1/2' })).toMatchObject({ index: 1, count: 2 });
    expect(shardFromEnv({})).toBeUndefined();
    const all = HUMANEVALPACK.map((p) => p.id);
    const slices = [1, 2, 3].map((i) => all.filter((id) => inShard(id, { index: i, count: 3, source: 'test' })));
    expect(slices.flat().sort()).toEqual([...all].sort());
    expect(Math.min(...slices.map((s) => s.length))).toBeGreaterThan(40);
  });

  it('shards 1/3, 2/3 (from JOB_COMPLETION_INDEX) and 3/3, merged, equal one full run', async () => {
    expect((await run('full.jsonl')).code).toBe(0);
    expect((await run('s1.jsonl', ['--shard', '1/3'])).code).toBe(0);
    const fromK8s = await run('s2.jsonl', [], { JOB_COMPLETION_INDEX: '1', LDB_SHARD_COUNT: '3' });
    expect(fromK8s.code).toBe(0);
    expect(fromK8s.stdout).toContain('shard 2/3 (from JOB_COMPLETION_INDEX)');
    expect((await run('s3.jsonl', ['--shard', '3/3'])).code).toBe(0);
    const merged = await ldb(['bench', 'merge', ...['s1', 's2', 's3'].map((s) => join(dir, `${s}.jsonl`)), '--out', join(dir, 'merged.jsonl')]);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toContain(`Merged ${IDS.length} results from 3 file(s)`);
    const full = await readRecords(join(dir, 'full.jsonl'));
    const shards = await readRecords(join(dir, 'merged.jsonl'));
    expect(full).toHaveLength(IDS.length);
    expect(shards.map(essence)).toEqual([...full].sort((a, b) => a.index - b.index).map(essence));
  });

  it('merge refuses overlapping files and files run with other options', async () => {
    const overlap = await ldb(['bench', 'merge', join(dir, 'full.jsonl'), join(dir, 's1.jsonl'), '--out', join(dir, 'bad.jsonl')]);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toMatch(/appear more than once: JavaScript\/\d+ \(.*full\.jsonl and .*s1\.jsonl\)/);
    expect((await run('base.jsonl', ['--method', 'baseline', '--shard', '1/3'])).code).toBe(0);
    const mixed = await ldb(['bench', 'merge', join(dir, 's2.jsonl'), join(dir, 'base.jsonl'), '--out', join(dir, 'bad.jsonl')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('method: ldb vs baseline');
  });

  it('compare shows the two runs problem by problem', async () => {
    const { code, stdout } = await ldb(['bench', 'compare', join(dir, 's1.jsonl'), join(dir, 'base.jsonl')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/pass@1 final\s+A\s+[\d.]+%\s+B\s+[\d.]+%/);
    expect(stdout).toMatch(/solved by both \d+, only A \d+, only B \d+, neither \d+/);
  });
});
