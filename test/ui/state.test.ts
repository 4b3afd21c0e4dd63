import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/program/model.js';
import type { Trace, TraceEvent } from '../../src/sandbox/trace.js';
import { initialState, needsWindow, reduce, type Action, type SessionState } from '../../src/ui/state.js';
import { eventAt, knownSteps, windowAround } from '../../src/ui/steps.js';

const block = (id: string, start: number, end = start): Block => ({
  id,
  fn: id.split('#')[0]!,
  kind: 'block',
  loc: { start: { line: start, col: 0 }, end: { line: end, col: 1 } },
  succ: [],
});
const BLOCKS = [block('f#0', 1), block('f#1', 2), block('f#2', 3), block('f#3', 4), block('f#4', 5)];

/** A loop run: entry, init, then (head, body) × n, then return; step k of a head has i = (k - 2) / 2. */
function loopEvents(n: number): TraceEvent[] {
  const events: TraceEvent[] = [{ block: 'f#0', depth: 1, vars: { n: String(n) }, changed: ['n'] }];
  events.push({ block: 'f#1', depth: 1, vars: { n: String(n), total: '0' }, changed: ['total'] });
  let total = 0;
  for (let i = 0; i < n; i++) {
    events.push({ block: 'f#2', depth: 1, vars: { total: String(total), i: String(i) }, changed: ['i'], test: true });
    total += i;
    events.push({ block: 'f#3', depth: 1, vars: { total: String(total), i: String(i) }, changed: ['total'] });
  }
  events.push({ block: 'f#4', depth: 1, vars: { total: String(total) }, changed: [], exit: 'return', value: String(total) });
  return events;
}

function traceOf(events: TraceEvent[], keepHead?: number, keepTail?: number): Trace {
  const total = events.length;
  if (keepHead === undefined || keepTail === undefined) {
    return { test: 't', outcome: { kind: 'fail', message: 'x' }, events, totalEvents: total, truncated: false, dropped: 0, droppedAt: total, console: [] };
  }
  const kept = [...events.slice(0, keepHead), ...events.slice(total - keepTail)];
  return { test: 't', outcome: { kind: 'fail', message: 'x' }, events: kept, totalEvents: total, truncated: true, dropped: total - kept.length, droppedAt: keepHead, console: [] };
}

function session(trace: Trace): SessionState {
  let state = initialState('f.js', null);
  state = reduce(state, { type: 'program', file: 'f.js', code: 'a\nb\nc\nd\ne', blocks: BLOCKS, level: 'block', cases: [{ source: 't', outcome: trace.outcome }], caseIndex: 0 });
  return reduce(state, { type: 'trace', caseIndex: 0, trace });
}

const run = (state: SessionState, ...actions: Action[]) => actions.reduce(reduce, state);
const key = (command: Action & { type: 'command' } extends infer A ? (A extends { command: infer C } ? C : never) : never): Action => ({ type: 'command', command });

