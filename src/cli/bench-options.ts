// Flag parsing for `ldb bench` and its subcommands: argv in, plain data out (nothing runs here).
import { parseArgs } from 'node:util';
import type { BenchMethod, BenchMode } from '../bench/record.js';
import { parseShard, shardFromEnv, type Shard } from '../bench/shard.js';
import type { DebugLevel } from '../debugger/result.js';
import { InputError } from '../errors.js';
import { parseCommandLine, positiveInteger } from './inputs.js';

export interface BenchRunArgs {
  kind: 'run';
  dataset: string;
  model: string;
  mode: BenchMode;
  method: BenchMethod;
  level: DebugLevel;
  maxIterations: number;
  tokenBudget?: number;
  concurrency: number;
  rpm?: number;
  limit?: number;
  ids?: string[];
  shard?: Shard;
  seedsPath?: string;
  out: string;
  summaryPath: string;
  resume: boolean;
  timeLimitMs?: number;
  problemTimeoutMs: number;
  cache: boolean;
  json: boolean;
}

export interface BenchMergeArgs {
  kind: 'merge';
  files: string[];
  out: string;
}

export interface BenchCompareArgs {
  kind: 'compare';
  a: string;
  b: string;
  json: boolean;
}

export interface BenchReportArgs {
  kind: 'report';
  files: string[];
  html?: string;
  json: boolean;
}

export type BenchArgs = BenchRunArgs | BenchMergeArgs | BenchCompareArgs | BenchReportArgs | { kind: 'help' };

const RUN_OPTIONS = {
  model: { type: 'string', short: 'm' },
  mode: { type: 'string' },
  seeds: { type: 'string' },
  method: { type: 'string' },
  level: { type: 'string' },
  'max-iters': { type: 'string' },
  budget: { type: 'string' },
  concurrency: { type: 'string', short: 'j' },
  rpm: { type: 'string' },
  limit: { type: 'string' },
  ids: { type: 'string' },
  shard: { type: 'string' },
  out: { type: 'string', short: 'o' },
  summary: { type: 'string' },
  resume: { type: 'boolean' },
  'time-limit': { type: 'string' },
  'problem-timeout': { type: 'string' },
  'no-cache': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv): BenchArgs {
  const [first, ...rest] = argv;
  if (first === 'merge') return parseMerge(rest);
  if (first === 'compare') return parseCompare(rest);
  if (first === 'report') return parseReport(rest);
  return parseRun(argv, env);
}

function parseRun(argv: string[], env: NodeJS.ProcessEnv): BenchRunArgs | { kind: 'help' } {
  const { values, positionals } = parseCommandLine('bench', () => parseArgs({ args: argv, allowPositionals: true, options: RUN_OPTIONS }));
  if (values.help) return { kind: 'help' };
  if (positionals.length !== 1) throw usage(`expected one dataset (a JSONL file or humanevalpack-js, multipl-e-humaneval-js, multipl-e-mbpp-js), got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const model = values.model ?? env.LDB_MODEL;
  if (!model) throw usage('no model given; pass --model <spec> (e.g. openai:gpt-4o-mini) or set LDB_MODEL');
  const mode = oneOf(values.mode ?? 'fix', ['fix', 'generate', 'seeds'] as const, '--mode');
  if (mode === 'seeds' && !values.seeds) throw usage('--mode seeds needs --seeds <file>');
  const out = values.out ?? 'ldb-bench.jsonl';
  const number = (flag: keyof typeof values) => (values[flag] === undefined ? undefined : positiveInteger(String(values[flag]), `--${flag}`));
  return {
    kind: 'run',
    dataset: positionals[0]!,
    model,
    mode,
    method: oneOf(values.method ?? 'ldb', ['ldb', 'baseline'] as const, '--method'),
    level: oneOf(values.level ?? 'block', ['line', 'block', 'function'] as const, '--level'),
    maxIterations: number('max-iters') ?? 10,
    tokenBudget: number('budget'),
    concurrency: number('concurrency') ?? 1,
    rpm: number('rpm'),
    limit: number('limit'),
    ids: values.ids === undefined ? undefined : values.ids.split(',').map((id) => id.trim()).filter(Boolean),
    shard: values.shard !== undefined ? parseShard(values.shard) : shardFromEnv(env),
    seedsPath: values.seeds,
    out,
    summaryPath: values.summary ?? `${out.replace(/\.jsonl$/, '')}.summary.json`,
    resume: values.resume === true,
    timeLimitMs: number('time-limit'),
    problemTimeoutMs: (number('problem-timeout') ?? 600) * 1000,
    cache: values['no-cache'] !== true,
    json: values.json === true,
  };
}

function parseMerge(argv: string[]): BenchMergeArgs | { kind: 'help' } {
  const { values, positionals } = parseCommandLine('bench merge', () =>
    parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } }),
  );
  if (values.help) return { kind: 'help' };
  if (positionals.length === 0) throw usage('merge: give the shard result files to merge');
  if (!values.out) throw usage('merge: pass --out <file> for the merged results');
  if (positionals.includes(values.out)) throw usage('merge: --out must not be one of the inputs');
  return { kind: 'merge', files: positionals, out: values.out };
}

function parseCompare(argv: string[]): BenchCompareArgs | { kind: 'help' } {
  const { values, positionals } = parseCommandLine('bench compare', () =>
    parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }),
  );
  if (values.help) return { kind: 'help' };
  if (positionals.length !== 2) throw usage('compare: give exactly two result files (e.g. ldb.jsonl baseline.jsonl)');
  return { kind: 'compare', a: positionals[0]!, b: positionals[1]!, json: values.json === true };
}

function parseReport(argv: string[]): BenchReportArgs | { kind: 'help' } {
  const { values, positionals } = parseCommandLine('bench report', () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: { html: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }),
  );
  if (values.help) return { kind: 'help' };
  if (positionals.length < 1 || positionals.length > 2) throw usage('report: give one result file, or two to compare');
  return { kind: 'report', files: positionals, html: values.html, json: values.json === true };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usage(`${flag} must be ${allowed.join(', ')}; got '${value}'`);
}

function usage(problem: string): InputError {
  return new InputError(`ldb bench: ${problem}\nRun 'ldb bench --help' for usage.`);
}
