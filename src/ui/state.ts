import type { DebugLevel } from '../debugger/result.js';
import type { Block } from '../program/model.js';
import type { Outcome, Trace, TraceEvent } from '../sandbox/trace.js';
import type { Command } from './keys.js';
import { eventAt, failureStep, firstGapBetween, knownSteps, totalSteps, type Recording } from './steps.js';

export interface CaseView {
  source: string;
  outcome: Outcome;
}

/** A model verdict placed on the source: the lines it covers, right or wrong, and why. */
export interface JudgedTarget {
  id: string;
  label: string;
  lines: { start: number; end: number };
  correct: boolean;
  explanation: string;
}

export type Overlay = 'none' | 'help' | 'tests';

export interface SessionState {
  file: string;
  code: string;
  lines: string[];
  blocks: Map<string, Block>;
  level: DebugLevel;
  cases: CaseView[];
  caseIndex: number;
  recording: Recording | null;
  step: number;
  /** Source lines (1-based) with a breakpoint. */
  breakpoints: number[];
  overlay: Overlay;
  testsCursor: number;
  /** The search being typed after `/`. */
  prompt: { kind: 'search' | 'goto'; text: string; direction: 1 | -1 } | null;
  lastSearch: { text: string; direction: 1 | -1 } | null;
  /** Right after a search, `n` repeats it instead of stepping. */
  repeatSearch: boolean;
  expanded: boolean;
  judged: JudgedTarget[] | null;
  patch: { code: string; diff: string } | null;
  /** What the model or the sandbox is doing now (a spinner shows while set). */
  busy: string | null;
  message: { text: string; kind: 'info' | 'error' } | null;
  modelName: string | null;
  iteration: number;
  usage: { tokens: number; costUsd: number | null; calls: number };
  /** A move that waits for a window re-run (stepping into the dropped middle), and how many it took. */
  pending: { command: Command; hops: number } | null;
}

export type Action =
  | { type: 'program'; file: string; code: string; blocks: Block[]; level: DebugLevel; cases: CaseView[]; caseIndex: number }
  | { type: 'trace'; caseIndex: number; trace: Trace }
  | { type: 'window'; from: number; events: TraceEvent[] }
  | { type: 'command'; command: Command }
  | { type: 'goto'; step: number }
  | { type: 'promptOpen'; kind: 'search' | 'goto'; direction: 1 | -1 }
  | { type: 'promptText'; text: string }
  | { type: 'promptDirection' }
  | { type: 'promptClose' }
  | { type: 'searched'; text: string; direction: 1 | -1; step: number | undefined; note?: string }
  | { type: 'busy'; label: string | null }
  | { type: 'message'; text: string; kind?: 'info' | 'error' }
  | { type: 'clearMessage' }
  | { type: 'verdicts'; judged: JudgedTarget[] | null }
  | { type: 'patch'; code: string; diff: string }
  | { type: 'patchDone' }
  | { type: 'usage'; tokens: number; costUsd: number | null }
  | { type: 'iteration'; index: number }
  | { type: 'testsCursor'; delta: number }
  | { type: 'overlay'; overlay: Overlay };

/** How far a continue or visit search may re-run windows before it stops and says so. */
const MAX_HOPS = 4;

export function initialState(file: string, modelName: string | null): SessionState {
  return {
    file,
    code: '',
    lines: [],
    blocks: new Map(),
    level: 'block',
    cases: [],
    caseIndex: 0,
    recording: null,
    step: 0,
    breakpoints: [],
    overlay: 'none',
    testsCursor: 0,
    prompt: null,
    lastSearch: null,
    repeatSearch: false,
    expanded: false,
    judged: null,
    patch: null,
    busy: null,
    message: null,
    modelName,
    iteration: 0,
    usage: { tokens: 0, costUsd: 0, calls: 0 },
    pending: null,
  };
}

