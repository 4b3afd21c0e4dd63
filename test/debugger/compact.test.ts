import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceTest } from '../../src/api.js';
import { compactTrace, identifiersIn, type CompactTrace } from '../../src/debugger/compact.js';
import type { DebugLevel } from '../../src/debugger/result.js';
import { countTokens } from '../../src/debugger/tokens.js';
import type { Block } from '../../src/program/model.js';
import { parseProgram } from '../../src/program/program.js';
import type { LimitsInput } from '../../src/sandbox/limits.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { describeOutcome, type Trace } from '../../src/sandbox/trace.js';

const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

interface Traced {
  trace: Trace;
  blocks: Block[];
  source: string;
}

async function traced(code: string, test: string, options: { filename?: string; limits?: LimitsInput } = {}): Promise<Traced> {
  const trace = await traceTest({ code, test, sandbox, ...options });
  return { trace, blocks: parseProgram(code, { filename: options.filename }).blocks, source: code };
}

function compact(run: Traced, level: DebugLevel = 'block', budgetTokens = 4000, keep?: 'position'): CompactTrace {
  return compactTrace({ ...run, level, budgetTokens, keep });
}

const fixture = (path: string): string => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

const SUM_TO = (n: string): string => `function sumTo(n) {
  let total = 0;
  for (let i = 1; i < ${n}; i++) {
    total += i;
  }
  return total;
}`;

const COLLATZ = `function steps(n) {
  let count = 0;
  while (n !== 1) {
    if (n % 2 === 0) {
      n = n / 2;
    } else {
      n = 3 * n + 1;
    }
    count++;
  }
  return count;
}`;

/** The "step N" numbers the text shows, in order. */
const stepNumbers = (text: string): number[] => [...text.matchAll(/^\s*step (\d+) ·/gm)].map((m) => Number(m[1]));

