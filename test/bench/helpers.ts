// Shared by the bench tests: a scripted model that plays a debugger on real HumanEvalPack problems.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProblems, type Problem } from '../../src/cases/datasets.js';
import { main, processIO } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/io.js';
import type { ResultRecord } from '../../src/bench/record.js';
import { startFakeOpenAI, type FakeServer, type FakeStep, type RecordedRequest } from '../helpers/fake-openai.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/ldb.js');

export const HUMANEVALPACK = await loadProblems('humanevalpack-js');

export interface ScriptOptions {
  /** Problems whose fix is the buggy program again (stays unsolved). */
  unfixable?: Set<string>;
  /** Problems whose fix request never gets an answer. */
  hang?: Set<string>;
  /** Answer every request after this long. */
  delayMs?: number;
  /** Problems to use instead of HumanEvalPack (a hand-made dataset). */
  problems?: Problem[];
}

/**
 * Verdicts: every block the prompt lists, the last judged wrong. Fixes: the problem's canonical
 * solution, found by the prompt text the program starts with.
 */
export function debuggerScript(options: ScriptOptions = {}): (request: RecordedRequest) => FakeStep {
  const problems = options.problems ?? HUMANEVALPACK;
  const delay = options.delayMs === undefined ? {} : { delayMs: options.delayMs };
  return (request) => {
    const messages = (request.body.messages ?? []) as Array<{ content: string }>;
    const text = messages.map((m) => m.content).join('\n');
    const format = request.body.response_format as { type?: string } | undefined;
    if (format?.type === 'json_object') {
      const ids = /in this order: (.*)\.\n/.exec(text)?.[1]?.split(', ') ?? [];
      const verdicts = ids.map((id, i) => ({ block: id, correct: i < ids.length - 1, explanation: i < ids.length - 1 ? 'fine' : 'wrong result here' }));
      return { ...delay, reply: JSON.stringify({ verdicts }), usage: { prompt: 100, completion: 20 } };
    }
    const problem = problemIn(text, problems);
    if (!problem) return { ...delay, reply: 'no idea' };
    if (options.hang?.has(problem.id)) return { hang: true };
    const program = options.unfixable?.has(problem.id) ? problem.programs.buggy : problem.programs.canonical;
    return { ...delay, reply: `\`\`\`js\n${program}\n\`\`\``, usage: { prompt: 200, completion: 80 } };
  };
}

function problemIn(text: string, problems: Problem[]): Problem | undefined {
  let best: Problem | undefined;
  for (const p of problems) {
    if (text.includes(p.prompt.trim()) && (!best || p.prompt.length > best.prompt.length)) best = p;
  }
  return best;
}

export async function fakeModel(options: ScriptOptions = {}): Promise<FakeServer> {
  return startFakeOpenAI(debuggerScript(options));
}

export function modelSpec(server: FakeServer): string {
  return `openai-compatible:fake@${server.url}`;
}

export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ldb-bench-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs the CLI in-process and collects its output. */
export async function ldb(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { ...processIO(), stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export async function readRecords(path: string): Promise<ResultRecord[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ResultRecord);
}

/** What must be equal between two runs of the same problem (not timings). */
export function essence(record: ResultRecord): unknown {
  return {
    task_id: record.task_id,
    index: record.index,
    solved: record.solved,
    seed_solved: record.seed_solved,
    final: record.final?.code,
    iterations: record.iterations.map((i) => ({ visible: i.visible, hidden: i.hidden, verdicts: i.verdicts, patch: i.patch_diff })),
    stop_reason: record.stop_reason,
    tokens: record.usage.prompt_tokens + record.usage.completion_tokens,
  };
}