export function reduce(state: SessionState, action: Action): SessionState {
  switch (action.type) {
    case 'program':
      return {
        ...state,
        file: action.file,
        code: action.code,
        lines: action.code.split('\n'),
        blocks: new Map(action.blocks.map((b) => [b.id, b])),
        level: action.level,
        cases: action.cases,
        caseIndex: action.caseIndex,
        testsCursor: action.caseIndex,
        recording: null,
        judged: null,
        step: 0,
        pending: null,
      };
    case 'trace': {
      const recording: Recording = { trace: action.trace, windows: [] };
      return { ...state, caseIndex: action.caseIndex, recording, step: failureStep(recording), judged: null, pending: null, overlay: 'none' };
    }
    case 'window':
      return afterWindow(state, action.from, action.events);
    case 'command':
      return command(state, action.command);
    case 'goto':
      return { ...state, step: clampStep(state, action.step), repeatSearch: false };
    case 'promptOpen':
      return { ...state, prompt: { kind: action.kind, text: '', direction: action.direction }, message: null };
    case 'promptText':
      return state.prompt ? { ...state, prompt: { ...state.prompt, text: action.text } } : state;
    case 'promptDirection':
      return state.prompt ? { ...state, prompt: { ...state.prompt, direction: state.prompt.direction === 1 ? -1 : 1 } } : state;
    case 'promptClose':
      return { ...state, prompt: null };
    case 'searched': {
      const lastSearch = { text: action.text, direction: action.direction };
      if (action.step === undefined) {
        const where = action.direction === 1 ? 'after' : 'before';
        return { ...state, lastSearch, repeatSearch: false, message: { text: `no step ${where} this one matches ${action.text}${action.note ?? ''}`, kind: 'info' } };
      }
      return { ...state, lastSearch, repeatSearch: true, step: action.step, message: { text: `/${action.text}: step ${action.step + 1}${action.note ?? ''}`, kind: 'info' } };
    }
    case 'busy':
      return { ...state, busy: action.label };
    case 'message':
      return { ...state, message: { text: action.text, kind: action.kind ?? 'info' } };
    case 'clearMessage':
      return { ...state, message: null };
    case 'verdicts':
      return { ...state, judged: action.judged };
    case 'patch':
      return { ...state, patch: { code: action.code, diff: action.diff } };
    case 'patchDone':
      return { ...state, patch: null };
    case 'usage':
      return {
        ...state,
        usage: {
          tokens: state.usage.tokens + action.tokens,
          costUsd: state.usage.costUsd === null || action.costUsd === null ? null : state.usage.costUsd + action.costUsd,
          calls: state.usage.calls + 1,
        },
      };
    case 'iteration':
      return { ...state, iteration: action.index };
    case 'testsCursor':
      return { ...state, testsCursor: Math.min(Math.max(0, state.testsCursor + action.delta), Math.max(0, state.cases.length - 1)) };
    case 'overlay':
      return { ...state, overlay: action.overlay, testsCursor: action.overlay === 'tests' ? state.caseIndex : state.testsCursor };
  }
}

/** The commands that only move or toggle; the others (model, search, level, tests) are effects. */
function command(state: SessionState, which: Command): SessionState {
  const moved = { ...state, repeatSearch: false, message: null };
  switch (which) {
    case 'next':
      return { ...moved, step: clampStep(state, state.step + 1) };
    case 'prev':
      return { ...moved, step: clampStep(state, state.step - 1) };
    case 'first':
      return { ...moved, step: 0 };
    case 'last':
      return { ...moved, step: clampStep(state, Number.MAX_SAFE_INTEGER) };
    case 'failure':
      return state.recording ? { ...moved, step: failureStep(state.recording) } : moved;
    case 'nextVisit':
    case 'prevVisit':
    case 'continue':
    case 'reverseContinue':
      return seek(moved, which, 0);
    case 'breakpoint':
      return toggleBreakpoint(moved);
    case 'expand':
      return { ...moved, expanded: !state.expanded };
    case 'help':
      return { ...moved, overlay: state.overlay === 'help' ? 'none' : 'help' };
    case 'cancel':
      return { ...moved, overlay: 'none', prompt: null, pending: null };
    default:
      return state;
  }
}

