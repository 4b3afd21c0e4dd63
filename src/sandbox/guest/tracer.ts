/**
 * The in-sandbox half of tracing: the functions the probes call. Like every file in guest/, the
 * factory is self-contained (it is turned into text and evaluated inside the isolate before any
 * user code), so it captures the few intrinsics it uses up front and touches nothing shared.
 */

import type { Frame, Tracer, TracerConfig, WireEvent, WireTrace } from './tracer-types.js';

export type { Frame, Tracer, TracerConfig, WireEvent, WireTrace } from './tracer-types.js';

/** A tail event of a first pass: values kept as they are and rendered only when collected. */
interface RawEvent {
  b: number;
  d: number;
  v: unknown[];
  c: number[];
  x?: WireEvent['x'];
  r?: unknown;
  hasR: boolean;
  t?: boolean;
}

export function createTracer(
  config: TracerConfig,
  render: (value: unknown, caps: TracerConfig['caps']) => string,
  checkpoint: (json: string) => void,
): Tracer {
  const stringify = JSON.stringify;
  const create = Object.create;
  const setPrototypeOf = Object.setPrototypeOf;
  /**
   * Every array and object the tracer builds has no prototype: index writes cannot reach
   * accessors user code defines on Array.prototype, and JSON.stringify finds no `toJSON` user
   * code put on Object.prototype (it would falsify the trace the host reads).
   */
  const newList = <T>(): T[] => setPrototypeOf([], null) as T[];
  const newRecord = <T>(): T => create(null) as T;
  // Records made per event or call: instances of classes whose prototype has no prototype
  // (as safe as Object.create(null), and far cheaper to make).
  class EventRecord {
    b: number;
    d: number;
    v: (string | null)[];
    c: number[];
    constructor(b: number, d: number, v: (string | null)[], c: number[]) {
      this.b = b;
      this.d = d;
      this.v = v;
      this.c = c;
    }
  }
  class RawRecord {
    b: number;
    d: number;
    v: unknown[];
    c: number[];
    hasR: boolean;
    constructor(b: number, d: number, v: unknown[], c: number[]) {
      this.b = b;
      this.d = d;
      this.v = v;
      this.c = c;
      this.hasR = false;
    }
  }
  class FrameRecord {
    dep: number;
    b: number;
    r: Frame['r'];
    last: Record<string, string>;
    lastRaw: Record<string, unknown>;
    constructor(dep: number) {
      this.dep = dep;
      this.b = -1;
      this.r = null;
      // Made when first needed: most calls of a long run are only counted.
      this.last = null as unknown as Record<string, string>;
      this.lastRaw = null as unknown as Record<string, unknown>;
    }
  }
  setPrototypeOf(EventRecord.prototype, null);
  setPrototypeOf(RawRecord.prototype, null);
  setPrototypeOf(FrameRecord.prototype, null);
  const vars = newList<string[]>();
  for (let b = 0; b < config.vars.length; b++) {
    const names = newList<string>();
    const source = config.vars[b] || [];
    for (let k = 0; k < source.length; k++) names[k] = source[k] as string;
    vars[b] = names;
  }
  const NO_NAMES = newList<string>();
  const caps = newRecord<TracerConfig['caps']>();
  caps.depth = config.caps.depth;
  caps.items = config.caps.items;
  caps.stringLength = config.caps.stringLength;
  const headMax = config.headEvents;
  const tailMax = config.tailEvents;
  const tailFrom = config.tailFrom;
  const tailUntil = typeof config.tailUntil === 'number' && config.tailUntil >= 0 ? config.tailUntil : -1;
  const checkpointEvery = tailMax * 16 > 20000 ? tailMax * 16 : 20000;
  const UNREAD = {};
  const now = Date.now;
  const startedAt = now();
  const ringAfterMs = config.ringAfterMs;
  let ringOn = ringAfterMs <= 0;
  const head = newList<WireEvent>();
  const tail = newList<WireEvent>();
  let tailNext = 0;
  const ring = newList<RawEvent>();
  let ringNext = 0;
  let total = 0;
  let caseFrom = -1;
  let depth = 0;
  let topFrame: Frame | null = null;

  function newFrame(dep: number): Frame {
    return new FrameRecord(dep);
  }

  function wireEvent(b: number, d: number, v: (string | null)[], c: number[]): WireEvent {
    return new EventRecord(b, d, v, c) as WireEvent;
  }

  function trace(headEvents: WireEvent[], tailEvents: WireEvent[], lateTail: boolean): WireTrace {
    const result = newRecord<WireTrace>();
    result.head = headEvents;
    result.tail = tailEvents;
    result.total = total;
    result.lateTail = lateTail;
    result.caseFrom = caseFrom;
    return result;
  }

  function renderRaw(event: RawEvent): WireEvent {
    const values = newList<string | null>();
    for (let k = 0; k < event.v.length; k++) values[k] = event.v[k] === UNREAD ? null : render(event.v[k], caps);
    const wire = wireEvent(event.b, event.d, values, event.c);
    if (event.x !== undefined) wire.x = event.x;
    if (event.hasR) wire.r = render(event.r, caps);
    if (event.t !== undefined) wire.t = event.t;
    return wire;
  }

  function retained(): WireTrace {
    if (tailFrom >= 0) {
      const ordered = newList<WireEvent>();
      const from = tail.length < tailMax ? 0 : tailNext;
      for (let i = 0; i < tail.length; i++) ordered[i] = tail[(from + i) % tail.length]!;
      return trace(head, ordered, false);
    }
    const late = newList<WireEvent>();
    const start = ring.length < tailMax ? 0 : ringNext;
    for (let i = 0; i < ring.length; i++) late[i] = renderRaw(ring[(start + i) % ring.length]!);
    return trace(head, late, true);
  }

  function read(reader: Frame['r'], k: number): unknown {
    if (reader === null) return UNREAD;
    try {
      return reader(k);
    } catch {
      return UNREAD; // still in its temporal dead zone
    }
  }

  /** Reads and renders the block's variables; everything is computed before anything is stored. */
  function rendered(frame: Frame, index: number, reader: Frame['r'], names: string[]): WireEvent {
    const values = newList<string | null>();
    const changed = newList<number>();
    const last = frame.last === null ? (frame.last = create(null) as Record<string, string>) : frame.last;
    for (let k = 0; k < names.length; k++) {
      const value = read(reader, k);
      const text = value === UNREAD ? null : render(value, caps);
      values[k] = text;
      const name = names[k]!;
      if (text !== null && last[name] !== text) {
        changed[changed.length] = k;
        last[name] = text;
      }
    }
    return wireEvent(index, frame.dep, values, changed);
  }

  /** The cheap form: raw values, `changed` by identity. */
  function raw(frame: Frame, index: number, reader: Frame['r'], names: string[]): RawEvent {
    const values = newList<unknown>();
    const changed = newList<number>();
    const last = frame.lastRaw === null ? (frame.lastRaw = create(null) as Record<string, unknown>) : frame.lastRaw;
    for (let k = 0; k < names.length; k++) {
      const value = read(reader, k);
      values[k] = value;
      const name = names[k]!;
      if (value !== UNREAD && (!(name in last) || last[name] !== value)) {
        changed[changed.length] = k;
        last[name] = value;
      }
    }
    return new RawRecord(index, frame.dep, values, changed) as RawEvent;
  }

  function record(
    frame: Frame,
    index: number,
    reader: Frame['r'],
    exit?: WireEvent['x'],
    value?: unknown,
    hasValue?: boolean,
    test?: boolean,
  ): void {
    const names = vars[index] || NO_NAMES;
    // Top-level blocks that only declare functions say nothing about the run.
    if (frame.dep === 0 && names.length === 0 && exit === undefined) return;
    const n = total;
    if (n < headMax || (tailFrom >= 0 && n >= tailFrom && (tailUntil < 0 || n < tailUntil))) {
      const event = rendered(frame, index, reader, names);
      if (exit !== undefined) event.x = exit;
      if (hasValue) event.r = render(value, caps);
      if (test !== undefined) event.t = test;
      if (n < headMax) {
        head[head.length] = event;
      } else {
        // A ring here too: a second pass may run longer than the first (stack overflows differ).
        tail[tailNext] = event;
        tailNext = (tailNext + 1) % tailMax;
      }
    } else if (tailFrom < 0 && !ringOn && (n & 1023) === 0 && now() - startedAt >= ringAfterMs) {
      ringOn = true;
    }
    if (ringOn && n >= headMax && tailFrom < 0) {
      const event = raw(frame, index, reader, names);
      if (exit !== undefined) event.x = exit;
      if (hasValue) {
        event.r = value;
        event.hasR = true;
      }
      if (test !== undefined) event.t = test;
      ring[ringNext] = event;
      ringNext = (ringNext + 1) % tailMax;
    }
    total = n + 1;
    if (tailFrom < 0) {
      // So that a run killed before it ends (memory, or a process V8 aborts) still leaves its
      // first steps, and later a recent stretch, on the host.
      if (total <= headMax ? total === 1 || total === 8 || total === 64 || total === headMax : ringOn && total % checkpointEvery === 0) {
        checkpoint(stringify(retained()));
      }
    }
  }

  function interrupt(frame: Frame): void {
    if (frame.b >= 0) {
      const index = frame.b;
      frame.b = -1;
      record(frame, index, frame.r, 'interrupted');
    }
  }

  return {
    top() {
      topFrame = newFrame(0);
      depth = 0;
      return topFrame;
    },
    enter(index, reader) {
      const frame = newFrame(depth + 1);
      depth = frame.dep;
      record(frame, index, reader);
      return frame;
    },
    s(frame, index, reader) {
      if (frame.b >= 0) interrupt(frame);
      frame.b = index;
      frame.r = reader;
      depth = frame.dep;
    },
    e(frame) {
      if (frame.b < 0) return;
      const index = frame.b;
      frame.b = -1;
      record(frame, index, frame.r);
    },
    t(value, frame) {
      if (frame.b >= 0) {
        const index = frame.b;
        frame.b = -1;
        record(frame, index, frame.r, undefined, undefined, false, !!value);
      }
      return value;
    },
    r(frame, value) {
      const index = frame.b;
      frame.b = -1;
      if (index >= 0) record(frame, index, frame.r, 'return', value, true);
      return value;
    },
    x(frame, value) {
      const index = frame.b;
      frame.b = -1;
      if (index >= 0) record(frame, index, frame.r, 'throw', value, true);
      return value;
    },
    leave(frame) {
      interrupt(frame);
      depth = frame.dep - 1;
    },
    sus(frame, value) {
      depth = frame.dep - 1;
      return value;
    },
    res(frame, value) {
      depth = frame.dep;
      return value;
    },
    finishTop() {
      if (topFrame) interrupt(topFrame);
    },
    caseStarts() {
      if (caseFrom === -1) caseFrom = total;
    },
    collect() {
      return stringify(retained());
    },
  };
}
