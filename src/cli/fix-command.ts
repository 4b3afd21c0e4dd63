import { runTests } from '../api.js';
import { debug } from '../debugger/loop.js';
import type { DebugEvent, DebugLevel, DebugResult } from '../debugger/result.js';
import type { TestCase } from '../cases/split.js';
import { ParseError } from '../errors.js';
import { createModel } from '../llm/create.js';
import { findPrice, loadPrices } from '../llm/pricing.js';
import { parseModelSpec } from '../llm/spec.js';
import type { LimitsInput } from '../sandbox/limits.js';
import type { CommandRun } from './command.js';
import { limitsFrom, modelOptionsFrom, modelSpecFrom } from './common-options.js';
import type { CliIO } from './io.js';
import { formatEvent, formatResult } from './format-fix.js';
import { collectTestCases, expectProgramAndTests, readInput } from './inputs.js';
import { UsageError, type OptionValues } from './options.js';
import { createStyle, wantsColor } from './style.js';

interface FixArgs {
  file: string;
  testsFile?: string;
  inlineTests: string[];
  model: string;
  level: DebugLevel;
  maxIterations: number;
  tokenBudget?: number;
  promptFile?: string;
  entryPoint?: string;
  write: boolean;
  json: boolean;
  color?: boolean;
  limits: LimitsInput;
}

const DEFAULT_MAX_ITERATIONS = 10;

export const runFix: CommandRun = async ({ values, positionals }, io) => {
  const args = fixArgs(values, positionals, io.env);
  const code = await readInput(io, args.file, 'program');
  const tests = await collectTestCases(io, args.testsFile, args.inlineTests, false);
  const prompt = args.promptFile ? await readInput(io, args.promptFile, 'prompt') : undefined;
  if (args.entryPoint !== undefined) await checkEntryPoint(code, args.file, args.entryPoint);
  const model = createModel(args.model, modelOptionsFrom(values, io.env, (message) => io.stderr(`ldb: ${message}\n`)));
  const style = createStyle(wantsColor(io.env, io.isTTY, args.color));
  const labels = { maxIterations: args.maxIterations };
  const onEvent = args.json ? undefined : (event: DebugEvent) => io.stdout(formatEvent(event, style, labels));
  const result = await debug({
    code,
    tests,
    prompt,
    entryPoint: args.entryPoint,
    filename: args.file,
    model,
    level: args.level,
    maxIterations: args.maxIterations,
    tokenBudget: args.tokenBudget,
    limits: args.limits,
    onEvent,
  });
  const written = args.write ? await writeBack(io, args.file, code, result) : undefined;
  const priced = hasKnownPrice(args.model, io.env);
  if (args.json) io.stdout(`${JSON.stringify({ file: args.file, model: model.id, written, ...result }, null, 2)}\n`);
  else io.stdout(formatResult(result, { file: args.file, written, write: args.write, priced }, style));
  return result.solved ? 0 : 1;
};

function fixArgs(values: OptionValues, positionals: string[], env: NodeJS.ProcessEnv): FixArgs {
  const testsFile = values.tests as string | undefined;
  const inlineTests = values.test as string[];
  const file = expectProgramAndTests('fix', positionals, testsFile, inlineTests);
  const model = modelSpecFrom(values.model as string | undefined, env);
  if (!model) throw new UsageError('fix', 'no model given; pass --model <spec> (e.g. openai:gpt-4o-mini) or set LDB_MODEL');
  return {
    file,
    testsFile,
    inlineTests,
    model,
    level: (values.level as DebugLevel | undefined) ?? 'block',
    maxIterations: (values['max-iters'] as number | undefined) ?? DEFAULT_MAX_ITERATIONS,
    tokenBudget: values.budget as number | undefined,
    promptFile: values.prompt as string | undefined,
    entryPoint: values.entry as string | undefined,
    write: values.write === true,
    json: values.json === true,
    color: values.color as boolean | undefined,
    limits: limitsFrom(values),
  };
}

/**
 * A missing entry point fails before any model call, with trace's "did you mean". A program that
 * does not parse is left to the loop: fixing it is the model's job.
 */
async function checkEntryPoint(code: string, filename: string, entryPoint: string): Promise<void> {
  const noCases: TestCase[] = [];
  try {
    await runTests({ code, filename, tests: noCases, entryPoint });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
  }
}

/** A cached reply costs nothing, but a model whose price ldb does not know still has an unknown cost. */
function hasKnownPrice(spec: string, env: NodeJS.ProcessEnv): boolean {
  try {
    const config = parseModelSpec(spec, env);
    return config.protocol !== 'exec' && findPrice(config.model, loadPrices({ env })) !== undefined;
  } catch {
    return false;
  }
}

/** Replaces the user's file only with a program that passes every visible test, keeping a backup. */
async function writeBack(io: CliIO, file: string, original: string, result: DebugResult): Promise<{ file: string; backup: string } | undefined> {
  if (!result.solved || result.best.code === original) return undefined;
  if (!io.writeFile) throw new UsageError('fix', '--write is not available here');
  const backup = await freeBackupName(io, file);
  await io.writeFile(backup, original);
  await io.writeFile(file, result.best.code);
  return { file, backup };
}

async function freeBackupName(io: CliIO, file: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${file}.orig` : `${file}.orig.${n}`;
    if (!(await io.exists?.(candidate))) return candidate;
  }
}