export function currentEvent(state: SessionState): TraceEvent | undefined {
  return state.recording ? eventAt(state.recording, state.step) : undefined;
}

export function currentBlock(state: SessionState): Block | undefined {
  const event = currentEvent(state);
  return event ? state.blocks.get(event.block) : undefined;
}

/** The step shown has no event yet: its window must be re-run. */
export function needsWindow(state: SessionState): boolean {
  return state.recording !== null && currentEvent(state) === undefined && totalSteps(state.recording) > 0;
}

function clampStep(state: SessionState, step: number): number {
  const total = state.recording ? totalSteps(state.recording) : 0;
  return Math.min(Math.max(0, step), Math.max(0, total - 1));
}

function toggleBreakpoint(state: SessionState): SessionState {
  const block = currentBlock(state);
  if (!block) return state;
  const line = block.loc.start.line;
  const has = state.breakpoints.includes(line);
  const breakpoints = has ? state.breakpoints.filter((l) => l !== line) : [...state.breakpoints, line].sort((a, b) => a - b);
  return { ...state, breakpoints, message: { text: `${has ? 'removed the breakpoint on' : 'breakpoint on'} line ${line}`, kind: 'info' } };
}

/**
 * Next or previous visit of the block, or breakpoint hit, among the known steps. When a dropped
 * stretch lies before the answer, the move stops at its first step and waits for it to be re-run.
 */
function seek(state: SessionState, which: Command, hops: number, inclusive = false): SessionState {
  const recording = state.recording;
  if (!recording) return state;
  const direction = which === 'nextVisit' || which === 'continue' ? 1 : -1;
  const matches = matcher(state, which);
  if (!matches) return state;
  const start = inclusive ? state.step : state.step + direction;
  let found: number | undefined;
  for (const k of knownSteps(recording, start, direction)) {
    if (matches(eventAt(recording, k)!)) {
      found = k;
      break;
    }
  }
  const end = found ?? (direction === 1 ? totalSteps(recording) : -1);
  const gap = firstGapBetween(recording, inclusive ? state.step - direction : state.step, end);
  if (gap !== undefined) {
    if (hops >= MAX_HOPS) {
      return { ...state, step: gap, pending: null, message: { text: `not found in the steps re-run so far; press ${keyHint(which)} again to go on`, kind: 'info' } };
    }
    return { ...state, step: gap, pending: { command: which, hops: hops + 1 } };
  }
  if (found === undefined) {
    const what = which === 'continue' || which === 'reverseContinue' ? 'breakpoint hit' : 'visit of this block';
    return { ...state, pending: null, message: { text: `no ${direction === 1 ? 'later' : 'earlier'} ${what}`, kind: 'info' } };
  }
  return { ...state, step: found, pending: null };
}

function matcher(state: SessionState, which: Command): ((event: TraceEvent) => boolean) | undefined {
  if (which === 'nextVisit' || which === 'prevVisit') {
    const block = currentEvent(state)?.block;
    return block === undefined ? undefined : (event) => event.block === block;
  }
  if (state.breakpoints.length === 0) return undefined;
  return (event) => {
    const block = state.blocks.get(event.block);
    return block !== undefined && state.breakpoints.some((line) => line >= block.loc.start.line && line <= block.loc.end.line);
  };
}

function afterWindow(state: SessionState, from: number, events: TraceEvent[]): SessionState {
  if (!state.recording) return state;
  const recording = { ...state.recording, windows: [...state.recording.windows, { from, events }] };
  const next = { ...state, recording };
  return state.pending ? seek({ ...next, pending: null }, state.pending.command, state.pending.hops, true) : next;
}

function keyHint(which: Command): string {
  return which === 'continue' ? 'c' : which === 'reverseContinue' ? 'C' : which === 'nextVisit' ? 'N' : 'P';
}
