import type { TestCase } from '../cases/split.js';
import type { Conversation, Subject, Verification } from '../debugger/conversation.js';
import type { DebugEvent, DebugLevel } from '../debugger/result.js';
import type { CreateModelOptions } from '../llm/create.js';
import type { Model } from '../llm/model.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Trace } from '../sandbox/trace.js';
import type { Action, CaseView, JudgedTarget, SessionState } from './state.js';
import { eventAt, knownSteps, totalSteps, windowAround } from './steps.js';

/** Everything the debugger session needs from outside: files, the model spec, limits. */
export interface SessionInputs {
  file: string;
  /** The test cases, read and split when the session starts (after the first frame). */
  loadCases(): Promise<TestCase[]>;
  caseNumber?: number;
  modelSpec?: string;
  /** How to reach the model (retries, timeouts, cache), as the CLI's model flags say. */
  modelOptions?: CreateModelOptions;
  level: DebugLevel;
  limits: LimitsInput;
  entryPoint?: string;
  env: NodeJS.ProcessEnv;
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: string): Promise<void>;
  exists(path: string): Promise<boolean>;
}

/** Steps re-run at once when stepping into the dropped middle of a long run. */
export const WINDOW_STEPS = 2000;
/** Steps sent to the sandbox per search request. */
const SEARCH_CHUNK = 20_000;
const LEVEL_MEANING: Record<DebugLevel, string> = {
  block: 'a step per basic block',
  line: 'a step per statement',
  function: 'blocks stepped, the model judges whole functions',
};
const NO_MODEL = 'no model configured: pass --model <spec> (e.g. openai:gpt-4o-mini) or set LDB_MODEL';

/**
 * The effects of a debugging session: running and tracing in the sandbox, window re-runs,
 * searches, the model's verdicts and fixes, writing an accepted fix. It reads the session state
 * and reports back only through actions; heavy modules (Babel, the LLM stack) load when first used.
 */
export class SessionController {
  private sandbox: Sandbox | undefined;
  private model: Model | undefined;
  private abort: AbortController | undefined;
  private verification: Verification | null = null;
  private windowLoading = false;
  private cases: TestCase[] = [];

  constructor(
    private readonly inputs: SessionInputs,
    private readonly dispatch: (action: Action) => void,
    private readonly getState: () => SessionState,
  ) {}

  dispose(): void {
    this.abort?.abort();
    this.sandbox?.dispose();
  }

  /** Runs every case and traces the chosen one (by default the first failing). */
  async start(code: string, preferCase?: number): Promise<void> {
    const { runTests } = await import('../api.js');
    const { parseProgram } = await import('../program/program.js');
    const { granularityFor } = await import('../debugger/format.js');
    const { inputs } = this;
    this.dispatch({ type: 'busy', label: 'running the tests' });
    if (this.cases.length === 0) this.cases = await inputs.loadCases();
    const blocks = parseProgram(code, { filename: inputs.file, granularity: granularityFor(this.getState().level) }).blocks;
    const run = await runTests({ code, filename: inputs.file, tests: this.cases, limits: inputs.limits, sandbox: await this.ensureSandbox() });
    const cases: CaseView[] = run.cases.map((c) => ({ source: c.case.source, outcome: c.outcome }));
    const failing = cases.findIndex((c) => c.outcome.kind !== 'pass');
    const caseIndex = Math.min(preferCase ?? (failing >= 0 ? failing : 0), cases.length - 1);
    this.verification = null;
    this.dispatch({ type: 'program', file: inputs.file, code, blocks, level: this.getState().level, cases, caseIndex });
    await this.traceCase(caseIndex);
  }

  async traceCase(caseIndex: number): Promise<void> {
    const state = this.getState();
    const testCase = this.cases[caseIndex];
    if (!testCase) return;
    this.dispatch({ type: 'busy', label: `tracing case ${caseIndex + 1}` });
    try {
      const trace = await this.trace(state.code, testCase);
      this.verification = null;
      this.dispatch({ type: 'trace', caseIndex, trace });
    } finally {
      this.dispatch({ type: 'busy', label: null });
    }
  }

