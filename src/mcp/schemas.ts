import { z } from 'zod';

// Input and output schemas of the tools. Tool and field names are a contract with agents'
// configurations and prompts: add fields, never rename them.

const MAX_TIME_LIMIT_MS = 60_000;

const programFields = {
  program: z.string().optional().describe('The program text (JavaScript or TypeScript). Give this or programPath.'),
  programPath: z.string().optional().describe("Path of the program file, relative to the server's root."),
  filename: z
    .string()
    .optional()
    .describe('Name used for a program given as text, in messages; its extension picks JS or TS (default program.js).'),
  entryPoint: z.string().optional().describe('The function the tests call; checked before anything runs.'),
  timeLimitMs: z.number().int().min(1).max(MAX_TIME_LIMIT_MS).optional().describe('Time limit per test case in ms (default 3000).'),
};

const testsFields = {
  tests: z
    .string()
    .optional()
    .describe('A test script: top-level assertions (assert.*, console.assert), each run as its own case. Give this or testsPath.'),
  testsPath: z.string().optional().describe("Path of the test script, relative to the server's root."),
};

const levelField = z
  .enum(['line', 'block', 'function'])
  .optional()
  .describe('How finely the run is shown and judged: a step per line, per basic block (default) or per call.');

const testField = z
  .union([z.string(), z.number().int().min(0)])
  .describe('The test to trace: one assertion (e.g. "assert.strictEqual(f(3), 6)") or a case index (0-based, as run_tests lists them; needs tests or testsPath).');

export const runTestsInput = z.object({ ...programFields, ...testsFields });

export const traceTestInput = z.object({
  ...programFields,
  ...testsFields,
  test: testField,
  level: levelField,
  from: z.number().int().min(1).optional().describe('First step to return (1-based); page through a long run with the nextFrom of the previous answer.'),
  maxSteps: z.number().int().min(1).max(500).optional().describe('Steps per page (default 50).'),
});

export const queryTraceInput = z.object({
  ...programFields,
  ...testsFields,
  test: testField,
  level: levelField,
  variable: z.string().optional().describe('A variable name: its value at every step that recorded it (with block: at every visit of that block).'),
  block: z.string().optional().describe('A block id from the trace (e.g. "sumTo#3"): only its visits.'),
  where: z
    .string()
    .optional()
    .describe('A JavaScript expression over the recorded variables, e.g. "total > 10" or "Number.isNaN(x)": the steps where it holds. Evaluated in the sandbox.'),
  maxResults: z.number().int().min(1).max(1000).optional().describe('Matches returned (default 100); matchCount counts them all in the searched steps.'),
  from: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Search from this step on (1-based). A long run is searched a bounded stretch per call: continue with the nextFrom of the previous answer.'),
});

export const debugContextInput = z.object({
  ...programFields,
  ...testsFields,
  task: z.string().optional().describe('What the program is meant to do (default: its own comments).'),
  level: levelField,
  caseIndex: z.number().int().min(0).optional().describe('The failing case to judge (default: the first that fails).'),
});

export const checkVerdictsInput = debugContextInput.extend({
  verdicts: z
    .union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
    .describe('The verdicts: [{"block": "<id>", "correct": true|false, "explanation": "..."}], {"verdicts": [...]}, or the reply text holding them.'),
});

export const checkPatchInput = z.object({
  ...programFields,
  ...testsFields,
  original: z.string().optional().describe('The program before the patch, for the diff.'),
  originalPath: z.string().optional().describe("Path of the program before the patch, relative to the server's root."),
});

export const fixInput = z.object({
  ...programFields,
  ...testsFields,
  task: z.string().optional().describe('What the program is meant to do (default: its own comments).'),
  model: z.string().optional().describe("A model of the server's provider (default: the server's --model)."),
  maxIterations: z.number().int().min(1).max(20).optional().describe('Debugging turns (default 3).'),
  level: levelField,
});

// ---- outputs -------------------------------------------------------------------------------

export const outcomeOutput = z.object({
  kind: z.enum(['pass', 'fail', 'error', 'timeout', 'memory']),
  summary: z.string(),
  message: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  name: z.string().optional(),
  loc: z.object({ file: z.string().optional(), line: z.number(), column: z.number() }).optional(),
  limitMs: z.number().optional(),
  limitMb: z.number().optional(),
});

