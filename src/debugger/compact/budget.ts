import type { Item } from './outline.js';
import { headerLines, itemLines, render } from './render.js';
import { RELEVANCE_NOTE, SUMMARY_SCORE } from './relevance.js';
import type { Layout } from './units.js';

// Budget: drop the least relevant items first; among equals, by position, never the last steps before the failure.

/** The steps nearest the failure are dropped last; the first few (arguments, set-up) next to last. */
const TAIL_ITEMS = 3;
const HEAD_ITEMS = 2;

/**
 * Item indices in the order they are given up: the least relevant first (`scores`, one per unit;
 * see relevance.ts), and among equals by position: steps in the middle (earliest first), then the
 * first steps (latest first, so the arguments go last), then the last steps before the failure,
 * then loop summaries (a line each, and "no variable changed" in a million iterations says more
 * than a step). The very last step and the step that threw are never given up.
 */
export function dropOrder(items: Item[], layout: Layout, scores: number[] = []): number[] {
  const positional = positionalOrder(items, layout);
  if (scores.length === 0) return positional;
  const score = (i: number): number => {
    const item = items[i]!;
    return item.kind === 'unit' ? (scores[item.unit] ?? 0) : SUMMARY_SCORE;
  };
  const rank = new Map(positional.map((item, k) => [item, k]));
  return [...positional].sort((a, b) => score(a) - score(b) || rank.get(a)! - rank.get(b)!);
}

function positionalOrder(items: Item[], layout: Layout): number[] {
  const candidates = items.flatMap((item, i) => (item.kind === 'unrecorded' ? [] : [i]));
  const last = candidates[candidates.length - 1];
  const tailStart = candidates[Math.max(0, candidates.length - TAIL_ITEMS)] ?? 0;
  const pinned = (i: number): boolean => {
    const item = items[i]!;
    return i === last || (item.kind === 'unit' && layout.units[item.unit]!.pinned);
  };
  const free = candidates.filter((i) => !pinned(i));
  const steps = free.filter((i) => i < tailStart && items[i]!.kind === 'unit');
  const head = steps.slice(0, HEAD_ITEMS);
  const middle = steps.slice(head.length);
  const summaries = free.filter((i) => i < tailStart && items[i]!.kind === 'repeat');
  const tail = free.filter((i) => i >= tailStart);
  return [...middle, ...head.reverse(), ...tail, ...summaries];
}

/** The items to drop, in `order`, until the text fits `budget` tokens (or nothing more may go). */
export function fitBudget(
  items: Item[],
  order: number[],
  layout: Layout,
  budget: number,
  count: (text: string) => number,
  byRelevance = false,
): Set<number> {
  return fitAndRender(items, order, layout, budget, count, byRelevance).dropped;
}

/** A trace text that fits its budget: the items left out, the text, its notes and its token count. */
export interface FittedText {
  dropped: Set<number>;
  text: string;
  omitted: string[];
  tokens: number;
}

/** fitBudget, and the text it last measured (rendering and counting the final text again would cost as much as the search). */
export function fitAndRender(
  items: Item[],
  order: number[],
  layout: Layout,
  budget: number,
  count: (text: string) => number,
  byRelevance = false,
): FittedText {
  const cost = items.map((item) => count(itemLines(item, layout).join('\n')) + 1);
  const markerCost = count(`… steps 1000-2000 omitted to fit the length limit (1000 steps)`) + 1;
  const note = byRelevance ? [RELEVANCE_NOTE] : [];
  const fixed = count([...headerLines(layout, { shown: 100, repeated: 1000, cut: 1000 }), ...note, '', '', layout.end].join('\n'));
  const estimate = new Estimate(cost, markerCost, fixed);
  // The summary nearest the failure describes the loop that was running when it happened: it stays.
  const keep = items.map((item) => item.kind).lastIndexOf('repeat');
  const drop = (i: number): void => {
    estimate.drop(i);
    if (i - 1 !== keep) absorbBetween(items, estimate, i - 1);
    if (i + 1 !== keep) absorbBetween(items, estimate, i + 1);
  };
  let next = 0;
  while (next < order.length && estimate.total > budget) drop(order[next++]!);
  // The estimate adds up pieces; tokens at the joins and the header's counts can tip it over.
  for (;;) {
    const rendered = render(items, estimate.dropped, layout, byRelevance);
    const tokens = count(rendered.text);
    if (next >= order.length || tokens <= budget) return { dropped: estimate.dropped, ...rendered, tokens };
    drop(order[next++]!);
  }
}

/**
 * The text's tokens as the sum of its pieces, kept up to date as items are dropped: a kept item
 * costs its own count, a stretch of dropped ones one marker line. (Summing afresh after every drop
 * made fitting a long trace quadratic.)
 */
class Estimate {
  readonly dropped = new Set<number>();
  total: number;

  constructor(
    private readonly cost: number[],
    private readonly markerCost: number,
    fixed: number,
  ) {
    this.total = fixed + cost.reduce((sum, c) => sum + c, 0);
  }

  drop(i: number): void {
    if (this.dropped.has(i)) return;
    // Dropping item i changes what item i costs and whether item i + 1 starts a stretch of dropped ones.
    this.total -= this.share(i) + this.share(i + 1);
    this.dropped.add(i);
    this.total += this.share(i) + this.share(i + 1);
  }

  private share(i: number): number {
    if (i >= this.cost.length) return 0;
    if (!this.dropped.has(i)) return this.cost[i]!;
    return this.dropped.has(i - 1) ? 0 : this.markerCost;
  }
}

/**
 * A loop summary or tracer gap with dropped steps on both sides joins them: one marker line for
 * the whole stretch reads better (and costs less) than three, and a stretch of alternating
 * summaries and markers is mostly noise.
 */
function absorbBetween(items: Item[], estimate: Estimate, i: number): void {
  const item = items[i];
  const { dropped } = estimate;
  if (!item || item.kind === 'unit' || dropped.has(i)) return;
  if (dropped.has(i - 1) && dropped.has(i + 1)) estimate.drop(i);
}
