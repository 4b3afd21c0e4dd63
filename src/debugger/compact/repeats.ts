import type { Layout } from './units.js';

// Repeats: the same path through a loop (or the same chain of calls), found as a repeating key sequence.

/** A loop must repeat this often before its middle is summarised (a summary of one iteration saves nothing). */
const MIN_REPEATS = 4;
/** Longest loop body, in steps, that repeat detection looks for. */
const MAX_PERIOD = 48;

/** Units start..end-1 repeat the same `period` keys. */
export interface Run {
  start: number;
  period: number;
  /** Index after the run's last unit. */
  end: number;
  /** Repetitions, counting those in the tracer's gap. */
  reps: number;
  /** Steps of the run that fell in the tracer's gap (a run bridged across it). */
  unrecorded: number;
}

/** The runs in unit order, none overlapping; a loop running on both sides of the tracer's gap is one run. */
export function findRuns(layout: Layout): Run[] {
  const keys = layout.units.map((u) => u.key);
  const gapAt = layout.gap?.at ?? keys.length;
  const before = scanRuns(keys, 0, gapAt);
  const bridged = bridgeGap(before[before.length - 1], keys, layout);
  if (!bridged) return [...before, ...scanRuns(keys, gapAt, keys.length)];
  return [...before.slice(0, -1), bridged, ...scanRuns(keys, bridged.end, keys.length)];
}

function scanRuns(keys: string[], from: number, to: number): Run[] {
  const runs: Run[] = [];
  let i = from;
  while (i < to) {
    const run = bestRunAt(keys, i, to);
    if (run) {
      runs.push(run);
      i = run.end;
    } else {
      i++;
    }
  }
  return runs;
}

/** The period that covers the most units from `start` on; the shortest one wins ties. */
function bestRunAt(keys: string[], start: number, end: number): Run | undefined {
  let best: Run | undefined;
  for (let period = 1; period <= MAX_PERIOD && start + period * MIN_REPEATS <= end; period++) {
    let reps = 1;
    while (start + (reps + 1) * period <= end && sameKeys(keys, start, start + reps * period, period)) reps++;
    if (reps >= MIN_REPEATS && (!best || reps * period > best.reps * best.period)) {
      best = { start, period, end: start + reps * period, reps, unrecorded: 0 };
    }
  }
  return best;
}

function sameKeys(keys: string[], a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (keys[a + k] !== keys[b + k]) return false;
  return true;
}

/**
 * A loop still running when the tracer's gap starts and again when it ends is one loop: its
 * unrecorded steps are counted in, whatever phase of the loop body the recording resumes at.
 */
function bridgeGap(run: Run | undefined, keys: string[], layout: Layout): Run | undefined {
  const gap = layout.gap;
  if (!run || !gap || layout.noun !== 'step') return undefined;
  const patternAt = (offset: number): string | undefined => keys[run.start + (offset % run.period)];
  for (let u = run.end; u < gap.at; u++) if (keys[u] !== patternAt(u - run.start)) return undefined;
  const resumeOffset = gap.at - run.start + gap.steps;
  let matched = 0;
  while (gap.at + matched < keys.length && keys[gap.at + matched] === patternAt(resumeOffset + matched)) matched++;
  const reps = Math.floor((resumeOffset + matched) / run.period);
  const recordedAfter = reps * run.period - resumeOffset;
  // The last repetition is shown whole, so it must lie after the gap.
  if (recordedAfter < run.period) return undefined;
  return { start: run.start, period: run.period, end: gap.at + recordedAfter, reps, unrecorded: gap.steps };
}