const caseOutput = z.object({
  index: z.number(),
  source: z.string(),
  line: z.number(),
  outcome: outcomeOutput,
  console: z.array(z.string()),
  durationMs: z.number(),
});

export const runTestsOutput = z.object({
  passed: z.number(),
  failed: z.number(),
  total: z.number(),
  cases: z.array(caseOutput),
});

export const stepOutput = z.object({
  step: z.number(),
  block: z.string(),
  line: z.number().nullable(),
  depth: z.number(),
  vars: z.record(z.string(), z.string()),
  changed: z.array(z.string()),
  exit: z.enum(['return', 'throw', 'interrupted']).optional(),
  value: z.string().optional(),
  test: z.boolean().optional(),
});

export const traceTestOutput = z.object({
  test: z.string(),
  outcome: outcomeOutput,
  totalSteps: z.number(),
  from: z.number(),
  steps: z.array(stepOutput),
  nextFrom: z.number().nullable(),
  notRecorded: z.object({ from: z.number(), to: z.number() }).nullable(),
  compact: z.object({ text: z.string(), tokens: z.number(), omitted: z.array(z.string()) }).nullable(),
  returnValue: z.string().optional(),
  console: z.array(z.string()),
});

export const queryTraceOutput = z.object({
  totalSteps: z.number(),
  /** The steps searched, in order from `from`: all of the run's steps after it unless nextFrom is set. */
  searched: z.object({ from: z.number(), to: z.number() }),
  nextFrom: z.number().nullable(),
  matchCount: z.number(),
  matches: z.array(
    z.object({
      step: z.number(),
      block: z.string(),
      line: z.number().nullable(),
      value: z.string().optional(),
      changed: z.boolean().optional(),
      vars: z.record(z.string(), z.string()).optional(),
    }),
  ),
  errors: z.object({ steps: z.number(), first: z.string() }).nullable(),
});

const targetOutput = z.object({
  id: z.string(),
  kind: z.enum(['block', 'line', 'call']),
  label: z.string(),
  lines: z.object({ start: z.number(), end: z.number() }),
});

export const debugContextOutput = z.object({
  failing: z.boolean(),
  caseIndex: z.number().nullable(),
  test: z.string().nullable(),
  failure: z.string().nullable(),
  level: z.enum(['line', 'block', 'function']),
  targets: z.array(targetOutput),
  trace: z.string().nullable(),
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
  verdictShape: z.string(),
});

export const checkVerdictsOutput = z.object({
  ok: z.boolean(),
  error: z.string().nullable(),
  warnings: z.array(z.string()),
  verdicts: z.array(z.object({ block: z.string(), correct: z.boolean(), explanation: z.string() })),
  expected: z.array(z.string()),
  missing: z.array(z.string()),
});

export const checkPatchOutput = runTestsOutput.extend({
  defines: z.object({ called: z.array(z.string()), missing: z.array(z.string()) }),
  diff: z.string().nullable(),
});

export const fixOutput = z.object({
  solved: z.boolean(),
  stopReason: z.string(),
  iterations: z.number(),
  best: z.object({ code: z.string(), passed: z.number(), total: z.number(), iteration: z.number() }),
  diff: z.string(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number(), calls: z.number(), costUsd: z.number().nullable() }),
});

export type RunTestsInput = z.infer<typeof runTestsInput>;
export type TraceTestInput = z.infer<typeof traceTestInput>;
export type QueryTraceInput = z.infer<typeof queryTraceInput>;
export type DebugContextInput = z.infer<typeof debugContextInput>;
export type CheckVerdictsInput = z.infer<typeof checkVerdictsInput>;
export type CheckPatchInput = z.infer<typeof checkPatchInput>;
export type FixInput = z.infer<typeof fixInput>;
export type OutcomeOutput = z.infer<typeof outcomeOutput>;
export type StepOutput = z.infer<typeof stepOutput>;
export type RunTestsOutput = z.infer<typeof runTestsOutput>;
