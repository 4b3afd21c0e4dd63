import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests } from '../../src/api.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import type { Outcome } from '../../src/sandbox/trace.js';

interface Fixture {
  name: string;
  language: string;
  program: string;
  fixed: string;
  tests: string;
  firstFailingCase: number;
  failure: 'fail' | 'error' | 'timeout' | 'stackoverflow';
  /** For test()-style files: the line of the assertion that fails first. */
  failingLine?: number;
}

const DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const fixtures = JSON.parse(readFileSync(`${DIR}manifest.json`, 'utf8')) as Fixture[];
const read = (path: string) => readFileSync(`${DIR}${path}`, 'utf8');
const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());
// Short limits keep the suite fast; a stack overflow gets room (it unwinds thousands of traced frames).
const limitsFor = (fixture: Fixture) => ({ timeMs: fixture.failure === 'stackoverflow' ? 10_000 : 1500 });

function kindOf(outcome: Outcome): Fixture['failure'] | 'pass' | 'memory' {
  if (outcome.kind === 'error' && outcome.name === 'RangeError' && /call stack/.test(outcome.message)) return 'stackoverflow';
  return outcome.kind;
}

describe('fixtures: small programs with known bugs', () => {
  it('has at least 10 fixtures in JS and TS', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    expect(new Set(fixtures.map((f) => f.language))).toEqual(new Set(['js', 'ts']));
  });

  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    it('fails where the manifest says, with a trace that reaches the bug', async () => {
      const run = await runTests({
        code: read(fixture.program),
        filename: fixture.program,
        tests: read(fixture.tests),
        testsFilename: fixture.tests,
        trace: true,
        limits: limitsFor(fixture),
        sandbox,
      });
      const firstFailing = run.cases.findIndex((c) => c.outcome.kind !== 'pass');
      expect(firstFailing).toBe(fixture.firstFailingCase);
      const failing = run.cases[firstFailing]!;
      expect(kindOf(failing.outcome)).toBe(fixture.failure);
      expect(failing.trace!.events.length).toBeGreaterThan(0);
      expect(run.passed).toBeGreaterThan(0);
      if (fixture.failingLine !== undefined) {
        expect(failing.outcome.kind === 'fail' && failing.outcome.loc).toEqual({ file: fixture.tests, line: fixture.failingLine, column: expect.any(Number) });
      }
    });

    it('passes every case once fixed', async () => {
      const run = await runTests({
        code: read(fixture.fixed),
        filename: fixture.fixed,
        tests: read(fixture.tests),
        testsFilename: fixture.tests,
        trace: true,
        limits: { timeMs: 5000 },
        sandbox,
      });
      expect(run.cases.map((c) => c.outcome)).toEqual(run.cases.map(() => ({ kind: 'pass' })));
    });
  });
});
