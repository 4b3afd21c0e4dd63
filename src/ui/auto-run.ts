import type { TestCase } from '../cases/split.js';
import type { DebugEvent, DebugLevel, DebugResult, Verdict } from '../debugger/result.js';
import type { Model } from '../llm/model.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { Action, CaseView, JudgedTarget, SessionState } from './state.js';

export interface AutoRunInputs {
  model: Model;
  cases: TestCase[];
  file: string;
  entryPoint?: string;
  limits: LimitsInput;
  maxIterations: number;
  signal: AbortSignal;
  dispatch(action: Action): void;
  getState(): SessionState;
  /** Events every model request reports the same way (usage, patches). */
  onModelEvent(event: DebugEvent): void;
}

/**
 * `--auto`: the library's whole `debug()` loop, shown live. Each iteration puts its program,
 * its test results and the trace of its failing case on the screen, so the user watches the
 * loop step by step; at the end the best program is offered as a fix (`a` writes it). The
 * original program stays on disk until then.
 */
export async function runAuto(inputs: AutoRunInputs): Promise<void> {
  const { debug } = await import('../debugger/loop.js');
  const { parseProgram } = await import('../program/program.js');
  const { granularityFor } = await import('../debugger/format.js');
  const { unifiedDiff } = await import('../debugger/diff.js');
  const { dispatch, getState } = inputs;
  const original = getState().code;
  const level: DebugLevel = getState().level;
  let code = original;

  const showProgram = (cases: CaseView[], caseIndex: number) => {
    const blocks = parseProgram(code, { filename: inputs.file, granularity: granularityFor(level) }).blocks;
    dispatch({ type: 'program', file: inputs.file, code, blocks, level, cases, caseIndex });
  };
  const onEvent = (event: DebugEvent) => {
    switch (event.type) {
      case 'iteration':
        code = event.code;
        dispatch({ type: 'patchDone' });
        dispatch({ type: 'iteration', index: event.index });
        return dispatch({ type: 'message', text: `auto: iteration ${event.index + 1}, running the tests` });
      case 'tests': {
        const cases = event.cases.map((c) => ({ source: c.case.source, outcome: c.outcome }));
        const failing = cases.findIndex((c) => c.outcome.kind !== 'pass');
        showProgram(cases, Math.max(0, failing));
        return dispatch({ type: 'message', text: `auto: iteration ${event.index + 1}: ${event.passed} of ${event.total} tests pass` });
      }
      case 'trace':
        return dispatch({ type: 'trace', caseIndex: event.failingCase, trace: event.trace });
      case 'verdicts': {
        const wrong = event.verdicts?.filter((v) => !v.correct).map((v) => v.block);
        const text = wrong ? `${wrong.length} wrong of ${event.verdicts!.length} judged${wrong.length ? ` (${wrong.join(', ')})` : ''}` : 'no usable verdicts';
        dispatch({ type: 'verdicts', judged: judgedBlocks(event.verdicts, getState()) });
        return dispatch({ type: 'message', text: `auto: iteration ${event.index + 1}: ${text}; asking for a fix` });
      }
      default:
        return inputs.onModelEvent(event);
    }
  };

  dispatch({ type: 'busy', label: 'debugging (auto)' });
  let result: DebugResult | undefined;
  try {
    result = await debug({
      code: original,
      tests: inputs.cases,
      filename: inputs.file,
      entryPoint: inputs.entryPoint,
      model: inputs.model,
      level,
      maxIterations: inputs.maxIterations,
      limits: inputs.limits,
      signal: inputs.signal,
      onEvent,
    });
  } catch (error) {
    if (!inputs.signal.aborted) throw error;
  } finally {
    dispatch({ type: 'busy', label: null });
  }
  if (!result || result.stopReason === 'aborted') return dispatch({ type: 'message', text: 'auto: cancelled', kind: 'error' });
  const { best } = result;
  const summary = `auto: ${result.solved ? 'solved' : result.stopReason} after ${result.iterations.length} iteration${result.iterations.length === 1 ? '' : 's'}; the best program passes ${best.passed} of ${best.total}`;
  const diff = best.code === original ? '' : unifiedDiff(original, best.code, { fromName: inputs.file, toName: `${inputs.file} (fixed)` });
  if (diff === '') return dispatch({ type: 'message', text: summary });
  dispatch({ type: 'patch', code: best.code, diff });
  dispatch({ type: 'message', text: `${summary}; a writes it (keeps .orig), r rejects it` });
}

/** Verdicts on the blocks shown (a function-level verdict names no block here: it is left out). */
function judgedBlocks(verdicts: Verdict[] | null, state: SessionState): JudgedTarget[] | null {
  if (!verdicts) return null;
  return verdicts.flatMap((v) => {
    const block = state.blocks.get(v.block);
    return block ? [{ id: v.block, label: v.block, lines: { start: block.loc.start.line, end: block.loc.end.line }, correct: v.correct, explanation: v.explanation }] : [];
  });
}
