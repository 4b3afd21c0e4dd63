import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests, type RunTestsOptions, type TestRun } from '../../src/api.js';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/io.js';
import { LdbError } from '../../src/errors.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import type { Outcome } from '../../src/sandbox/trace.js';

/**
 * The hostile corpus (fixtures/hostile/manifest.json): programs that try to get out of the
 * sandbox, exhaust it, fool the tracer or the verdict, or are odd, or are not programs at all.
 * Every program runs plain and traced; besides its own expectation, each checks the invariants:
 * traced and plain runs agree, a trace is there where one is promised, and the next run in the
 * same sandbox works.
 */

interface Expectation {
  outcome: Outcome['kind'] | 'input-error';
  name?: string;
  messageIncludes?: string | string[];
  expected?: string;
  actual?: string;
  hasLoc?: boolean;
  partialTrace?: boolean;
  traceIncludes?: string[];
  consoleIncludes?: string[];
  consoleMax?: number;
  consoleCharsMax?: number;
}

interface HostileCase {
  name: string;
  group: string;
  program: string;
  test?: string;
  tests?: string;
  testsFile?: string;
  entryPoint?: string;
  limits?: RunTestsOptions['limits'];
  expect: Expectation;
  why: string;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOSTILE = `${ROOT}fixtures/hostile/`;
const manifest = JSON.parse(await readFile(`${HOSTILE}manifest.json`, 'utf8')) as HostileCase[];
/** Ordinary cases get room for a slow CI machine; the resource bombs set their own small limits. */
const DEFAULT_LIMITS = { timeMs: 3000, memoryMb: 32 };
const GROUPS = ['escape', 'bombs', 'integrity', 'odd', 'badinput'];

const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

async function inputs(entry: HostileCase): Promise<{ code: string; tests: string; testsFilename: string }> {
  const code = await readFile(`${HOSTILE}${entry.program}`, 'utf8');
  if (entry.testsFile) return { code, tests: await readFile(`${HOSTILE}${entry.testsFile}`, 'utf8'), testsFilename: entry.testsFile };
  return { code, tests: entry.tests ?? entry.test ?? '', testsFilename: 'tests.js' };
}

function includes(list: string | string[] | undefined): string[] {
  return list === undefined ? [] : Array.isArray(list) ? list : [list];
}

function messageOf(outcome: Outcome): string {
  return 'message' in outcome ? outcome.message : 'reason' in outcome ? (outcome.reason ?? '') : '';
}

/** What must agree between the plain and the traced run. */
function comparable(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'fail':
      return `fail|${outcome.message}|${outcome.expected}|${outcome.actual}`;
    case 'error':
      return `error|${outcome.name}|${outcome.message}`;
    case 'timeout':
      return `timeout|${outcome.reason ?? ''}`;
    default:
      return outcome.kind;
  }
}

function checkRun(entry: HostileCase, run: TestRun, traced: boolean): void {
  const want = entry.expect;
  const label = `${entry.name} (${traced ? 'traced' : 'plain'})`;
  expect(run.cases.length, label).toBeGreaterThan(0);
  const last = run.cases[run.cases.length - 1]!;
  const outcome = last.outcome;
  if (want.outcome === 'pass') {
    for (const result of run.cases) expect(result.outcome, `${label}: ${result.case.source}`).toEqual({ kind: 'pass' });
  } else {
    // The interesting case is the last one; any before it must pass.
    for (const result of run.cases.slice(0, -1)) expect(result.outcome.kind, `${label}: ${result.case.source}`).toBe('pass');
    expect(outcome.kind, `${label}: ${JSON.stringify(outcome)}`).toBe(want.outcome);
    if (want.name) expect('name' in outcome ? outcome.name : undefined, label).toBe(want.name);
    for (const text of includes(want.messageIncludes)) expect(messageOf(outcome), label).toContain(text);
    if (want.expected !== undefined) expect(outcome.kind === 'fail' ? outcome.expected : undefined, label).toBe(want.expected);
    if (want.actual !== undefined) expect(outcome.kind === 'fail' ? outcome.actual : undefined, label).toBe(want.actual);
    if (want.hasLoc) expect(outcome.kind === 'error' ? outcome.loc : undefined, label).toMatchObject({ file: entry.program.split('/').pop() });
  }
  const consoleText = last.console.join('\n');
  for (const text of want.consoleIncludes ?? []) expect(consoleText, label).toContain(text);
  if (want.consoleMax !== undefined) expect(last.console.length, label).toBeLessThanOrEqual(want.consoleMax);
  if (want.consoleCharsMax !== undefined) expect(consoleText.length, label).toBeLessThanOrEqual(want.consoleCharsMax);
  if (traced) {
    for (const result of run.cases) expect(result.trace, `${label}: every traced case has a trace`).toBeDefined();
    const trace = last.trace!;
    if (want.partialTrace) expect(trace.events.length, `${label}: partial trace`).toBeGreaterThan(0);
    const rendered = JSON.stringify(trace.events);
    for (const text of want.traceIncludes ?? []) expect(rendered, label).toContain(text);
  }
}

