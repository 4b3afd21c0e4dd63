import { InputError } from '../errors.js';
import type { Problem } from '../cases/datasets.js';

/**
 * Programs written by another system, keyed by task id. Accepted shapes:
 * - JSONL of `{task_id, solution}` (evalplus: the whole program) or `{task_id, completion}`
 *   (evalplus, human-eval: the body that follows the prompt), also `program`, `code`,
 *   `generation`, and `name` for MultiPL-E ids; the first sample of a task wins.
 * - bigcode-evaluation-harness `generations.json`: a JSON array with one array of programs
 *   (prompt included) per problem, in the dataset's order.
 */
export function readSeeds(text: string, problems: Problem[], source: string): Map<string, string> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return bigcodeSeeds(trimmed, problems, source);
  const byId = new Map(problems.map((p) => [p.id, p]));
  const seeds = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${source}:${i + 1}`;
    const record = parseObject(line, where);
    const id = stringField(record, ['task_id', 'name']);
    if (id === undefined) throw new InputError(`${where}: a seed needs a "task_id" (or "name") field`);
    if (seeds.has(id)) return;
    const program = seedProgram(record, byId.get(id));
    if (program === undefined) {
      throw new InputError(`${where}: no program in the record; expected one of "solution", "completion", "program", "code", "generation"`);
    }
    seeds.set(id, program);
  });
  return seeds;
}

function seedProgram(record: Record<string, unknown>, problem: Problem | undefined): string | undefined {
  const whole = stringField(record, ['solution', 'program', 'code', 'generation']);
  if (whole !== undefined) return whole;
  const completion = stringField(record, ['completion']);
  if (completion === undefined) return undefined;
  // human-eval style: the completion continues the prompt, unless the model repeated it.
  return problem && !completion.includes(problem.prompt.trim()) ? problem.prompt + completion : completion;
}

function bigcodeSeeds(text: string, problems: Problem[], source: string): Map<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) throw new InputError(`${source}: expected an array of arrays of programs (bigcode generations.json)`);
  if (value.length !== problems.length) {
    throw new InputError(`${source}: ${value.length} entries for ${problems.length} problems; bigcode generations follow the dataset's order, one entry per problem`);
  }
  const seeds = new Map<string, string>();
  value.forEach((samples, i) => {
    const first = Array.isArray(samples) ? samples[0] : samples;
    if (typeof first === 'string') seeds.set(problems[i]!.id, first);
  });
  return seeds;
}

function parseObject(line: string, where: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new InputError(`${where}: not a JSON object`);
}

function stringField(record: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}
