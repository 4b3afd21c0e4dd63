import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests, type TestRun } from '../../src/api.js';
import { loadProblems } from '../../src/cases/datasets.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { ParseError } from '../../src/errors.js';

// Real programs nobody here wrote: every canonical solution must pass its hidden tests when
// traced, every buggy one must fail, and traced and plain runs must agree case by case.
const DATA = fileURLToPath(new URL('../../data/humanevalpack-js.jsonl', import.meta.url));
// The project ships its data (data/): a missing file fails here, it never skips.
const problems = await loadProblems(DATA);
const NEVER_FINISH = new Set(['JavaScript/10', 'JavaScript/25', 'JavaScript/76', 'JavaScript/155', 'JavaScript/156']);
const limits = { timeMs: 1000 };
const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

const kinds = (run: TestRun) => run.cases.map((c) => c.outcome.kind);
// What must be the same with and without probes. A run stopped by a resource limit may hit the
// time limit in one mode and the memory limit in the other (probes make loops slower).
const details = (run: TestRun) =>
  run.cases.map(({ outcome }) => {
    if (outcome.kind === 'fail') return `fail ${outcome.expected}|${outcome.actual}`;
    if (outcome.kind === 'error') return `${outcome.name}: ${outcome.message} @${outcome.loc?.line}:${outcome.loc?.column}`;
    return outcome.kind === 'timeout' || outcome.kind === 'memory' ? 'stopped by a limit' : outcome.kind;
  });

async function both(code: string, tests: string, id: string): Promise<TestRun | ParseError> {
  const options = { code, tests, filename: `${id.replace('/', '-')}.js`, limits, sandbox };
  let plain: TestRun;
  try {
    plain = await runTests(options);
  } catch (error) {
    if (error instanceof ParseError) return error; // a few buggy solutions are not valid JavaScript
    throw error;
  }
  let traced = await runTests({ ...options, trace: true });
  if (details(traced).join() !== details(plain).join() && [...details(traced), ...details(plain)].includes('stopped by a limit')) {
    // A busy machine can push a slow case over the short limit in one mode only: measure again, unhurried.
    const unhurried = { ...options, limits: { timeMs: 8000 } };
    plain = await runTests(unhurried);
    traced = await runTests({ ...unhurried, trace: true });
  }
  expect(details(traced), `${id}: traced and plain runs disagree`).toEqual(details(plain));
  return traced;
}

// Problems that never finish spend their time limit on every case, twice (plain and traced), and
// again unhurried when the two disagree: room for that on a loaded 2-core machine.
const PER_PROBLEM_TIMEOUT = 300_000;

describe('HumanEvalPack JavaScript (164 problems)', () => {
  it('has all 164 problems', () => {
    expect(problems).toHaveLength(164);
  });

  describe.each(problems.map((p) => [p.id, p] as const))('%s', (id, problem) => {
    it('canonical solution passes its hidden tests when traced', async () => {
      const run = await both(problem.programs.canonical!, problem.hiddenTests, id);
      if (run instanceof ParseError) throw run;
      if (id === 'JavaScript/162') {
        const errors = run.cases.filter((c) => c.outcome.kind === 'error');
        expect(errors.length).toBeGreaterThan(0);
        for (const c of errors) expect(c.outcome).toMatchObject({ message: expect.stringContaining("module not available in the sandbox: 'js-md5'") });
        return;
      }
      expect(kinds(run).every((k) => k === 'pass'), `${id}: ${JSON.stringify(run.cases.map((c) => c.outcome))}`).toBe(true);
      for (const c of run.cases) expect(c.trace!.totalEvents).toBeGreaterThan(0);
    }, PER_PROBLEM_TIMEOUT);

    it('buggy solution fails', async () => {
      const run = await both(problem.programs.buggy!, problem.hiddenTests, id);
      if (run instanceof ParseError) {
        expect(['JavaScript/113', 'JavaScript/144']).toContain(id);
        return;
      }
      expect(run.failed, `${id}: the buggy solution passed every case`).toBeGreaterThan(0);
      if (NEVER_FINISH.has(id)) {
        const stuck = run.cases.filter((c) => c.outcome.kind === 'timeout' || (c.outcome.kind === 'error' && c.outcome.name === 'RangeError'));
        expect(stuck.length).toBeGreaterThan(0);
        for (const c of stuck) expect(c.trace!.events.length, `${id}: no partial trace`).toBeGreaterThan(0);
      }
    }, PER_PROBLEM_TIMEOUT);
  });
});
