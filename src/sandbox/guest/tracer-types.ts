// The data contract between the in-sandbox tracer and the host: its settings and what it sends back.
// Types only: nothing here is turned into guest code.
import type { RenderCaps } from './render.js';

export interface TracerConfig {
  /** Variable names per block index, as the instrumenter ordered them. */
  vars: string[][];
  /** Rendering caps for variable values. */
  caps: RenderCaps;
  /** How many first events to keep, and how many last ones. */
  headEvents: number;
  tailEvents: number;
  /**
   * Second pass of a long run: the number of the first tail event, known from the first pass.
   * Events between the head and it are only counted; from it on they are rendered. -1 on a
   * first pass, which only counts past the head until `ringAfterMs` have passed (the run may
   * be about to time out), then keeps a ring of raw values, rendered only when collected.
   */
  tailFrom: number;
  /**
   * A window re-run (stepping into the dropped middle of a long run): with tailFrom >= 0, only
   * events before this number are rendered, so the tail holds exactly [tailFrom, tailUntil).
   * Absent or -1: render up to the end, as a second pass does.
   */
  tailUntil?: number;
  ringAfterMs: number;
}

export interface WireEvent {
  /** Block index. */
  b: number;
  /** Call depth (0 for top-level code). */
  d: number;
  /** Rendered values aligned with config.vars[b]; null where the variable could not be read (TDZ). */
  v: (string | null)[];
  /** Indices into v of the values that changed since the previous event of the same call. */
  c: number[];
  /** How the block was left when not by falling through: return, throw, interrupted (an exception passed through). */
  x?: 'return' | 'throw' | 'interrupted';
  /** Rendered return value or thrown value. */
  r?: string;
  /** The truthiness of a branch or loop test that ended the block. */
  t?: boolean;
}

export interface WireTrace {
  head: WireEvent[];
  tail: WireEvent[];
  total: number;
  /** True when the tail was rendered after the fact (objects may show later states). */
  lateTail: boolean;
  /** Number of the first event of the test case itself; the ones before it loaded the program. -1: the case never started. */
  caseFrom: number;
}

export interface Frame {
  dep: number;
  b: number;
  r: ((k: number) => unknown) | null;
  /** Last rendered text, and last raw value, of each variable in this call: for `changed`. */
  last: Record<string, string>;
  lastRaw: Record<string, unknown>;
}

export interface Tracer {
  top(): Frame;
  enter(index: number, reader: ((k: number) => unknown) | null): Frame;
  s(frame: Frame, index: number, reader: ((k: number) => unknown) | null): void;
  e(frame: Frame): void;
  t<T>(value: T, frame: Frame): T;
  r<T>(frame: Frame, value: T): T;
  x<T>(frame: Frame, value: T): T;
  leave(frame: Frame): void;
  sus<T>(frame: Frame, value: T): T;
  res<T>(frame: Frame, value: T): T;
  /** Host side: records what the top-level frame was doing when it stopped. */
  finishTop(): void;
  /** Host side: the program has loaded; the events from now on are the test case's. */
  caseStarts(): void;
  /** Host side: the retained events as JSON. */
  collect(): string;
}
