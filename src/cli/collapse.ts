import type { TraceEvent } from '../sandbox/trace.js';

// The terminal view's answer to a long loop: like the model's view (src/debugger/compact), a
// path through a loop repeated at least MIN_REPEATS times shows its first and last repetition
// whole and one line for the repetitions between.

const MIN_REPEATS = 4;
/** Longest loop body, in steps, that is looked for. */
const MAX_PERIOD = 48;

/** One entry of the printed trace: a kept step (by index in trace.events) or a collapsed stretch. */
export type TraceItem =
  | { kind: 'step'; index: number }
  | { kind: 'repeat'; from: number; to: number; reps: number; period: number; path: string[] };

/**
 * The steps of `events` in order, with repeated loop iterations collapsed. The tracer's gap (at
 * `gapAt`) is a boundary: a repeat never spans it, so step numbers stay exact on both sides.
 */
export function collapseRepeats(events: readonly TraceEvent[], gapAt: number): TraceItem[] {
  const keys = events.map((event, i) => `${event.block}|${event.depth - (events[i - 1]?.depth ?? event.depth)}`);
  const items: TraceItem[] = [];
  for (const [from, to] of [
    [0, Math.min(gapAt, events.length)],
    [Math.min(gapAt, events.length), events.length],
  ] as const) {
    let i = from;
    while (i < to) {
      const run = longestRunAt(keys, i, to);
      if (!run) {
        items.push({ kind: 'step', index: i++ });
        continue;
      }
      const { period, reps } = run;
      for (let k = 0; k < period; k++) items.push({ kind: 'step', index: i + k });
      const path = events.slice(i, i + period).map((e) => e.block);
      items.push({ kind: 'repeat', from: i + period, to: i + (reps - 1) * period - 1, reps, period, path });
      for (let k = (reps - 1) * period; k < reps * period; k++) items.push({ kind: 'step', index: i + k });
      i += reps * period;
    }
  }
  return items;
}

/** The period that covers the most steps from `start` on (the shortest one on ties). */
function longestRunAt(keys: readonly string[], start: number, end: number): { period: number; reps: number } | undefined {
  let best: { period: number; reps: number } | undefined;
  for (let period = 1; period <= MAX_PERIOD && start + period * MIN_REPEATS <= end; period++) {
    let reps = 1;
    while (start + (reps + 1) * period <= end && samePeriod(keys, start, start + reps * period, period)) reps++;
    if (reps >= MIN_REPEATS && (!best || reps * period > best.reps * best.period)) best = { period, reps };
  }
  return best;
}

function samePeriod(keys: readonly string[], a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (keys[a + k] !== keys[b + k]) return false;
  return true;
}
