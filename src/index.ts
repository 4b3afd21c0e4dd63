// The public API of ldb. Named exports only.
export { parseProgram } from './program/program.js';
export type { ParseProgramOptions } from './program/program.js';
export type { Block, BlockKind, FunctionInfo, Position, ProgramModel, Range } from './program/model.js';
export { runTests, traceTest } from './api.js';
export type { CaseResult, RunTestsOptions, TestRun, TraceTestOptions } from './api.js';
export type { Outcome, Trace, TraceEvent } from './sandbox/trace.js';
export { describeOutcome } from './sandbox/trace.js';
export { DEFAULT_LIMITS, resolveLimits } from './sandbox/limits.js';
export type { Limits, LimitsInput, RenderLimits } from './sandbox/limits.js';
export { Sandbox } from './sandbox/sandbox.js';
export { splitTests } from './cases/split.js';
export type { TestCase } from './cases/split.js';
export { loadProblems, readProblems } from './cases/datasets.js';
export type { Problem } from './cases/datasets.js';
export { compileProgram, instrumentProgram } from './instrument/instrument.js';
export { LdbError, ParseError, InputError, SandboxError } from './errors.js';
export type { SourceLocation } from './errors.js';
export { debug } from './debugger/loop.js';
export type { DebugOptions } from './debugger/loop.js';
export type {
  DebugEvent,
  DebugIteration,
  DebugLevel,
  DebugResult,
  MissingCode,
  StopReason,
  TokenTotals,
  Verdict,
} from './debugger/result.js';
export { formatTrace, formatTraceForModel } from './debugger/format.js';
export type { FormatTraceOptions } from './debugger/format.js';
export type { CompactTrace, VerdictTarget } from './debugger/compact.js';
export { createModel } from './llm/create.js';
export type { CreateModelOptions } from './llm/create.js';
export type { ChatMessage, Completion, CompletionRequest, Model, Usage } from './llm/model.js';
export { ModelError } from './errors.js';
