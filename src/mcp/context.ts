import type { TestCase } from '../cases/split.js';
import { InputError } from '../errors.js';
import type { Model } from '../llm/model.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { SandboxPool } from './pool.js';
import type { ProgramArgs, SourceText, TestsArgs, Workspace } from './workspace.js';

/** What every tool handler works with; one per server process, shared by all sessions. */
export interface ToolContext {
  workspace: Workspace;
  pool: SandboxPool;
  /** The server's default limits (its --time-limit); a call's timeLimitMs overrides the time. */
  limits: LimitsInput;
  /** Present when a model is configured (--model or LDB_MODEL): the fix tool exists only then. */
  models?: ModelSource;
}

export interface ModelSource {
  /** The configured model spec, e.g. `openai:gpt-4o-mini`. */
  spec: string;
  /** The model for a call: the configured one, or another the server allows (see fix.ts). */
  create(requested: string | undefined): Model;
}

/** A call's signal and progress reporting, from the MCP request it serves. */
export interface CallControl {
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

export interface CallArgs extends ProgramArgs, TestsArgs {
  entryPoint?: string | undefined;
  timeLimitMs?: number | undefined;
}

export function limitsFor(context: ToolContext, args: { timeLimitMs?: number | undefined }, extra: LimitsInput = {}): LimitsInput {
  return { ...context.limits, ...extra, ...(args.timeLimitMs !== undefined ? { timeMs: args.timeLimitMs } : {}) };
}

export interface ProgramAndTests {
  program: SourceText;
  cases: TestCase[];
  tests: SourceText;
}

export async function programAndTests(context: ToolContext, args: CallArgs): Promise<ProgramAndTests> {
  const program = await context.workspace.program(args);
  const { cases, source } = await context.workspace.testCases(args);
  return { program, cases, tests: source };
}

/** The case a `test` argument names: an index into the tests, or an assertion given as text. */
export async function chosenTest(context: ToolContext, args: CallArgs & { test: string | number }): Promise<TestCase | string> {
  if (typeof args.test === 'string') return args.test;
  if (args.tests === undefined && args.testsPath === undefined) {
    throw new InputError(`test ${args.test} is a case index: give the tests (tests or testsPath) it indexes into, or give the assertion itself as test`);
  }
  const { cases } = await context.workspace.testCases(args);
  const chosen = cases[args.test];
  if (!chosen) throw new InputError(`there is no test case ${args.test}: the tests have ${cases.length} case(s), numbered from 0`);
  return chosen;
}
