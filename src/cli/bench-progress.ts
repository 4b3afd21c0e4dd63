import type { ResultRecord } from '../bench/record.js';
import type { BenchEvent } from '../bench/runner.js';
import { escapeLine } from '../bench/escape.js';

/** What the progress displays show, folded from the runner's events. */
export interface ProgressState {
  total: number;
  /** Finished before this run started (--resume). */
  skipped: number;
  done: number;
  solved: number;
  seedSolved: number;
  tokens: number;
  costUsd: number | null;
  inFlight: string[];
  startedAt: number;
  /** Problems finished in this run, for the ETA. */
  finishedHere: number;
}

export function initialProgress(): ProgressState {
  return { total: 0, skipped: 0, done: 0, solved: 0, seedSolved: 0, tokens: 0, costUsd: 0, inFlight: [], startedAt: Date.now(), finishedHere: 0 };
}

export function foldProgress(state: ProgressState, event: BenchEvent): ProgressState {
  switch (event.type) {
    case 'start': {
      const next = { ...state, total: event.total, skipped: event.skipped, startedAt: Date.now() };
      return event.previous.reduce(addRecord, next);
    }
    case 'problem-start':
      return { ...state, inFlight: [...state.inFlight, event.taskId] };
    case 'problem-dropped':
      return { ...state, inFlight: state.inFlight.filter((id) => id !== event.taskId) };
    case 'problem-done': {
      const next = addRecord({ ...state, inFlight: state.inFlight.filter((id) => id !== event.record.task_id) }, event.record);
      return { ...next, finishedHere: next.finishedHere + 1 };
    }
  }
}

function addRecord(state: ProgressState, record: ResultRecord): ProgressState {
  const cost = record.usage.cost_usd;
  return {
    ...state,
    done: state.done + 1,
    solved: state.solved + (record.solved ? 1 : 0),
    seedSolved: state.seedSolved + (record.seed_solved ? 1 : 0),
    tokens: state.tokens + record.usage.prompt_tokens + record.usage.completion_tokens,
    costUsd: state.costUsd === null || cost === null ? null : state.costUsd + cost,
  };
}

/** Seconds left at this run's pace, or undefined before the first problem finishes. */
export function etaSeconds(state: ProgressState, now = Date.now()): number | undefined {
  if (state.finishedHere === 0) return undefined;
  const perProblem = (now - state.startedAt) / state.finishedHere;
  return Math.round((perProblem * Math.max(0, state.total - state.done)) / 1000);
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '--';
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/** The line printed per finished problem when stdout is not a terminal (CI logs, pipes). */
export function plainProblemLine(state: ProgressState, record: ResultRecord): string {
  const width = String(state.total).length;
  const mark = record.solved ? '✓' : '✗';
  const turns = Math.max(0, record.iterations.length - 1);
  const tokens = record.usage.prompt_tokens + record.usage.completion_tokens;
  const error = record.error ? `  (${escapeLine(record.error).slice(0, 120)})` : '';
  return (
    `[${String(state.done).padStart(width)}/${state.total}] ${mark} ${escapeLine(record.task_id)}  ` +
    `seed ${record.seed_solved ? '✓' : '✗'} → ${record.solved ? '✓' : '✗'}  ${record.stop_reason}, ${turns} turn(s), ` +
    `${tokens} tokens, ${(record.wall_ms / 1000).toFixed(1)} s  | solved ${state.solved}/${state.done}${error}\n`
  );
}

/** A display of the run's progress: plain lines, or the live Ink view on a terminal. */
export interface ProgressDisplay {
  onEvent(event: BenchEvent): void;
  /** Stops the display (the live view leaves its last frame on screen). */
  close(): Promise<void>;
}

export function plainProgress(write: (text: string) => void, describeStart: (state: ProgressState) => string): ProgressDisplay {
  let state = initialProgress();
  return {
    onEvent(event) {
      state = foldProgress(state, event);
      if (event.type === 'start') write(describeStart(state));
      if (event.type === 'problem-done') write(plainProblemLine(state, event.record));
    },
    close: async () => undefined,
  };
}
