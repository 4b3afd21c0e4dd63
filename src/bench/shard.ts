import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
  /** Where it came from: '--shard', 'JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID' ... */
  source: string;
}

/** Parses `i/n` (1-based, as people count shards: 1/3, 2/3, 3/3). */
export function parseShard(text: string, source = '--shard'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InputError(`${source}: expected i/n with 1 <= i <= n (e.g. 2/3), got '${text}'`);
  }
  return { index, count, source };
}

/**
 * The shard the engine running us assigned, when --shard is not given:
 * - Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based) with the job's `completions` in
 *   LDB_SHARD_COUNT (Kubernetes does not put the count in the environment; the manifest does).
 * - Slurm job array: SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (ids may start at
 *   SLURM_ARRAY_TASK_MIN and step by SLURM_ARRAY_TASK_STEP, e.g. --array=1-8).
 * - Anything else (a CI matrix): LDB_SHARD=i/n.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | undefined {
  if (env.LDB_SHARD?.trim()) return parseShard(env.LDB_SHARD, 'LDB_SHARD');
  const k8s = env.JOB_COMPLETION_INDEX?.trim();
  if (k8s) {
    const count = env.LDB_SHARD_COUNT?.trim();
    if (!count) {
      throw new InputError(
        'JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not the number of shards: set LDB_SHARD_COUNT to the ' +
          "job's spec.completions, or pass --shard i/n",
      );
    }
    return zeroBased(k8s, count, 'JOB_COMPLETION_INDEX');
  }
  const slurm = env.SLURM_ARRAY_TASK_ID?.trim();
  const slurmCount = env.SLURM_ARRAY_TASK_COUNT?.trim();
  if (slurm && slurmCount) {
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    const step = Number(env.SLURM_ARRAY_TASK_STEP ?? 1) || 1;
    return zeroBased(String((Number(slurm) - min) / step), slurmCount, 'SLURM_ARRAY_TASK_ID');
  }
  return undefined;
}

function zeroBased(index: string, count: string, source: string): Shard {
  const i = Number(index);
  const n = Number(count);
  if (!Number.isInteger(i) || !Number.isInteger(n) || n < 1 || i < 0 || i >= n) {
    throw new InputError(`${source}: index ${index} is not a shard of ${count} (expected 0 <= index < count)`);
  }
  return { index: i + 1, count: n, source };
}

/**
 * Whether a task belongs to a shard: by a hash of its id, so the slices do not depend on the
 * file's order, on --limit or on which shard runs first, and every task lands in exactly one.
 */
export function inShard(taskId: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count === 1) return true;
  const hash = createHash('sha256').update(taskId).digest();
  return hash.readUInt32BE(0) % shard.count === shard.index - 1;
}