  /** Re-runs the case to record the window around the current step (it lies in the dropped middle). */
  async loadWindow(): Promise<void> {
    const state = this.getState();
    const recording = state.recording;
    if (this.windowLoading || !recording || eventAt(recording, state.step)) return;
    this.windowLoading = true;
    const window = windowAround(recording, state.step, WINDOW_STEPS);
    this.dispatch({ type: 'busy', label: `re-running the case for steps ${window.from + 1}–${window.from + window.count}` });
    try {
      const testCase = this.cases[state.caseIndex]!;
      const trace = await this.trace(state.code, testCase, { ...window, expectTotal: totalSteps(recording) });
      if (this.getState().recording?.trace === recording.trace) this.dispatch({ type: 'window', from: window.from, events: trace.events });
    } catch (error) {
      this.dispatch({ type: 'message', text: errorText(error), kind: 'error' });
    } finally {
      this.windowLoading = false;
      this.dispatch({ type: 'busy', label: null });
    }
  }

  /** Searches the known steps after (or before) the current one: an expression in the sandbox, a plain word as text. */
  async search(text: string, direction: 1 | -1): Promise<void> {
    const state = this.getState();
    const recording = state.recording;
    if (!recording || text.trim() === '') return;
    const steps = knownSteps(recording, state.step + direction, direction);
    const gaps = recording.trace.dropped > 0 ? ' (the dropped middle of the run is searched only where it was re-run)' : '';
    if (/^[A-Za-z_$][\w$]*$/.test(text.trim())) {
      const word = text.trim();
      for (const k of steps) {
        const event = eventAt(recording, k)!;
        if (Object.entries(event.vars).some(([name, value]) => name.includes(word) || value.includes(word)) || event.value?.includes(word)) {
          this.dispatch({ type: 'searched', text, direction, step: k });
          return;
        }
      }
      this.dispatch({ type: 'searched', text, direction, step: undefined, note: gaps });
      return;
    }
    const { findStep } = await import('../sandbox/search-steps.js');
    this.dispatch({ type: 'busy', label: `searching ${text}` });
    try {
      let chunk: Array<{ step: number; vars: Record<string, string> }> = [];
      for (const k of steps) {
        chunk.push({ step: k, vars: eventAt(recording, k)!.vars });
        if (chunk.length < SEARCH_CHUNK) continue;
        const found = await findStep({ expression: text, steps: chunk, sandbox: await this.ensureSandbox(), limits: this.inputs.limits });
        if (found !== undefined) return this.dispatch({ type: 'searched', text, direction, step: found });
        chunk = [];
      }
      const found = await findStep({ expression: text, steps: chunk, sandbox: await this.ensureSandbox(), limits: this.inputs.limits });
      this.dispatch({ type: 'searched', text, direction, step: found, note: found === undefined ? gaps : undefined });
    } catch (error) {
      this.dispatch({ type: 'message', text: errorText(error), kind: 'error' });
    } finally {
      this.dispatch({ type: 'busy', label: null });
    }
  }

  async switchLevel(): Promise<void> {
    const levels: DebugLevel[] = ['block', 'line', 'function'];
    const state = this.getState();
    const level = levels[(levels.indexOf(state.level) + 1) % levels.length]!;
    const { parseProgram } = await import('../program/program.js');
    const { granularityFor } = await import('../debugger/format.js');
    const blocks = parseProgram(state.code, { filename: this.inputs.file, granularity: granularityFor(level) }).blocks;
    this.dispatch({ type: 'program', file: state.file, code: state.code, blocks, level, cases: state.cases, caseIndex: state.caseIndex });
    await this.traceCase(state.caseIndex);
    const recording = this.getState().recording;
    const steps = recording ? `: ${totalSteps(recording)} steps` : '';
    this.dispatch({ type: 'message', text: `level ${level} (${LEVEL_MEANING[level]})${steps}` });
  }

