import { InputError } from '../errors.js';
import type { ResultRecord } from './record.js';
import { readResults } from './results-file.js';

export interface MergeInput {
  path: string;
  records: ResultRecord[];
}

/** Reads shard files for merging: a torn or damaged file is refused (resume that shard first). */
export async function readForMerge(paths: string[]): Promise<MergeInput[]> {
  const inputs: MergeInput[] = [];
  for (const path of paths) {
    const read = await readResults(path);
    if (read.torn) throw new InputError(`${path}: its last line is incomplete (the run was killed); finish it with --resume before merging`);
    inputs.push({ path, records: read.records });
  }
  return inputs;
}

/**
 * Combines shard results into one run, in dataset order. Refuses files made with different
 * options (model, mode, method, level, ...) and any task that appears twice, within a file or across files.
 */
export function mergeResults(inputs: MergeInput[]): ResultRecord[] {
  const all = inputs.flatMap((input) => input.records.map((record) => ({ path: input.path, record })));
  const first = all[0];
  if (!first) throw new InputError('ldb bench merge: the files hold no results');
  const mixed = all.find((entry) => entry.record.options_key !== first.record.options_key);
  if (mixed) {
    throw new InputError(
      `ldb bench merge: ${mixed.path} was run with other options than ${first.path} ` +
        `(${differences(first.record, mixed.record).join('; ')}); results of different runs cannot be merged`,
    );
  }
  const seen = new Map<string, string>();
  const overlaps: string[] = [];
  for (const { path, record } of all) {
    const other = seen.get(record.task_id);
    if (other !== undefined) overlaps.push(`${record.task_id} (${other} and ${path})`);
    seen.set(record.task_id, path);
  }
  if (overlaps.length > 0) {
    const shown = overlaps.slice(0, 5).join(', ');
    throw new InputError(`ldb bench merge: ${overlaps.length} task(s) appear more than once: ${shown}${overlaps.length > 5 ? ', ...' : ''}; the files overlap`);
  }
  return all.map((entry) => entry.record).sort((a, b) => a.index - b.index || (a.task_id < b.task_id ? -1 : 1));
}

function differences(a: ResultRecord, b: ResultRecord): string[] {
  const keys = new Set([...Object.keys(a.options), ...Object.keys(b.options)]) as Set<keyof ResultRecord['options']>;
  const found = [...keys].filter((key) => a.options[key] !== b.options[key]).map((key) => `${key}: ${String(a.options[key])} vs ${String(b.options[key])}`);
  return found.length > 0 ? found : ['ldb versions or options hash differ'];
}
