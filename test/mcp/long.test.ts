import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepOutput } from '../../src/mcp/schemas.js';
import { QUERY_RERUNS, QUERY_WINDOW } from '../../src/mcp/tools/query.js';
import { connect, type Connected } from './helpers.js';

// mean(600000) runs 1,200,004 steps: entry, `let total = 0`, then the loop test (mean#2) and body
// (mean#3) 600,000 times, the last test, the return. A trace keeps at most a few thousand of them.
const LONG = { programPath: 'fixtures/long/mean-long.js', test: 'assert.strictEqual(mean(600000), 299999.5);' };
const TOTAL = 1_200_004;

let ldb: Connected;
beforeAll(async () => {
  ldb = await connect();
});
afterAll(async () => {
  await ldb.close();
});

describe('ldb mcp on a run of a million steps', () => {
  it('trace_test: a page from the middle has those very steps, with the values they had', async () => {
    const page = await ldb.call('trace_test', { ...LONG, from: 600_001, maxSteps: 4 });
    expect(page.isError).toBe(false);
    expect(page.data).toMatchObject({ totalSteps: TOTAL, from: 600_001, nextFrom: 600_005, notRecorded: null, compact: null, outcome: { kind: 'fail' } });
    const steps = page.data.steps as StepOutput[];
    // Step 600,001 is the loop test with i = 299999, after total = 0 + 1 + ... + 299998.
    expect(steps.map((s) => [s.step, s.block, s.vars.i, s.vars.total, s.changed])).toEqual([
      [600_001, 'mean#2', '299999', '44999550001', ['i']],
      [600_002, 'mean#3', '299999', '44999850000', ['total']],
      [600_003, 'mean#2', '300000', '44999850000', ['i']],
      [600_004, 'mean#3', '300000', '45000150000', ['total']],
    ]);
    expect(page.text).toContain('Steps 600001-600004 of 1200004:\nstep 600001 · mean#2, line 9 · test → true\n  n = 600000  total = 44999550001  i = 299999*');
  });

  it('trace_test: a first page longer than the kept head of the trace comes whole', async () => {
    const page = await ldb.call('trace_test', { ...LONG, maxSteps: 400 });
    const steps = page.data.steps as StepOutput[];
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(steps[399]).toMatchObject({ block: 'mean#3', vars: { i: '198', total: '19701' } });
    expect(page.data).toMatchObject({ totalSteps: TOTAL, nextFrom: 401, notRecorded: null });
  });

  it('query_trace: searches the unrecorded middle window by window, from a step, and stops at maxResults', async () => {
    const answer = await ldb.call('query_trace', { ...LONG, from: 590_001, where: 'i === 299999', variable: 'total', maxResults: 1 });
    expect(answer.data).toMatchObject({
      totalSteps: TOTAL,
      searched: { from: 590_001, to: 590_000 + QUERY_WINDOW },
      nextFrom: 590_001 + QUERY_WINDOW,
      matchCount: 2,
      matches: [{ step: 600_001, block: 'mean#2', value: '44999550001', changed: false }],
    });
    expect(answer.text).toContain(`The search stopped after step ${590_000 + QUERY_WINDOW} (it had found 1 match)`);
  });

  it('query_trace: a search that spends its re-runs says what it searched and where to go on; the last stretch reaches the end', async () => {
    const budget = await ldb.call('query_trace', { ...LONG, where: 'total < 0' });
    const searchedTo = 4000 + QUERY_RERUNS * QUERY_WINDOW; // the kept head (a fifth of 20,000 steps), then the re-runs
    expect(budget.data).toMatchObject({ matchCount: 0, searched: { from: 1, to: searchedTo }, nextFrom: searchedTo + 1 });
    expect(budget.text).toContain(`steps ${searchedTo + 1}-${TOTAL} were not searched: continue with from=${searchedTo + 1}`);
    const end = await ldb.call('query_trace', { ...LONG, from: TOTAL - 20_000, where: 'i === 599999', variable: 'total' });
    expect(end.data).toMatchObject({ searched: { from: TOTAL - 20_000, to: TOTAL }, nextFrom: null, matchCount: 2 });
    expect((end.data.matches as { step: number }[]).map((m) => m.step)).toEqual([TOTAL - 3, TOTAL - 2]);
  });
});