  /** The model judges each block of the current trace (the prompts and parsing of `ldb fix`). */
  async verify(): Promise<void> {
    const state = this.getState();
    const conversation = await this.conversation();
    if (!conversation || !state.recording) return;
    await this.withModel('verifying', async (subject) => {
      const trace = state.recording!.trace;
      const verification = await conversation.verify(subject, trace, conversation.compact(subject, trace));
      this.verification = verification;
      this.dispatch({ type: 'verdicts', judged: judgedTargets(verification) });
      const wrong = verification.verdicts?.filter((v) => !v.correct).length;
      this.dispatch({ type: 'message', text: verification.verdicts ? `${wrong} wrong of ${verification.verdicts.length} judged; f asks for a fix` : verification.notes.join('; ') });
    });
  }

  /** Asks the model for a corrected program (with the verdicts when there are some) and shows its diff. */
  async fix(): Promise<void> {
    const state = this.getState();
    const conversation = await this.conversation();
    if (!conversation || !state.recording) return;
    const { unifiedDiff } = await import('../debugger/diff.js');
    await this.withModel('asking for a fix', async (subject) => {
      const fix = await conversation.fix(subject, state.recording!.trace.outcome, this.verification);
      const fixed = fix.code;
      if (fixed === undefined) return this.dispatch({ type: 'message', text: fix.notes.join('; ') || 'no usable fix', kind: 'error' });
      const diff = unifiedDiff(state.code, fixed, { fromName: this.inputs.file, toName: `${this.inputs.file} (fixed)` });
      if (diff === '') return this.dispatch({ type: 'message', text: 'the model returned the same program', kind: 'error' });
      this.dispatch({ type: 'patch', code: fixed, diff });
      this.dispatch({ type: 'message', text: 'a accepts the fix (writes the file, keeps .orig), r rejects it' });
    });
  }

  /** Writes the fix over the file (the original kept as <file>.orig, as `ldb fix --write`), re-runs the tests. */
  async accept(): Promise<void> {
    const state = this.getState();
    if (!state.patch) return this.dispatch({ type: 'message', text: 'no fix to accept; f asks the model for one' });
    const { file } = this.inputs;
    const backup = await this.freeBackupName(file);
    await this.inputs.writeFile(backup, await this.inputs.readFile(file));
    await this.inputs.writeFile(file, state.patch.code);
    this.dispatch({ type: 'patchDone' });
    this.dispatch({ type: 'iteration', index: state.iteration + 1 });
    await this.start(state.patch.code);
    const now = this.getState();
    const passed = now.cases.filter((c) => c.outcome.kind === 'pass').length;
    this.dispatch({ type: 'message', text: `wrote ${file} (original in ${backup}); ${passed} of ${now.cases.length} tests pass` });
  }

  /** Drops the fix. After `--auto` the screen shows the loop's last program: back to the file's. */
  async reject(): Promise<void> {
    if (!this.getState().patch) return;
    this.dispatch({ type: 'patchDone' });
    const onDisk = await this.inputs.readFile(this.inputs.file);
    if (onDisk !== this.getState().code) await this.start(onDisk);
    this.dispatch({ type: 'message', text: 'fix rejected' });
  }

  /** An error no action handled (e.g. the program does not parse): shown, the session stays open. */
  report(error: unknown): void {
    this.dispatch({ type: 'busy', label: null });
    this.dispatch({ type: 'message', text: errorText(error), kind: 'error' });
  }

  /** Esc: the model request in flight stops. */
  cancel(): void {
    this.abort?.abort();
  }

  /** `--auto`: the whole debug() loop, shown live (its tests, traces, verdicts and patches). */
  async auto(maxIterations: number): Promise<void> {
    const model = await this.ensureModel();
    if (!model) return;
    const { runAuto } = await import('./auto-run.js');
    const abort = (this.abort = new AbortController());
    try {
      await runAuto({
        model,
        cases: this.cases,
        file: this.inputs.file,
        entryPoint: this.inputs.entryPoint,
        limits: this.inputs.limits,
        maxIterations,
        signal: abort.signal,
        dispatch: this.dispatch,
        getState: this.getState,
        onModelEvent: (event) => this.onDebugEvent(event),
      });
    } catch (error) {
      this.dispatch({ type: 'message', text: errorText(error), kind: 'error' });
    }
    // A solved last iteration has no failing case, so no trace: show the run of the chosen case.
    if (!this.getState().recording && this.getState().cases.length > 0) await this.traceCase(this.getState().caseIndex);
  }

