import { describe, expect, it } from 'vitest';
import { dropOrder, fitBudget } from '../../src/debugger/compact/budget.js';
import type { Item } from '../../src/debugger/compact/outline.js';
import { render } from '../../src/debugger/compact/render.js';
import type { Layout, Unit } from '../../src/debugger/compact/units.js';

function unit(number: number, pinned = false): Unit {
  return {
    number,
    key: `f#1|0`,
    depth: 1,
    vars: { i: String(number) },
    lines: [`#${number} f#1  line 3`, `    i = ${number}  ·  total = ${number * 10}`],
    targets: [],
    fallbackTargets: [],
    loop: false,
    pinned,
  };
}

function layout(units: Unit[]): Layout {
  return { level: 'block', noun: 'step', units, totalSteps: units.length, legend: 'legend', end: 'The run ended: failed' };
}

const summary = (from: number, to: number): Item => ({
  kind: 'repeat',
  from,
  to,
  count: to - from + 1,
  unrecorded: 0,
  lines: [`… steps ${from + 1}-${to + 1} omitted: iterations`],
  note: 'iterations',
});

describe('dropOrder', () => {
  const units = Array.from({ length: 12 }, (_, i) => unit(i + 1, i === 5));
  const items: Item[] = [...units.slice(0, 8).map((_, i): Item => ({ kind: 'unit', unit: i })), summary(8, 9), { kind: 'unit', unit: 10 }, { kind: 'unit', unit: 11 }];

  it('gives up the middle first, then the first steps (arguments last), then the tail, then summaries', () => {
    const order = dropOrder(items, layout(units));
    // items 0-7 units (5 pinned), 8 the summary, 9-10 the last units; the tail is the last 3 candidates
    expect(order).toEqual([2, 3, 4, 6, 7, 1, 0, 8, 9]);
  });

  it('never gives up the last step or a pinned one', () => {
    const order = dropOrder(items, layout(units));
    expect(order).not.toContain(10);
    expect(order).not.toContain(5);
  });
});

describe('fitBudget', () => {
  const units = Array.from({ length: 30 }, (_, i) => unit(i + 1));
  const items: Item[] = units.map((_, i) => ({ kind: 'unit', unit: i }));
  const chars = (text: string) => text.length;

  it('drops nothing when everything fits', () => {
    const l = layout(units);
    expect(fitBudget(items, dropOrder(items, l), l, 1_000_000, chars).size).toBe(0);
  });

  it('drops in order until the rendered text fits, keeping the last step', () => {
    const l = layout(units);
    const full = render(items, new Set(), l).text.length;
    const budget = Math.floor(full / 2);
    const dropped = fitBudget(items, dropOrder(items, l), l, budget, chars);
    expect(dropped.size).toBeGreaterThan(0);
    expect(render(items, dropped, l).text.length).toBeLessThanOrEqual(budget);
    expect(dropped.has(items.length - 1)).toBe(false);
    expect(render(items, dropped, l).text).toContain('omitted to fit the length limit');
  });

  it('stops when nothing more may go, even over budget', () => {
    const l = layout(units);
    const dropped = fitBudget(items, dropOrder(items, l), l, 1, chars);
    expect(dropped.has(items.length - 1)).toBe(false);
    expect(dropped.size).toBe(items.length - 1);
  });
});
