import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { traceTest } from '../../src/api.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { findStep, type SearchableStep } from '../../src/sandbox/search-steps.js';

const longCode = readFileSync(new URL('../../fixtures/long/mean-long.js', import.meta.url), 'utf8');
const longTest = 'assert.strictEqual(mean(600000), 299999.5);';
const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

describe('traceTest window: stepping into the dropped middle of a long run', () => {
  it('re-runs the case and records exactly the asked steps, with the values they had', async () => {
    const full = await traceTest({ code: longCode, test: longTest, sandbox });
    expect(full.truncated).toBe(true);
    expect(full.totalEvents).toBeGreaterThan(1_000_000);
    const from = 700_001;
    const window = await traceTest({ code: longCode, test: longTest, sandbox, window: { from, count: 6, expectTotal: full.totalEvents } });
    expect(window.window).toEqual({ from });
    expect(window.totalEvents).toBe(full.totalEvents);
    expect(window.events).toHaveLength(6);
    // Steps alternate loop head (mean#2) and body (mean#3); after the body, total = 0 + 1 + ... + i.
    for (const event of window.events) {
      const i = Number(event.vars.i);
      const total = Number(event.vars.total);
      expect(i).toBeGreaterThan(300_000);
      expect([(i * (i - 1)) / 2, (i * (i + 1)) / 2]).toContain(total);
    }
    expect(new Set(window.events.map((e) => e.block))).toEqual(new Set(['mean#2', 'mean#3']));
  });

  it('fails loudly when the re-run does not repeat the traced run', async () => {
    await expect(
      traceTest({ code: longCode, test: longTest, sandbox, window: { from: 10, count: 2, expectTotal: 5 } }),
    ).rejects.toThrow(/did not repeat the traced run/);
  });
});

describe('findStep: searching recorded steps by value, in the sandbox', () => {
  const steps: SearchableStep[] = [
    { step: 0, vars: { total: '0', s: "'a'" } },
    { step: 1, vars: { total: '4', s: "''" } },
    { step: 2, vars: { total: '11', x: 'NaN', xs: '[ 1, 2, 3 ]' } },
    { step: 3, vars: { total: '12', x: '1' } },
  ];

  it('finds the first step whose values make the expression true', async () => {
    expect(await findStep({ expression: 'total > 10', steps, sandbox })).toBe(2);
    expect(await findStep({ expression: "s === ''", steps, sandbox })).toBe(1);
    expect(await findStep({ expression: 'Number.isNaN(x)', steps, sandbox })).toBe(2);
    expect(await findStep({ expression: 'xs.length === 3 && xs[2] === 3', steps, sandbox })).toBe(2);
    expect(await findStep({ expression: 'total > 10', steps: [...steps].reverse(), sandbox })).toBe(3);
    expect(await findStep({ expression: 'total > 100', steps, sandbox })).toBeUndefined();
  });

  it('evaluates inside the isolate, not in ldb', async () => {
    expect(await findStep({ expression: "typeof process === 'undefined' && typeof globalThis.fetch === 'undefined'", steps, sandbox })).toBe(0);
  });

  it('says when the expression is not JavaScript', async () => {
    await expect(findStep({ expression: 'total >', steps, sandbox })).rejects.toThrow(/not a JavaScript expression/);
  });
});