describe('compactTrace at block level: a short off-by-one loop', () => {
  let run: Traced;
  beforeAll(async () => {
    run = await traced(fixture('js/off-by-one-sum.js'), 'assert.strictEqual(sumTo(3), 6)');
  });

  it('shows every step with its block id, kind, line, code and branch result', () => {
    const { text, omitted } = compact(run);
    expect(text).toMatch(/^Trace at block level: 8 steps, all shown\./);
    expect(omitted).toEqual([]);
    expect(stepNumbers(text)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(text).toContain('step 3 · block sumTo#2 loop, line 10 · test → true\n  | for (let i = 1; i < n; i++)');
    expect(text).toContain('step 7 · block sumTo#2 loop, line 10 · test → false');
    expect(text).toContain('step 8 · block sumTo#4, line 13 · returns 3\n  | return total;');
    expect(text.trimEnd().split('\n').pop()).toBe('End of run: the test failed: expected 6, got 3.');
  });

  it('shows changed variables (marked *) and those the block reads, and names the rest', () => {
    const { text } = compact(run);
    // The loop head reads i and n; total is in scope but untouched, so only its name is given.
    expect(text).toContain('  i = 3*  n = 3  (unchanged: total)');
    expect(text).toContain('  total = 3*  i = 2  (unchanged: n)');
  });

  it('asks for verdicts on the blocks that ran, not on the entry (its arguments are the caller\'s)', () => {
    const { targets } = compact(run);
    expect(targets.map((t) => t.id)).toEqual(['sumTo#1', 'sumTo#2', 'sumTo#3', 'sumTo#4']);
    expect(targets[1]).toEqual({ id: 'sumTo#2', kind: 'block', label: 'line 10', lines: { start: 10, end: 10 }, blocks: ['sumTo#2'], shown: true });
  });

  it('counts tokens of the text it returns with the real tokenizer, or the one it is given', () => {
    const result = compact(run);
    expect(result.tokens).toBe(countTokens(result.text));
    const byChars = compactTrace({ ...run, level: 'block', budgetTokens: 4000, countTokens: (t) => t.length });
    expect(byChars.tokens).toBe(byChars.text.length);
  });

  it('at line level labels every source line and asks for verdicts per line', () => {
    const { text, targets } = compact(run, 'line');
    expect(text).toMatch(/^Trace at line level: 8 steps, all shown\./);
    expect(text).toContain('step 4 · block sumTo#3\n  L11  total += i;\n  total = 1*  i = 1  (unchanged: n)');
    expect(targets.map((t) => t.id)).toEqual(['L9', 'L10', 'L11', 'L13']);
    expect(targets.find((t) => t.id === 'L11')).toMatchObject({ kind: 'line', lines: { start: 11, end: 11 }, blocks: ['sumTo#3'] });
  });
});

describe('compactTrace: long loops', () => {
  it('collapses the repeated iterations into one summary with the range of each variable', async () => {
    const run = await traced(SUM_TO('n'), 'assert.strictEqual(sumTo(300), 44850)', { limits: { maxEvents: 5000 } });
    const { text, omitted } = compact(run);
    expect(stepNumbers(text)).toEqual([1, 2, 3, 4, 599, 600, 601, 602]);
    expect(omitted).toEqual(['steps 5-598 omitted: iterations 2-298 of 299 of the same blocks sumTo#2 → sumTo#3; hidden: total = 1..44551, i = 2..298; unchanged: n']);
    expect(text).toContain(`… ${omitted[0]}`);
    expect(text).toMatch(/^Trace at block level: 602 steps; 8 shown\. NOT shown: 594 steps of repeated loop iterations \(summarised\)\./);
  });

  it('bridges the tracer\'s own gap when the same loop runs on both sides of it', async () => {
    const run = await traced(SUM_TO('n'), 'assert.strictEqual(sumTo(10000), 50005000)');
    expect(run.trace.truncated).toBe(true);
    const { text, omitted } = compact(run);
    expect(stepNumbers(text)).toEqual([1, 2, 3, 4, 19999, 20000, 20001, 20002]);
    expect(omitted).toEqual([
      `steps 5-19998 omitted: iterations 2-9998 of 9999 of the same blocks sumTo#2 → sumTo#3 (${run.trace.dropped} of these steps were not recorded); hidden: total = 1..49985001, i = 2..9998; unchanged: n`,
    ]);
    expect(text).toContain(`NOT shown: ${run.trace.dropped} steps the tracer did not record; ${19994 - run.trace.dropped} steps of repeated loop iterations`);
  });

  it('among steps of equal relevance, drops the middle first, then the first steps, never the last', async () => {
    const run = await traced(COLLATZ, 'assert.strictEqual(steps(27), 112)');
    const all = compact(run, 'block', 20_000, 'position');
    expect(all.omitted).toHaveLength(8);
    expect(all.omitted.every((note) => note.includes('of the same blocks'))).toBe(true);
    for (const budget of [1200, 800, 500]) {
      const { text, tokens, omitted } = compact(run, 'block', budget, 'position');
      expect(tokens).toBeLessThanOrEqual(budget);
      const shown = stepNumbers(text);
      expect(shown.slice(-3)).toEqual([446, 447, 448]);
      expect(shown.slice(0, 2)).toEqual([1, 2]);
      expect(text).toContain('cut to fit the length limit');
      // The dropped stretch is one marker, not one per summary it swallowed; the summary of the
      // loop running at the end stays (it may split the stretch in two).
      expect(omitted.filter((n) => n.includes('to fit the length limit')).length).toBeLessThanOrEqual(2);
      expect(omitted).toContain('steps 434-441 omitted: iterations 2-3 of 4 of the same blocks steps#6 → steps#2 → steps#3 → steps#4; hidden: n = 8..2, count = 108..109');
    }
  });

  it('gives up the first steps after the middle, and the last step never', async () => {
    const run = await traced(COLLATZ, 'assert.strictEqual(steps(27), 112)');
    const seen: number[][] = [];
    for (let budget = 700; budget >= 150; budget -= 10) {
      const { text, tokens } = compact(run, 'block', budget, 'position');
      const shown = stepNumbers(text);
      seen.push(shown);
      expect(shown.at(-1)).toBe(448);
      if (shown.length > 1) expect(tokens).toBeLessThanOrEqual(budget);
      // Shown steps are some of the first two, then an unbroken run up to the last one (bar the
      // summary of steps 434-441, the loop running at the end, which is kept longer than steps).
      const head = shown.filter((n) => n <= 2);
      const tail = shown.filter((n) => n > 2);
      expect(head).toEqual([1, 2].slice(0, head.length));
      const jumps = tail.slice(1).flatMap((n, i) => (n - tail[i]! === 1 ? [] : [`${tail[i]}-${n}`]));
      expect(jumps.filter((jump) => jump !== '433-442')).toEqual([]);
      // The first steps go before the last three do.
      if (head.length > 0) expect(tail.slice(-3)).toEqual([446, 447, 448]);
    }
    expect(seen).toContainEqual([447, 448]);
    const impossible = compact(run, 'block', 10, 'position');
    expect(stepNumbers(impossible.text)).toEqual([448]);
    expect(impossible.omitted).toEqual(['steps 1-447 omitted to fit the length limit (447 steps)']);
  });

  it('says when a timed-out loop changes nothing, and that the run was stopped', async () => {
    const run = await traced(fixture('js/count-words-loop.js'), "assert.strictEqual(countWords('a b'), 2)", { limits: { timeMs: 150 } });
    expect(run.trace.outcome.kind).toBe('timeout');
    const { text, omitted, tokens } = compact(run, 'block', 1500);
    expect(tokens).toBeLessThanOrEqual(1500);
    expect(omitted).toHaveLength(1);
    expect(omitted[0]).toMatch(/^steps 11-\d+ omitted: iterations 2-\d+ of \d+ of the same blocks countWords#2 → countWords#3 → countWords#4 \(\d+ of these steps were not recorded\); hidden: no variable changed; unchanged: s, count, inWord, i$/);
    // Step numbers count the test's own steps (the program's top-level steps are not shown).
    const caseTotal = run.trace.totalEvents - (run.trace.loadEvents ?? 0);
    expect(stepNumbers(text).pop()).toBe(caseTotal);
    expect(text).toContain(`End of run: the run was stopped: it ${describeOutcome(run.trace.outcome)}, still running after step ${caseTotal}.`);
  });

  it('keeps a loop summary longer than the steps around it when the budget is tight', async () => {
    const run = await traced(fixture('js/count-words-loop.js'), "assert.strictEqual(countWords('a b'), 2)", { limits: { timeMs: 150 } });
    const { text, tokens } = compact(run, 'block', 330);
    expect(tokens).toBeLessThanOrEqual(330);
    expect(text).toContain('no variable changed');
    const shown = stepNumbers(text);
    expect(shown.length).toBeLessThan(3);
    expect(shown.at(-1)).toBe(run.trace.totalEvents - (run.trace.loadEvents ?? 0));
  });
});

describe('compactTrace: errors', () => {
  it('marks the block that threw and keeps it whatever the budget', async () => {
    const run = await traced(fixture('ts/top-scorer-undefined.ts'), 'assert.strictEqual(topScorer([]), null)', { filename: 'top-scorer.ts' });
    const { text, targets } = compact(run);
    expect(text).toContain(
      "step 3 · block topScorer#5, line 21 · ✗ TypeError thrown here: Cannot read properties of undefined (reading 'name')\n  | return best.name;\n  best = undefined  (unchanged: players)",
    );
    expect(text).toContain("End of run: TypeError at top-scorer.ts line 21: Cannot read properties of undefined (reading 'name')");
    expect(targets.map((t) => t.id)).toEqual(['topScorer#1', 'topScorer#5']);
  });

  it('finds where an error started when it unwinds through several calls', async () => {
    const code = `function helper(xs) {
  let s = 0;
  for (const x of xs) { s += x.v; }
  return s;
}
function outer(list) {
  const out = [];
  out.push(helper(list));
  return out;
}`;
    const run = await traced(code, 'assert.deepStrictEqual(outer([{ v: 1 }, null]), [1])');
    const text = compact(run, 'block', 200).text;
    expect(text).toMatch(/step 7 · block helper#3, line 3 · ✗ TypeError thrown here/);
    expect(text).toMatch(/step 8 · block outer#1, lines 7-9 · left by the exception/);
    const calls = compact(run, 'function').text;
    expect(calls).toContain('  helper/call-2  helper(xs = [ { v: 1 }, null ]) → ✗ TypeError thrown here');
    expect(calls).toContain('outer/call-1  outer(list = [ { v: 1 }, null ]) → left by the exception');
  });

  it('collapses runaway recursion on both sides of the gap and keeps the frame that overflowed', async () => {
    const run = await traced('function down(n) {\n  return n + down(n - 1);\n}', 'assert.strictEqual(down(3), 6)');
    expect(run.trace.outcome).toMatchObject({ kind: 'error', name: 'RangeError' });
    const { text, omitted } = compact(run, 'block', 1500);
    expect(omitted[0]).toMatch(/^steps 3-\d+ omitted: repetitions 2-\d+ of \d+ of the same blocks down#0, each repetition one call deeper; hidden: n = 1..-\d+$/);
    expect(omitted.at(-1)).toMatch(/of the same blocks down#1, each repetition one call shallower; hidden: n = -\d+..2$/);
    expect(text).toMatch(/down#1, line 2 · ✗ RangeError thrown here: Maximum call stack size exceeded/);
    const calls = compact(run, 'function', 1500);
    expect(calls.text).toMatch(/down\/call-\d+ {2}down\(…\) \(entered where the run was not recorded; first seen with n = -\d+\) → ✗ RangeError thrown here/);
  });
});

describe('compactTrace at function level', () => {
  it('shows one line per call with its arguments and result, nested calls indented', async () => {
    const run = await traced(fixture('js/fib-base-case.js'), 'assert.strictEqual(fib(4), 3)');
    const { text, targets } = compact(run, 'function');
    expect(text).toBe(
      [
        'Trace at function level: 5 calls (15 block steps), all shown.',
        'One line per call: call id, fn(arguments at entry) → what it returned or threw. Calls made by a call are indented under it.',
        '',
        'fib/call-1  fib(n = 4) → returns 3',
        '  fib/call-2  fib(n = 3) → returns 2',
        '    fib/call-3  fib(n = 2) → returns 1',
        '    fib/call-4  fib(n = 1) → returns 1',
        '  fib/call-5  fib(n = 2) → returns 1',
        '',
        'End of run: the test passed.',
      ].join('\n'),
    );
    expect(targets[0]).toEqual({
      id: 'fib/call-1',
      kind: 'call',
      label: 'fib(n = 4)',
      lines: { start: 8, end: 13 },
      blocks: ['fib#0', 'fib#1', 'fib#2', 'fib#3'],
      shown: true,
    });
  });

  it('collapses a chain of identical calls and reports the arguments and results it hides', async () => {
    const code = `function sum(n) {
  if (n === 0) return 0;
  return n + sum(n - 1);
}`;
    const run = await traced(code, 'assert.strictEqual(sum(30), 0)');
    const { text, omitted } = compact(run, 'function');
    expect(omitted).toEqual(['calls 3-30 omitted: repetitions 2-29 of 30 of the same calls sum, each repetition one call deeper; hidden: n = 28..1; results returns 406 … returns 1']);
    expect(text).toContain('sum/call-1  sum(n = 30) → returns 465');
    expect(text).toMatch(/sum\/call-31 {2}sum\(n = 0\) → returns 0/);
  });
});

describe('compactTrace: relevance over position (issue 9)', () => {
  const SORT_TEST = 'assert.deepStrictEqual(orderByPoints([3, 21, 40, 5, -12, 11, 7]), [-12, 11, 3, 21, 40, 5, 7])';
  /** The comparison that left -12 behind 21: digitSum(-12) counts the minus sign away, so comesBefore(-12, 21) is false. */
  const DECISIVE = /step (\d+) · block comesBefore#1, line 18 · returns false\n {4}\| return digitSum\(a\) < digitSum\(b\);\n {4}a = -12 {2}b = 21/;
  let sort: Traced;
  beforeAll(async () => {
    sort = await traced(fixture('js/sort-digit-sum.js'), SORT_TEST);
  });

  it('keeps the decisive comparison in the middle of a long sort, which keeping by position loses', () => {
    expect(sort.trace.totalEvents).toBeGreaterThan(200);
    const kept = compact(sort, 'block', 800);
    expect(kept.tokens).toBeLessThanOrEqual(800);
    const decisive = DECISIVE.exec(kept.text);
    expect(decisive).not.toBeNull();
    const step = Number(decisive![1]);
    // In the middle of the run: neither among the first nor the last steps a positional budget keeps.
    expect(step).toBeGreaterThan(50);
    expect(step).toBeLessThan(sort.trace.totalEvents - 50);
    expect(kept.text).toContain('Steps were kept by relevance');
    const byPosition = compact(sort, 'block', 800, 'position');
    expect(byPosition.text).not.toMatch(DECISIVE);
    expect(byPosition.shownSteps).not.toContain(step);
  });

  it('asks for every block that ran, in source order, starring those whose steps were cut', () => {
    const { targets } = compact(sort, 'block', 800);
    const ids = targets.map((t) => t.id);
    // Every block that ran, the swap included, though most of its steps are cut.
    expect(ids).toEqual(['orderByPoints#1', 'orderByPoints#2', 'orderByPoints#3', 'orderByPoints#4', 'orderByPoints#5', 'orderByPoints#6', 'comesBefore#1', 'digitSum#1', 'digitSum#2', 'digitSum#3', 'digitSum#4']);
    expect(targets.map((t) => t.lines.start)).toEqual([...targets.map((t) => t.lines.start)].sort((a, b) => a - b));
    expect(targets.some((t) => t.shown === false)).toBe(true);
    expect(targets.find((t) => t.id === 'comesBefore#1')!.shown).toBe(true);
  });

  it('marks a write of an unchanged value, distinct from a change', async () => {
    const run = await traced('function area(w, h) {\n  let m = 0;\n  for (let y = 0; y < 2; y++) {\n    m += y * h + h;\n  }\n  return m;\n}', 'assert.strictEqual(area(3, 0), 0)');
    const { text } = compact(run);
    expect(text).toContain('m = 0 (same)');
    expect(text).toMatch(/ {2}m = 0\*/);
    expect(text).toContain('`x = v (same)` assigned its old value');
  });

  it("shows a branch block's own code: its test, and a body that shares the line shows only itself", async () => {
    const code = 'function f(n) {\n  let p = 0;\n  p += n;\n  if (p > 10) {\n    return p;\n  } else if (p < 0) { p = 0; }\n  return p;\n}';
    const run = await traced(code, 'assert.strictEqual(f(-3), 1)');
    const { text } = compact(run);
    expect(text).toContain('branch, lines 2-4 · test → false\n  | let p = 0;\n  | p += n;\n  | if (p > 10)\n');
    expect(text).toContain('branch, line 6 · test → true\n  | if (p < 0)\n');
    expect(text).toMatch(/block f#\d+, line 6\n {2}\| p = 0;\n/);
  });

  it("keeps a long branch block's test line when its code is cut", async () => {
    const setup = Array.from({ length: 9 }, (_, i) => `  s += ${i};`).join('\n');
    const run = await traced(`function f() {\n  let s = 0;\n${setup}\n  if (s > 100) {\n    return 1;\n  }\n  return s;\n}`, 'assert.strictEqual(f(), 1)');
    const { text } = compact(run);
    expect(text).toMatch(/\| … \(\d+ more lines of this block\)\n {2}\| if \(s > 100\)\n/);
  });

  it('names a callback by where it is passed', async () => {
    const run = await traced('function total(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}', 'assert.strictEqual(total([1, 2]), 4)');
    expect(compact(run).text).toMatch(/block anonymous#0 entry, line 2 \(depth 2, reduce callback\)/);
  });
});

describe('compactTrace: edge cases', () => {
  it('says so when no block ran', () => {
    const trace: Trace = {
      test: 'assert.strictEqual(1, 2)',
      outcome: { kind: 'fail', message: '1 !== 2', expected: '2', actual: '1' },
      events: [],
      totalEvents: 0,
      truncated: false,
      dropped: 0,
      droppedAt: 0,
      console: [],
    };
    const result = compactTrace({ trace, blocks: [], source: '', level: 'block', budgetTokens: 100 });
    expect(result.text).toBe('No block of the program ran during this test.\nEnd of run: the test failed: expected 2, got 1.');
    expect(result.targets).toEqual([]);
  });

  it('finds the identifiers a block reads, not property names, strings or comments', () => {
    expect([...identifiersIn("total += xs[i].value; // n\nlabel = 'count' + `${k}` /* m */")]).toEqual(['total', 'xs', 'i', 'label', 'k']);
    expect([...identifiersIn('f(...rest, this.v)')]).toEqual(['f', 'rest', 'this']);
  });
});
