import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProblems } from '../../src/cases/datasets.js';
import { loadProblems } from '../../src/cases/datasets.js';
import { splitTests } from '../../src/cases/split.js';
import { taskPrompt } from '../../src/cases/visible-tests.js';
import type { FakeServer } from '../helpers/fake-openai.js';
import { fakeModel, HUMANEVALPACK, ldb, modelSpec, readRecords, scratchDir } from './helpers.js';

const servers: FakeServer[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const NEVER_ENDS = {
  task_id: 'Hostile/loop',
  prompt: '/* Return n + 1.\n>>> inc(1)\n2\n*/\nconst inc = (n) => {\n',
  canonical_solution: '  while (true) {}\n};\n',
  buggy_solution: '  while (true) {}\n};\n',
  entry_point: 'inc',
  example_test: 'const testInc = () => {\n  console.assert(inc(1) === 2)\n}\ntestInc()\n',
  test: 'const testInc = () => {\n  console.assert(inc(1) === 2)\n  console.assert(inc(5) === 6)\n}\ntestInc()\n',
};

describe('one problem fails only itself', () => {
  it('a program that never ends, and a model call that never returns, do not stall the other problems', async () => {
    const normal = HUMANEVALPACK.slice(0, 4);
    const records = [NEVER_ENDS, ...normal.map((p) => rawRecord(p.id))];
    const { dir, cleanup } = await scratchDir();
    cleanups.push(cleanup);
    const dataset = join(dir, 'mixed.jsonl');
    await writeFile(dataset, records.map((r) => JSON.stringify(r)).join('\n'));
    const problems = readProblems(records.map((r) => JSON.stringify(r)).join('\n'));
    const server = await fakeModel({ problems, hang: new Set(['JavaScript/2']) });
    servers.push(server);
    const out = join(dir, 'r.jsonl');
    const { code, stderr } = await ldb(
      ['bench', dataset, '-m', modelSpec(server), '-j', '2', '--max-iters', '2', '--time-limit', '300', '--problem-timeout', '15', '--no-cache', '-o', out],
      {},
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const byId = new Map((await readRecords(out)).map((r) => [r.task_id, r]));
    expect([...byId.keys()].sort()).toEqual(['Hostile/loop', 'JavaScript/0', 'JavaScript/1', 'JavaScript/2', 'JavaScript/3']);
    const loop = byId.get('Hostile/loop')!;
    expect(loop.solved).toBe(false);
    expect(loop.iterations[0]!.failure).toMatch(/did not finish/);
    expect(byId.get('JavaScript/2')).toMatchObject({ stop_reason: 'problem-timeout', solved: false });
    for (const id of ['JavaScript/0', 'JavaScript/1', 'JavaScript/3']) expect(byId.get(id)!.solved).toBe(true);
  });
});

describe('visible tests', () => {
  it('MBPP and the six HumanEval problems without examples see their first hidden assertion, shown in the prompt', async () => {
    const mbpp = await loadProblems('multipl-e-mbpp-js', { firstTestVisible: true });
    const first = mbpp.find((p) => p.id === 'mbpp_100_next_smallest_palindrome')!;
    expect(first.visibleFrom).toBe('first-test');
    expect(splitTests(first.visibleTests).map((c) => c.source)).toEqual(['assert.deepEqual(candidate(99),101);']);
    expect(splitTests(first.hiddenTests)).toHaveLength(3);
    expect(taskPrompt(first)).toContain('// It must pass this test:\n// assert.deepEqual(next_smallest_palindrome(99),101);');
    expect(mbpp.filter((p) => p.visibleFrom === undefined).map((p) => p.id)).toEqual([
      'mbpp_237_check_occurences',
      'mbpp_563_extract_values',
      'mbpp_725_extract_quotation',
    ]); // their test scripts do not parse
  });

  it('--mode seeds takes evalplus-style programs and says which tests were visible', async () => {
    const { dir, cleanup } = await scratchDir();
    cleanups.push(cleanup);
    const server = await fakeModel();
    servers.push(server);
    const byId = new Map(HUMANEVALPACK.map((p) => [p.id, p]));
    const seeds = [
      { task_id: 'JavaScript/41', solution: byId.get('JavaScript/41')!.programs.buggy },
      { task_id: 'JavaScript/0', completion: byId.get('JavaScript/0')!.programs.canonical!.slice(byId.get('JavaScript/0')!.prompt.length) },
    ];
    await writeFile(join(dir, 'samples.jsonl'), seeds.map((s) => JSON.stringify(s)).join('\n'));
    const out = join(dir, 'r.jsonl');
    const { code, stderr } = await ldb(
      ['bench', 'humanevalpack-js', '-m', modelSpec(server), '--mode', 'seeds', '--seeds', join(dir, 'samples.jsonl'), '--ids', 'JavaScript/0,JavaScript/41', '--no-cache', '-o', out],
      {},
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const records = new Map((await readRecords(out)).map((r) => [r.task_id, r]));
    expect(records.get('JavaScript/0')).toMatchObject({ seed_solved: true, solved: true, iterations: [{ index: 0 }], visible_tests: { from: 'examples' } });
    expect(records.get('JavaScript/41')).toMatchObject({
      seed_solved: false,
      solved: true,
      visible_tests: { from: 'first-test', tests: ['console.assert(carRaceCollision(2) === 4)'] },
    });
    const prompts = server.requests.map((r) => JSON.stringify(r.body.messages));
    expect(prompts.some((p) => p.includes('It must pass this test:') && p.includes('carRaceCollision(2) === 4'))).toBe(true);
  });
});

function rawRecord(id: string): Record<string, unknown> {
  const p = HUMANEVALPACK.find((problem) => problem.id === id)!;
  return {
    task_id: p.id,
    prompt: p.prompt,
    canonical_solution: p.programs.canonical!.slice(p.prompt.length),
    buggy_solution: p.programs.buggy!.slice(p.prompt.length),
    entry_point: p.entryPoint,
    example_test: p.visibleTests,
    test: p.hiddenTests,
  };
}