/** The CLI must end with exit status 2 and one clear message: no stack trace, nothing on stdout. */
async function checkCli(entry: HostileCase): Promise<void> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readFile: (path) => readFile(`${HOSTILE}${path}`, 'utf8'),
    isTTY: false,
    env: {},
  };
  const argv = ['trace', entry.program];
  if (entry.testsFile) argv.push('--tests', entry.testsFile);
  else argv.push('--test', entry.tests ?? entry.test ?? '');
  if (entry.entryPoint) argv.push('--entry', entry.entryPoint);
  const code = await main(argv, io);
  expect(code, `${entry.name}: exit status (stderr: ${stderr})`).toBe(2);
  expect(stdout).toBe('');
  expect(stderr.startsWith('ldb: ')).toBe(true);
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(stderr).not.toContain('internal error');
  for (const text of includes(entry.expect.messageIncludes)) expect(stderr).toContain(text);
}

async function canary(): Promise<void> {
  const run = await runTests({ code: 'function ok(n) { return n + 1; }', tests: 'assert.strictEqual(ok(1), 2)', sandbox, trace: true });
  expect(run.cases[0]!.outcome, 'the next run in the same sandbox works').toEqual({ kind: 'pass' });
}

describe('the hostile corpus', () => {
  it('has at least 60 programs across the five groups, each with a reason', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(60);
    for (const group of GROUPS) expect(manifest.filter((entry) => entry.group === group).length, group).toBeGreaterThanOrEqual(5);
    for (const entry of manifest) {
      expect(GROUPS, entry.name).toContain(entry.group);
      expect(entry.why.length, entry.name).toBeGreaterThan(20);
    }
    expect(new Set(manifest.map((entry) => entry.name)).size).toBe(manifest.length);
  });
});

for (const group of GROUPS) {
  describe(group, () => {
    for (const entry of manifest.filter((c) => c.group === group)) {
      it(entry.name, async () => {
        const { code, tests, testsFilename } = await inputs(entry);
        const filename = entry.program.split('/').pop()!;
        const options: RunTestsOptions = {
          code,
          tests,
          filename,
          testsFilename,
          limits: { ...DEFAULT_LIMITS, ...entry.limits },
          sandbox,
          ...(entry.entryPoint ? { entryPoint: entry.entryPoint } : {}),
        };
        if (entry.expect.outcome === 'input-error') {
          for (const trace of [false, true]) {
            const error = await runTests({ ...options, trace }).then(
              () => undefined,
              (thrown: unknown) => thrown,
            );
            expect(error, `${entry.name}: runTests must reject with an LdbError`).toBeInstanceOf(LdbError);
            for (const text of includes(entry.expect.messageIncludes)) expect((error as Error).message).toContain(text);
          }
          await checkCli(entry);
          await canary();
          return;
        }
        const plain = await runTests({ ...options, trace: false });
        checkRun(entry, plain, false);
        const traced = await runTests({ ...options, trace: true });
        checkRun(entry, traced, true);
        expect(traced.cases.map((c) => comparable(c.outcome)), `${entry.name}: traced and plain agree`).toEqual(
          plain.cases.map((c) => comparable(c.outcome)),
        );
        expect(traced.cases.map((c) => c.console), `${entry.name}: same console output`).toEqual(plain.cases.map((c) => c.console));
        await canary();
      });
    }
  });
}

describe('after the corpus', () => {
  it('leaves the host healthy: bounded memory, and the sandbox still runs cases', async () => {
    await canary();
    const stats = await sandbox.stats();
    expect(stats.server?.liveIsolates ?? 0).toBeLessThanOrEqual(1);
    expect(process.memoryUsage().rss).toBeLessThan(1.5 * 1024 ** 3);
  });
});
