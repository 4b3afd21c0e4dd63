import type { RenderCaps } from './guest/render.js';

/** How far a run may go. Defaults suit HumanEval-size programs; all can be overridden per call. */
export interface Limits {
  /** Wall-clock time for one test case (program load + the assertion), in milliseconds. */
  timeMs: number;
  /** Heap limit of the isolate, in MB (isolated-vm's minimum is 8). */
  memoryMb: number;
  /** Block visits kept per trace: the first ~20% and the last ~80%; the middle is counted, not kept. */
  maxEvents: number;
  /** Caps on how much of each value is rendered. */
  render: RenderLimits;
  /** Console output kept per case. */
  maxConsoleLines: number;
  /** Seed of the sandbox's Math.random: runs repeat exactly. */
  seed: number;
}

/** The one render-caps type: the guest renderer's own (a type-only import; nothing of the guest runs here). */
export type RenderLimits = RenderCaps;

export const DEFAULT_LIMITS: Limits = {
  timeMs: 3000,
  memoryMb: 128,
  maxEvents: 1000,
  render: { depth: 2, items: 10, stringLength: 80 },
  maxConsoleLines: 200,
  seed: 20240214,
};

export type LimitsInput = Partial<Omit<Limits, 'render'>> & { render?: Partial<RenderLimits> };

export function resolveLimits(input: LimitsInput = {}): Limits {
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    ...definedOnly(input),
    render: { ...DEFAULT_LIMITS.render, ...definedOnly(input.render ?? {}) },
  };
  check(limits.timeMs >= 1, 'timeMs must be at least 1');
  check(limits.memoryMb >= 8, 'memoryMb must be at least 8 (isolated-vm minimum)');
  check(limits.maxEvents >= 2, 'maxEvents must be at least 2');
  return limits;
}

export function headAndTail(maxEvents: number): { headEvents: number; tailEvents: number } {
  const headEvents = Math.max(1, Math.floor(maxEvents / 5));
  return { headEvents, tailEvents: Math.max(1, maxEvents - headEvents) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`invalid limits: ${message}`);
}
