import type { Outcome, Trace, TraceEvent } from '../../sandbox/trace.js';
import type { Layout } from './units.js';

// Relevance: which steps of a long run a model needs to see to find the bug. A budget that keeps
// steps by position loses the one comparison in the middle of a sort that put a pair in the wrong
// order; this scores every step by how the values in the wrong result flow through it.

/** A step scored this high is shown even when a loop summary would hide it. */
export const FOCUS_SCORE = 4;
/** Loop summaries: a line each, more telling than most single steps but less than a focus step. */
export const SUMMARY_SCORE = 2;
const NEIGHBOUR_SCORE = 2;
const FIRST_VISIT_SCORE = 1;

/** Why steps were kept, for the trace's header. */
export const RELEVANCE_NOTE =
  'Steps were kept by relevance: where a value of the wrong result first appears or is decided, the error, the steps around them, and the first run of each block.';

export interface Relevance {
  /** One score per unit; 0 for most. */
  scores: number[];
  /** Whether any step scored as a focus (then the header says how steps were chosen). */
  focused: boolean;
}

/** Scores each unit of a block- or line-level layout; at function level (one unit per call) every score is 0. */
export function scoreUnits(trace: Trace, layout: Layout): Relevance {
  const scores = layout.units.map(() => 0);
  if (layout.noun !== 'step' || layout.units.length !== trace.events.length) return { scores, focused: false };
  const events = trace.events;
  const focus = new Set<number>([...firstWrongValues(events, trace.outcome), ...decisions(events, trace.outcome), ...answerSetters(events)]);
  for (const i of focus) {
    scores[i] = Math.max(scores[i]!, FOCUS_SCORE);
    for (const j of [i - 1, i + 1, ...calleeReturns(events, i)]) if (j >= 0 && j < scores.length) scores[j] = Math.max(scores[j]!, NEIGHBOUR_SCORE);
  }
  const seen = new Set<string>();
  events.forEach((event, i) => {
    if (seen.has(event.block)) return;
    seen.add(event.block);
    scores[i] = Math.max(scores[i]!, FIRST_VISIT_SCORE);
  });
  return { scores, focused: focus.size > 0 };
}

/** The returns of the calls a step made just before it (`digitSum(a) < digitSum(b)`: both digitSum returns). */
function calleeReturns(events: TraceEvent[], at: number): number[] {
  const depth = events[at]!.depth;
  const found: number[] = [];
  for (let j = at - 1; j >= 0 && events[j]!.depth > depth; j--) {
    if (events[j]!.depth === depth + 1 && events[j]!.exit === 'return') found.push(j);
  }
  return found;
}

/** Numbers, quoted strings and literals in a rendered value, in order: `[ 2, -4, 'x' ]` → 2, -4, 'x'. */
export function atomsOf(rendered: string): string[] {
  return rendered.match(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|\b(?:true|false|null|undefined|NaN)\b|-?Infinity/g) ?? [];
}

/** Atoms of the actual result that the expected one lacks, and those that sit in the wrong place. */
function suspects(outcome: Outcome): { wrong: Set<string>; misplaced: Set<string> } {
  const none = { wrong: new Set<string>(), misplaced: new Set<string>() };
  if (outcome.kind !== 'fail' || outcome.expected === undefined || outcome.actual === undefined) return none;
  const expected = atomsOf(outcome.expected);
  const actual = atomsOf(outcome.actual);
  const left = new Map<string, number>();
  for (const atom of expected) left.set(atom, (left.get(atom) ?? 0) + 1);
  const wrong = new Set<string>();
  for (const atom of actual) {
    const n = left.get(atom) ?? 0;
    if (n > 0) left.set(atom, n - 1);
    else wrong.add(atom);
  }
  const misplaced = new Set<string>();
  if (wrong.size === 0 && actual.length === expected.length) actual.forEach((atom, k) => atom !== expected[k] && misplaced.add(atom));
  return { wrong, misplaced };
}

/** The values a step produced: its changed variables and what it returned or threw. */
function producedValues(event: TraceEvent): string[] {
  const values = event.changed.map((name) => event.vars[name]).filter((v): v is string => v !== undefined);
  for (const name of event.written ?? []) if (event.vars[name] !== undefined) values.push(event.vars[name]!);
  if (event.value !== undefined) values.push(event.value);
  return values;
}

/** The first step to produce each atom of the result that should not be there. */
function firstWrongValues(events: TraceEvent[], outcome: Outcome): number[] {
  const { wrong } = suspects(outcome);
  const found: number[] = [];
  const pending = new Set(wrong);
  for (let i = 0; i < events.length && pending.size > 0; i++) {
    const atoms = new Set(producedValues(events[i]!).flatMap(atomsOf));
    let hit = false;
    for (const atom of pending) {
      if (!atoms.has(atom)) continue;
      pending.delete(atom);
      hit = true;
    }
    if (hit) found.push(i);
  }
  return found;
}

/**
 * Decisions about values that end up in the wrong place: a step that tests or returns while two of
 * them sit in plain variables (a comparator's `a` and `b`). The first few such steps per pair.
 */
function decisions(events: TraceEvent[], outcome: Outcome): number[] {
  const { misplaced } = suspects(outcome);
  if (misplaced.size < 2) return [];
  const seenPairs = new Map<string, number>();
  const found: number[] = [];
  events.forEach((event, i) => {
    if (event.test === undefined && event.exit !== 'return') return;
    const scalars = Object.values(event.vars).filter((v) => misplaced.has(v));
    if (new Set(scalars).size < 2) return;
    const pair = [...new Set(scalars)].sort().join('|');
    const times = seenPairs.get(pair) ?? 0;
    seenPairs.set(pair, times + 1);
    if (times < 2) found.push(i);
  });
  return found;
}

/** The step where the tested call's returned variable took its final value (the answer was set there). */
function answerSetters(events: TraceEvent[]): number[] {
  let last = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.depth === 1 && event.exit === 'return') {
      last = i;
      break;
    }
  }
  if (last < 0) return [];
  const returned = events[last]!;
  const names = Object.keys(returned.vars).filter((n) => returned.vars[n] === returned.value);
  if (names.length === 0) return [];
  for (let i = last; i >= 0; i--) {
    const event = events[i]!;
    if (event.depth !== 1) continue;
    if (names.some((n) => event.changed.includes(n) || event.written?.includes(n))) return i === last ? [] : [i];
  }
  return [];
}