  private onDebugEvent(event: DebugEvent): void {
    switch (event.type) {
      case 'iteration':
        return this.dispatch({ type: 'iteration', index: event.index });
      case 'trace':
        return this.dispatch({ type: 'trace', caseIndex: event.failingCase, trace: event.trace });
      case 'verdicts':
        return this.dispatch({ type: 'message', text: `iteration ${event.index + 1}: ${event.verdicts?.filter((v) => !v.correct).length ?? '?'} blocks judged wrong` });
      case 'patch':
        return this.dispatch({ type: 'patch', code: event.code, diff: event.diff });
      case 'usage':
        return this.dispatch({ type: 'usage', tokens: event.usage.promptTokens + event.usage.completionTokens, costUsd: event.usage.costUsd });
      default:
        return undefined;
    }
  }

  /** Runs one model request about the current program and case, with the spinner on. */
  private async withModel(label: string, work: (subject: Subject) => Promise<void>): Promise<void> {
    const state = this.getState();
    const subject: Subject = { index: state.iteration, code: state.code, blocks: [...state.blocks.values()], testCase: this.cases[state.caseIndex]! };
    // A message of the last request ("cancelled") must not stand next to the new one's spinner.
    this.dispatch({ type: 'clearMessage' });
    this.dispatch({ type: 'busy', label });
    try {
      await work(subject);
    } catch (error) {
      this.dispatch({ type: 'message', text: this.abort?.signal.aborted ? 'cancelled' : errorText(error), kind: 'error' });
    } finally {
      this.dispatch({ type: 'busy', label: null });
    }
  }

  private async conversation(): Promise<Conversation | undefined> {
    const model = await this.ensureModel();
    if (!model) return undefined;
    const { Conversation } = await import('../debugger/conversation.js');
    const state = this.getState();
    return new Conversation({
      model,
      filename: this.inputs.file,
      entryPoint: this.inputs.entryPoint,
      level: state.level,
      traceBudget: 1500,
      signal: (this.abort = new AbortController()).signal,
      emit: (event) => this.onDebugEvent(event),
    });
  }

  private async ensureModel(): Promise<Model | undefined> {
    if (this.model) return this.model;
    const spec = this.inputs.modelSpec ?? this.inputs.env.LDB_MODEL;
    if (!spec) {
      this.dispatch({ type: 'message', text: NO_MODEL, kind: 'error' });
      return undefined;
    }
    try {
      const { createModel } = await import('../llm/create.js');
      this.model = createModel(spec, { env: this.inputs.env, ...this.inputs.modelOptions });
      return this.model;
    } catch (error) {
      this.dispatch({ type: 'message', text: errorText(error), kind: 'error' });
      return undefined;
    }
  }

  private async ensureSandbox(): Promise<Sandbox> {
    if (!this.sandbox) {
      const { Sandbox } = await import('../sandbox/sandbox.js');
      this.sandbox = new Sandbox();
    }
    return this.sandbox;
  }

  private async trace(code: string, testCase: TestCase, window?: { from: number; count: number; expectTotal: number }): Promise<Trace> {
    const { traceTest } = await import('../api.js');
    const { granularityFor } = await import('../debugger/format.js');
    return traceTest({
      code,
      test: testCase,
      filename: this.inputs.file,
      limits: this.inputs.limits,
      granularity: granularityFor(this.getState().level),
      sandbox: await this.ensureSandbox(),
      window,
    });
  }

  private async freeBackupName(file: string): Promise<string> {
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? `${file}.orig` : `${file}.orig.${n}`;
      if (!(await this.inputs.exists(candidate))) return candidate;
    }
  }
}

function judgedTargets(verification: Verification): JudgedTarget[] | null {
  if (!verification.verdicts) return null;
  const byId = new Map(verification.targets.map((t) => [t.id, t]));
  return verification.verdicts.flatMap((v) => {
    const target = byId.get(v.block);
    return target ? [{ id: v.block, label: target.label, lines: target.lines, correct: v.correct, explanation: v.explanation }] : [];
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
