import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { BUNDLED_DATASETS, readProblems, resolveDataset, type Problem } from '../cases/datasets.js';
import type { DebugLevel } from '../debugger/result.js';
import { InputError } from '../errors.js';
import { stableJson } from '../llm/cache.js';
import { createModel, type CreateModelOptions } from '../llm/create.js';
import type { Model } from '../llm/model.js';
import { rateLimitedFetch } from './rate-limit.js';
import type { BenchMethod, BenchMode, RecordOptions } from './record.js';
import { runBench, type BenchEvent, type BenchRunOutcome, type IndexedProblem } from './runner.js';
import { readSeeds } from './seeds.js';
import { inShard, type Shard } from './shard.js';

export interface BenchOptions {
  /** A JSONL path or a bundled data set's name. */
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
  resume: boolean;
  timeLimitMs?: number;
  problemTimeoutMs: number;
  /** How to reach the model (keys, cache, retries ...), as the CLI's model options give them. */
  modelOptions?: CreateModelOptions;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  onEvent?: (event: BenchEvent) => void;
  /** Replaces createModel (tests, the benchmark's zero-latency model). */
  modelOverride?: Model;
}

/** Loads the set, picks this run's problems (--ids, --limit, then the shard) and runs them. */
export async function bench(options: BenchOptions): Promise<BenchRunOutcome & { selected: number }> {
  const path = resolveDataset(options.dataset);
  const text = await readDataset(path);
  const problems = readProblems(text, { source: path, firstTestVisible: true });
  const selected = selectProblems(problems, options);
  const seeds = options.mode === 'seeds' ? await loadSeeds(options.seedsPath, problems) : undefined;
  const recordOptions: RecordOptions = {
    dataset: datasetName(options.dataset, path),
    dataset_sha256: sha256(text),
    mode: options.mode,
    method: options.method,
    model: options.model,
    level: options.level,
    max_iters: options.maxIterations,
    budget: options.tokenBudget ?? null,
    time_limit_ms: options.timeLimitMs ?? null,
    seeds: seeds ? seeds.hash : null,
  };
  const model = options.modelOverride ?? createModel(options.model, {
    env: options.env,
    ...options.modelOptions,
    ...(options.rpm ? { fetch: rateLimitedFetch(options.rpm) } : {}),
  });
  const outcome = await runBench({
    problems: selected,
    solve: {
      mode: options.mode,
      method: options.method,
      level: options.level,
      maxIterations: options.maxIterations,
      tokenBudget: options.tokenBudget,
      limits: { timeMs: options.timeLimitMs },
      model,
      seeds: seeds?.programs,
      recordOptions,
      optionsKey: sha256(stableJson(recordOptions)),
      version: ldbVersion(),
    },
    concurrency: options.concurrency,
    resultsPath: options.out,
    resume: options.resume,
    problemTimeoutMs: options.problemTimeoutMs,
    signal: options.signal,
    onEvent: options.onEvent,
  });
  return { ...outcome, selected: selected.length };
}

function selectProblems(problems: Problem[], options: BenchOptions): IndexedProblem[] {
  let chosen = problems.map((problem, index) => ({ problem, index }));
  if (options.ids) {
    const known = new Set(problems.map((p) => p.id));
    const unknown = options.ids.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new InputError(`--ids: no problem ${unknown.join(', ')} in ${options.dataset}`);
    const wanted = new Set(options.ids);
    chosen = chosen.filter((p) => wanted.has(p.problem.id));
  }
  if (options.limit !== undefined) chosen = chosen.slice(0, options.limit);
  return chosen.filter((p) => inShard(p.problem.id, options.shard));
}

async function readDataset(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`${path}: cannot read the dataset (${reason}); give a JSONL path or a bundled name (${BUNDLED_DATASETS.join(', ')})`);
  }
}

async function loadSeeds(path: string | undefined, problems: Problem[]): Promise<{ programs: Map<string, string>; hash: string }> {
  if (!path) throw new InputError('--mode seeds needs --seeds <file> (JSONL of task_id + solution/completion, or bigcode generations.json)');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the seeds file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { programs: readSeeds(text, problems, path), hash: sha256(text) };
}

function datasetName(given: string, path: string): string {
  return path === given ? basename(path) : given.replace(/\.jsonl$/, '');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function ldbVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}
