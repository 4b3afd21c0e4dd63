// `ldb bench`'s parsed flags (from the options table in bench-options.ts) turned into plain data.
import type { BenchOptions } from '../bench/bench.js';
import type { BenchMethod, BenchMode } from '../bench/record.js';
import { parseShard, shardFromEnv } from '../bench/shard.js';
import type { DebugLevel } from '../debugger/result.js';
import type { CreateModelOptions } from '../llm/create.js';
import { modelOptionsFrom, modelSpecFrom } from './common-options.js';
import { UsageError, type OptionValues } from './options.js';

/** A run's options as the flags give them: BenchOptions less what the command supplies itself. */
export interface BenchRunArgs extends Omit<BenchOptions, 'modelOptions' | 'env' | 'signal' | 'onEvent'> {
  kind: 'run';
  modelOptions: CreateModelOptions;
  summaryPath: string;
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

export type BenchArgs = BenchRunArgs | BenchMergeArgs | BenchCompareArgs | BenchReportArgs;

export function benchArgs(values: OptionValues, positionals: string[], env: NodeJS.ProcessEnv, onNotice: (message: string) => void): BenchArgs {
  const [first, ...rest] = positionals;
  const text = (name: string) => values[name] as string | undefined;
  if (first === 'merge') {
    if (rest.length === 0) throw usage('merge: give the shard result files to merge');
    const out = text('out');
    if (!out) throw usage('merge: pass --out <file> for the merged results');
    if (rest.includes(out)) throw usage('merge: --out must not be one of the inputs');
    return { kind: 'merge', files: rest, out };
  }
  if (first === 'compare') {
    if (rest.length !== 2) throw usage('compare: give exactly two result files (e.g. ldb.jsonl baseline.jsonl)');
    return { kind: 'compare', a: rest[0]!, b: rest[1]!, json: values.json === true };
  }
  if (first === 'report') {
    if (rest.length < 1 || rest.length > 2) throw usage('report: give one result file, or two to compare');
    return { kind: 'report', files: rest, html: text('html'), json: values.json === true };
  }
  return runArgs(values, positionals, env, onNotice);
}

function runArgs(values: OptionValues, positionals: string[], env: NodeJS.ProcessEnv, onNotice: (message: string) => void): BenchRunArgs {
  if (positionals.length !== 1) {
    const got = positionals.length === 0 ? 'none' : positionals.join(' ');
    throw usage(`expected one dataset (a JSONL file or humanevalpack-js, multipl-e-humaneval-js, multipl-e-mbpp-js), got ${got}`);
  }
  const model = modelSpecFrom(values.model as string | undefined, env);
  if (!model) throw usage('no model given; pass --model <spec> (e.g. openai:gpt-4o-mini) or set LDB_MODEL');
  const mode = (values.mode as BenchMode | undefined) ?? 'fix';
  const seedsPath = values.seeds as string | undefined;
  if (mode === 'seeds' && !seedsPath) throw usage('--mode seeds needs --seeds <file>');
  const out = (values.out as string | undefined) ?? 'ldb-bench.jsonl';
  const count = (name: string) => values[name] as number | undefined;
  const ids = values.ids as string | undefined;
  const shard = values.shard as string | undefined;
  return {
    kind: 'run',
    dataset: positionals[0]!,
    model,
    modelOptions: modelOptionsFrom(values, env, onNotice),
    mode,
    method: (values.method as BenchMethod | undefined) ?? 'ldb',
    level: (values.level as DebugLevel | undefined) ?? 'block',
    maxIterations: count('max-iters') ?? 10,
    tokenBudget: count('budget'),
    concurrency: count('concurrency') ?? 1,
    rpm: count('rpm'),
    limit: count('limit'),
    ids: ids === undefined ? undefined : ids.split(',').map((id) => id.trim()).filter(Boolean),
    shard: shard !== undefined ? parseShard(shard) : shardFromEnv(env),
    seedsPath,
    out,
    summaryPath: (values.summary as string | undefined) ?? `${out.replace(/\.jsonl$/, '')}.summary.json`,
    resume: values.resume === true,
    timeLimitMs: count('time-limit'),
    problemTimeoutMs: (count('problem-timeout') ?? 600) * 1000,
    json: values.json === true,
  };
}

function usage(problem: string): UsageError {
  return new UsageError('bench', problem);
}