describe('session reducer', () => {
  it('opens at the failing step and steps forward, back, first and last', () => {
    const state = session(traceOf(loopEvents(3)));
    expect(state.step).toBe(8); // the last step: a failed assertion sees the returned value
    expect(run(state, key('first')).step).toBe(0);
    expect(run(state, key('first'), key('next'), key('next')).step).toBe(2);
    expect(run(state, key('prev')).step).toBe(7);
    expect(run(state, key('next')).step).toBe(8); // clamped at the end
    expect(run(state, key('first'), key('prev')).step).toBe(0);
    expect(run(state, { type: 'goto', step: 4 }).step).toBe(4);
  });

  it('goes to the step where an exception started', () => {
    const events = loopEvents(2);
    events.splice(4, events.length - 4, { block: 'f#3', depth: 1, vars: {}, changed: [], exit: 'throw', value: 'TypeError' }, { block: 'f#0', depth: 0, vars: {}, changed: [], exit: 'interrupted' });
    const state = session(traceOf(events));
    expect(state.step).toBe(4);
    expect(run(state, key('first'), key('failure')).step).toBe(4);
  });

  it('moves between visits of the same block', () => {
    const state = run(session(traceOf(loopEvents(3))), { type: 'goto', step: 2 });
    expect(run(state, key('nextVisit')).step).toBe(4);
    expect(run(state, key('nextVisit'), key('nextVisit'), key('prevVisit')).step).toBe(4);
    expect(run(state, key('prevVisit')).message?.text).toMatch(/no earlier visit/);
  });

  it('toggles breakpoints on the current line and continues to them, both ways', () => {
    let state = run(session(traceOf(loopEvents(3))), { type: 'goto', step: 3 });
    state = run(state, key('breakpoint'));
    expect(state.breakpoints).toEqual([4]);
    state = run(state, key('first'), key('continue'));
    expect(state.step).toBe(3);
    expect(run(state, key('continue')).step).toBe(5);
    expect(run(state, key('last'), key('reverseContinue')).step).toBe(7);
    expect(run(state, key('breakpoint')).breakpoints).toEqual([]);
  });

  it('waits for a window re-run when a move lands in the dropped middle, then finishes it', () => {
    const events = loopEvents(100); // 203 steps; keep 10 first and 10 last
    let state = session(traceOf(events, 10, 10));
    state = run(state, key('first'));
    state = run(state, { type: 'goto', step: 9 }, key('next'));
    expect(state.step).toBe(10);
    expect(needsWindow(state)).toBe(true);
    const window = windowAround(state.recording!, state.step, 50);
    expect(window.from).toBeGreaterThanOrEqual(10);
    state = run(state, { type: 'window', from: window.from, events: events.slice(window.from, window.from + window.count) });
    expect(needsWindow(state)).toBe(false);
    expect(eventAt(state.recording!, 10)).toEqual(events[10]);
    // A visit search across the gap stops at it, waits, and resumes when the window arrives.
    state = run(state, { type: 'goto', step: 100 });
    expect(needsWindow(state)).toBe(true);
    state = run(state, { type: 'goto', step: 5 }, key('breakpoint'), { type: 'goto', step: 20 });
    expect(state.breakpoints).toEqual([4]);
    expect(run(state, key('continue')).step).toBe(21);
    state = run(state, { type: 'goto', step: 58 }, key('continue'));
    expect(state.step).toBe(59);
    state = run(state, key('continue'));
    expect(state.pending?.command).toBe('continue');
    expect(state.step).toBe(60);
    const gapStep = state.step;
    state = run(state, { type: 'window', from: gapStep, events: events.slice(gapStep, gapStep + 20) });
    expect(state.pending).toBeNull();
    expect(state.recording!.windows).toHaveLength(2);
    expect(state.step).toBe(61);
    expect(eventAt(state.recording!, 61)).toEqual(events[61]);
    expect(state.step).toBeGreaterThanOrEqual(gapStep);
  });

  it('lists known steps in both directions across kept ranges', () => {
    const state = session(traceOf(loopEvents(100), 3, 3));
    expect([...knownSteps(state.recording!, 0, 1)]).toEqual([0, 1, 2, 200, 201, 202]);
    expect([...knownSteps(state.recording!, 201, -1)]).toEqual([201, 200, 2, 1, 0]);
  });

  it('keeps the search prompt, its direction and the repeat-after-search flag', () => {
    let state = session(traceOf(loopEvents(3)));
    state = run(state, { type: 'promptOpen', kind: 'search', direction: 1 }, { type: 'promptText', text: 'total > 1' }, { type: 'promptDirection' });
    expect(state.prompt).toEqual({ kind: 'search', text: 'total > 1', direction: -1 });
    state = run(state, { type: 'promptClose' }, { type: 'searched', text: 'total > 1', direction: 1, step: 5 });
    expect(state.step).toBe(5);
    expect(state.repeatSearch).toBe(true);
    expect(run(state, key('prev')).repeatSearch).toBe(false);
    expect(run(state, { type: 'searched', text: 'x', direction: 1, step: undefined }).message?.text).toMatch(/no step after/);
  });

  it('tracks the model: busy, verdicts, patch, usage, help and tests overlays', () => {
    let state = session(traceOf(loopEvents(3)));
    state = run(state, { type: 'busy', label: 'verifying' }, { type: 'usage', tokens: 100, costUsd: 0.01 }, { type: 'usage', tokens: 50, costUsd: 0.02 });
    expect(state.busy).toBe('verifying');
    expect(state.usage.tokens).toBe(150);
    expect(state.usage.costUsd).toBeCloseTo(0.03);
    expect(run(state, { type: 'usage', tokens: 1, costUsd: null }).usage.costUsd).toBeNull();
    state = run(state, { type: 'verdicts', judged: [{ id: 'f#3', label: 'f#3', lines: { start: 4, end: 4 }, correct: false, explanation: 'off by one' }] });
    expect(state.judged).toHaveLength(1);
    state = run(state, { type: 'patch', code: 'x', diff: '-a\n+b' });
    expect(state.patch?.code).toBe('x');
    expect(run(state, { type: 'patchDone' }).patch).toBeNull();
    expect(run(state, key('help')).overlay).toBe('help');
    expect(run(state, key('help'), key('cancel')).overlay).toBe('none');
    expect(run(state, { type: 'overlay', overlay: 'tests' }, { type: 'testsCursor', delta: 5 }).testsCursor).toBe(0);
  });

  it('x toggles expanded values and keeps the step; a level switch keeps breakpoints and expansion', () => {
    const state = run(session(traceOf(loopEvents(3))), key('first'), key('next'), key('breakpoint'));
    const expanded = run(state, key('expand'));
    expect(expanded.expanded).toBe(true);
    expect(expanded.step).toBe(1);
    expect(run(expanded, key('expand')).expanded).toBe(false);
    // `l`: the controller re-parses at the new level and sends the program again, then the new trace.
    const switched = run(expanded, { type: 'program', file: 'f.js', code: expanded.code, blocks: BLOCKS, level: 'line', cases: expanded.cases, caseIndex: 0 }, { type: 'trace', caseIndex: 0, trace: traceOf(loopEvents(3)) });
    expect(switched.level).toBe('line');
    expect(switched.expanded).toBe(true);
    expect(switched.breakpoints).toEqual(state.breakpoints);
    expect(switched.breakpoints).toHaveLength(1);
    expect(switched.judged).toBeNull();
  });
});
