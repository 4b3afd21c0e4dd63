import { parseArgs } from 'node:util';
import { debug } from '../debugger/loop.js';
import type { DebugEvent, DebugLevel, DebugResult } from '../debugger/result.js';
import { InputError } from '../errors.js';
import { createModel, type CreateModelOptions } from '../llm/create.js';
import { FIX_HELP } from './help.js';
import type { CliIO } from './io.js';
import { formatEvent, formatResult } from './format-fix.js';
import { collectTestCases, expectProgramAndTests, parseCommandLine, readInput, positiveInteger, wholeNumber } from './inputs.js';
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
  cache: boolean;
  color?: boolean;
  timeMs?: number;
  retries?: number;
  requestTimeoutMs?: number;
  /** Model options of issue 14: --max-tokens, --reasoning-effort, --api-key-env, --request-deadline, --context-length. */
  modelOptions: Pick<CreateModelOptions, 'maxTokens' | 'reasoningEffort' | 'apiKeyEnv' | 'requestDeadlineMs' | 'contextLength'>;
}

export async function fixCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseFixArgs(argv, io.env);
  if (args === 'help') {
    io.stdout(FIX_HELP);
    return 0;
  }
  const code = await readInput(io, args.file, 'program');
  const tests = await collectTestCases(io, args.testsFile, args.inlineTests, false);
  const prompt = args.promptFile ? await readInput(io, args.promptFile, 'prompt') : undefined;
  const model = createModel(args.model, {
    env: io.env,
    cache: args.cache,
    maxRetries: args.retries,
    timeoutMs: args.requestTimeoutMs,
    ...args.modelOptions,
    onNotice: (message) => io.stderr(`ldb: ${message}\n`),
  });
  const style = createStyle(wantsColor(io.env, io.isTTY, args.color));
  const onEvent = args.json ? undefined : (event: DebugEvent) => io.stdout(formatEvent(event, style));
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
    limits: { timeMs: args.timeMs },
    onEvent,
  });
  const written = args.write ? await writeBack(io, args.file, code, result) : undefined;
  if (args.json) io.stdout(`${JSON.stringify({ file: args.file, model: model.id, written, ...result }, null, 2)}\n`);
  else io.stdout(formatResult(result, { file: args.file, written, write: args.write }, style));
  return result.solved ? 0 : 1;
}

/** Replaces the user's file only with a program that passes every visible test, keeping a backup. */
async function writeBack(io: CliIO, file: string, original: string, result: DebugResult): Promise<{ file: string; backup: string } | undefined> {
  if (!result.solved || result.best.code === original) return undefined;
  if (!io.writeFile) throw new InputError('ldb fix: --write is not available here');
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

function parseFixArgs(argv: string[], env: NodeJS.ProcessEnv): FixArgs | 'help' {
  const { values, positionals } = parseCommandLine('fix', () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tests: { type: 'string' },
        test: { type: 'string', multiple: true },
        model: { type: 'string', short: 'm' },
        level: { type: 'string' },
        'max-iters': { type: 'string' },
        budget: { type: 'string' },
        prompt: { type: 'string' },
        entry: { type: 'string' },
        write: { type: 'boolean' },
        json: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        'time-limit': { type: 'string' },
        retries: { type: 'string' },
        'request-timeout': { type: 'string' },
        'request-deadline': { type: 'string' },
        'max-tokens': { type: 'string' },
        'reasoning-effort': { type: 'string' },
        'api-key-env': { type: 'string' },
        'context-length': { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) return 'help';
  const file = expectProgramAndTests('fix', positionals, values.tests, values.test);
  const model = values.model ?? env.LDB_MODEL;
  if (!model) throw new InputError('ldb fix: no model given; pass --model <spec> (e.g. openai:gpt-4o-mini) or set LDB_MODEL');
  const level = values.level ?? 'block';
  if (level !== 'line' && level !== 'block' && level !== 'function') {
    throw new InputError(`ldb fix: --level must be line, block or function, got '${level}'`);
  }
  return {
    file,
    testsFile: values.tests,
    inlineTests: values.test ?? [],
    model,
    level,
    maxIterations: values['max-iters'] !== undefined ? positiveInteger(values['max-iters'], '--max-iters') : 10,
    tokenBudget: values.budget !== undefined ? positiveInteger(values.budget, '--budget') : undefined,
    promptFile: values.prompt,
    entryPoint: values.entry,
    write: values.write === true,
    json: values.json === true,
    cache: values['no-cache'] !== true,
    color: values['no-color'] ? false : undefined,
    timeMs: values['time-limit'] !== undefined ? positiveInteger(values['time-limit'], '--time-limit') : undefined,
    retries: values.retries !== undefined ? wholeNumber(values.retries, '--retries') : undefined,
    requestTimeoutMs:
      values['request-timeout'] !== undefined ? positiveInteger(values['request-timeout'], '--request-timeout') : undefined,
    modelOptions: {
      maxTokens: values['max-tokens'] !== undefined ? positiveInteger(values['max-tokens'], '--max-tokens') : undefined,
      reasoningEffort: values['reasoning-effort'],
      apiKeyEnv: values['api-key-env'],
      requestDeadlineMs: values['request-deadline'] !== undefined ? positiveInteger(values['request-deadline'], '--request-deadline') : undefined,
      contextLength: values['context-length'] !== undefined ? positiveInteger(values['context-length'], '--context-length') : undefined,
    },
  };
}
