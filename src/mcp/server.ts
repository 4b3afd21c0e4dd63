import { McpServer, type ServerContext } from '@modelcontextprotocol/server';
import type { CreateModelOptions } from '../llm/create.js';
import type { Env } from '../llm/spec.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { CallControl, ToolContext } from './context.js';
import { SandboxPool } from './pool.js';
import { toolError, type ToolResult } from './results.js';
import * as schemas from './schemas.js';
import { fixTool, modelSource } from './tools/fix.js';
import { checkVerdictsTool, debugContextTool } from './tools/judge.js';
import { queryTraceTool } from './tools/query.js';
import { checkPatchTool, runTestsTool } from './tools/run.js';
import { traceTestTool } from './tools/trace.js';
import { Workspace } from './workspace.js';

export const INSTRUCTIONS = `ldb runs JavaScript/TypeScript tests in a sandbox and records every basic block's variables, so you can debug the way the LDB method does (you are the model that judges the blocks).
Workflow: 1. run_tests to see which cases fail. 2. trace_test on a failing case (an assertion, or its index) to read the run block by block; page long runs with from. 3. query_trace to ask about the run: a variable at every visit of a block, or where an expression holds ("when did total become NaN"). 4. debug_context gives the judging prompt (task, numbered program, failing test, compacted trace, block ids); judge each block, and check_verdicts validates your verdicts against the real ids. 5. Patch the wrong blocks and check_patch: tests, whether the patch still defines what the tests call, and the diff.
Programs and tests are passed as text or as paths relative to the server's root. Steps are numbered from 1, test cases from 0.`;

export interface LdbMcpOptions {
  /** Directory the path arguments are read from; nothing outside it is read. */
  root: string;
  /** Model spec for the fix tool; without it (and without LDB_MODEL in env) there is no fix tool. */
  model?: string;
  env?: Env;
  /** How the fix tool's model is reached (retries, timeouts, cache, key variable); `env` wins. */
  modelOptions?: CreateModelOptions;
  /** Tool calls that run user code at once (one sandbox server each); default 2. */
  maxConcurrency?: number;
  limits?: LimitsInput;
  version: string;
}

/** The state shared by every session of one server: the workspace, the sandbox pool, the model. */
export interface LdbToolbox {
  context: ToolContext;
  version: string;
  dispose(): void;
}

export function createToolbox(options: LdbMcpOptions): LdbToolbox {
  const env = options.env ?? process.env;
  const spec = options.model ?? env.LDB_MODEL;
  const pool = new SandboxPool(options.maxConcurrency ?? 2);
  const context: ToolContext = {
    workspace: new Workspace(options.root),
    pool,
    limits: options.limits ?? {},
    ...(spec ? { models: modelSource(spec, { ...options.modelOptions, env }) } : {}),
  };
  return { context, version: options.version, dispose: () => pool.dispose() };
}

type Handler<I> = (context: ToolContext, args: I, control: CallControl) => Promise<ToolResult>;

/** One MCP server (one per client session) over the shared toolbox. */
export function createLdbMcpServer(toolbox: LdbToolbox): McpServer {
  const server = new McpServer({ name: 'ldb', version: toolbox.version }, { instructions: INSTRUCTIONS });
  // Every failure becomes a tool error the agent can read; nothing a call does can take the server down.
  const guard =
    <I>(handler: Handler<I>) =>
    async (args: I, ctx: ServerContext): Promise<ToolResult> => {
      try {
        return await handler(toolbox.context, args, controlOf(ctx));
      } catch (error) {
        return toolError(error);
      }
    };
  const readOnly = { readOnlyHint: true, openWorldHint: false };
  server.registerTool('run_tests', {
    title: 'Run tests',
    description: 'Run every assertion of a test script as its own case on the program, in the sandbox. Returns each case: pass, or expected vs actual, the error and its line, a timeout; and its console output.',
    inputSchema: schemas.runTestsInput,
    outputSchema: schemas.runTestsOutput,
    annotations: readOnly,
  }, guard(runTestsTool));
  server.registerTool('trace_test', {
    title: 'Trace a test',
    description: 'Run one test on the instrumented program and return its trace: the compacted text ldb shows its model (first page only) and the steps as data (block id, line, variables after the block, changed ones). Page through long runs with from and maxSteps.',
    inputSchema: schemas.traceTestInput,
    outputSchema: schemas.traceTestOutput,
    annotations: readOnly,
  }, guard(traceTestTool));
  server.registerTool('query_trace', {
    title: 'Query a recorded run',
    description: 'Ask about one test\'s run: a variable\'s value at every visit of a block (variable, block), or the steps where a JavaScript expression over the recorded variables holds (where: "total > 10", "Number.isNaN(x)"). The expression runs in the sandbox.',
    inputSchema: schemas.queryTraceInput,
    outputSchema: schemas.queryTraceOutput,
    annotations: readOnly,
  }, guard(queryTraceTool));
  server.registerTool('debug_context', {
    title: 'Context to judge a failing run',
    description: 'What a model needs to judge the first failing test the LDB way: the prompt ldb itself sends (task, numbered program, failing test and outcome, compacted trace), the ids of the blocks to judge and the verdict JSON shape.',
    inputSchema: schemas.debugContextInput,
    outputSchema: schemas.debugContextOutput,
    annotations: readOnly,
  }, guard(debugContextTool));
  server.registerTool('check_verdicts', {
    title: 'Check verdicts',
    description: 'Validate verdicts on a failing run (same program, tests and level as debug_context) against its real block ids: what is malformed, unknown, duplicated or missing.',
    inputSchema: schemas.checkVerdictsInput,
    outputSchema: schemas.checkVerdictsOutput,
    annotations: readOnly,
  }, guard(checkVerdictsTool));
  server.registerTool('check_patch', {
    title: 'Check a patch',
    description: 'Run the tests on a patched program, check that it still defines what the tests call (or entryPoint), and diff it against the original when given.',
    inputSchema: schemas.checkPatchInput,
    outputSchema: schemas.checkPatchOutput,
    annotations: readOnly,
  }, guard(checkPatchTool));
  if (toolbox.context.models) {
    server.registerTool('fix', {
      title: 'Fix with ldb\'s model',
      description: 'Run ldb\'s whole debugging loop (trace, judge, patch, test; repeat) with the server\'s model. Reports progress; can be cancelled. Returns the best program and its diff; writes no file.',
      inputSchema: schemas.fixInput,
      outputSchema: schemas.fixOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
    }, guard(fixTool));
  }
  return server;
}

function controlOf(ctx: ServerContext): CallControl {
  const token = ctx.mcpReq._meta?.progressToken;
  let progress = 0;
  return {
    signal: ctx.mcpReq.signal,
    progress:
      token === undefined
        ? undefined
        : (message) => {
            progress += 1;
            void ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, message } }).catch(() => undefined);
          },
  };
}
