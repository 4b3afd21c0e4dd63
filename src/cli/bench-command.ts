import { basename } from 'node:path';
import { bench } from '../bench/bench.js';
import { compareResults, formatComparison } from '../bench/compare.js';
import { escapeLine } from '../bench/escape.js';
import { mergeResults, readForMerge } from '../bench/merge.js';
import { renderReport } from '../bench/report-html.js';
import { parseResults, writeResultsAtomically } from '../bench/results-file.js';
import type { ResultRecord } from '../bench/record.js';
import { formatSummary, summarize } from '../bench/summary.js';
import { InputError } from '../errors.js';
import { benchArgs, type BenchCompareArgs, type BenchMergeArgs, type BenchReportArgs, type BenchRunArgs } from './bench-args.js';
import type { CommandRun } from './command.js';
import { plainProgress, type ProgressDisplay, type ProgressState } from './bench-progress.js';
import type { CliIO } from './io.js';
import { readInput } from './inputs.js';

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

export const runBench: CommandRun = async ({ values, positionals }, io) => {
  const args = benchArgs(values, positionals, io.env, (message) => io.stderr(`ldb bench: ${message}\n`));
  switch (args.kind) {
    case 'run':
      return runCommand(args, io);
    case 'merge':
      return mergeCommand(args, io);
    case 'compare':
      return compareCommand(args, io);
    case 'report':
      return reportCommand(args, io);
  }
};

async function runCommand(args: BenchRunArgs, io: CliIO): Promise<number> {
  const controller = new AbortController();
  const stopSignals = onInterrupt(io, controller);
  const display = await progressDisplay(args, io);
  let outcome;
  try {
    outcome = await bench({ ...args, env: io.env, signal: controller.signal, onEvent: (event) => display.onEvent(event) });
  } finally {
    await display.close();
    stopSignals();
  }
  const summary = summarize(outcome.records);
  await writeText(io, args.summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  if (args.json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const state = outcome.interrupted ? `Interrupted: ${outcome.records.length} of ${outcome.selected} problems have results (finish with --resume).` : `Done: ${outcome.records.length} problems.`;
    io.stdout(`\n${state} Results in ${escapeLine(args.out)}, summary in ${escapeLine(args.summaryPath)}\n${formatSummary(summary)}`);
  }
  return outcome.interrupted ? INTERRUPTED : 0;
}

/**
 * First Ctrl-C: stop starting problems, drop the ones in flight (--resume redoes them), print
 * the summary so far. Second: leave at once. SIGTERM (a Kubernetes pod being stopped) is the same.
 */
function onInterrupt(io: CliIO, controller: AbortController): () => void {
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) {
      io.stderr('\nldb bench: stopping; problems in flight are dropped and redone by --resume. Ctrl-C again to quit at once.\n');
      controller.abort();
      return;
    }
    // The one deliberate exit: the user asked twice, and nothing may wait any longer.
    process.exit(INTERRUPTED);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

async function progressDisplay(args: BenchRunArgs, io: CliIO): Promise<ProgressDisplay> {
  const header = `ldb bench ${args.dataset}  ${args.mode}/${args.method}  ${args.model}${args.shard ? `  shard ${args.shard.index}/${args.shard.count}` : ''}`;
  if (io.isTTY && !args.json && io.env.LDB_PLAIN_PROGRESS !== '1') {
    const { liveProgress } = await import('./bench-live.js');
    return liveProgress(header);
  }
  const describeStart = (state: ProgressState): string => {
    const shard = args.shard ? `, shard ${args.shard.index}/${args.shard.count} (from ${args.shard.source})` : '';
    const resumed = state.skipped > 0 ? `, ${state.skipped} already done` : '';
    return `${escapeLine(header)}: ${state.total} problems${shard}${resumed}; results → ${escapeLine(args.out)}\n`;
  };
  return plainProgress((text) => io.stdout(text), describeStart);
}

async function mergeCommand(args: BenchMergeArgs, io: CliIO): Promise<number> {
  const merged = mergeResults(await readForMerge(args.files));
  if (io.exists && (await io.exists(args.out))) throw new InputError(`ldb bench merge: ${args.out} already exists; choose another --out`);
  await writeResultsAtomically(args.out, merged);
  io.stdout(`Merged ${merged.length} results from ${args.files.length} file(s) into ${escapeLine(args.out)}\n${formatSummary(summarize(merged))}`);
  return 0;
}

async function compareCommand(args: BenchCompareArgs, io: CliIO): Promise<number> {
  const comparison = compareResults(await readRecords(io, args.a), await readRecords(io, args.b));
  io.stdout(args.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison, { a: args.a, b: args.b }));
  return 0;
}

async function reportCommand(args: BenchReportArgs, io: CliIO): Promise<number> {
  const runs = [];
  // Runs are labelled by file name; by path only when two share a name.
  const names = args.files.map((f) => basename(f));
  const label = (file: string, i: number) => (names.filter((n) => n === names[i]).length > 1 ? file : names[i]!);
  for (const [i, file] of args.files.entries()) runs.push({ name: label(file, i), records: await readRecords(io, file) });
  if (args.html) {
    await writeText(io, args.html, renderReport(runs));
    io.stdout(`Wrote ${escapeLine(args.html)}\n`);
  }
  if (args.json) io.stdout(`${JSON.stringify(runs.map((run) => ({ file: run.name, summary: summarize(run.records) })), null, 2)}\n`);
  else if (!args.html) for (const run of runs) io.stdout(`${escapeLine(run.name)}\n${formatSummary(summarize(run.records))}`);
  return 0;
}

/** A results file for reading only: a torn last line (a run still going, or killed) is left out. */
async function readRecords(io: CliIO, path: string): Promise<ResultRecord[]> {
  return parseResults(await readInput(io, path, 'results'), path).records;
}

async function writeText(io: CliIO, path: string, text: string): Promise<void> {
  if (io.writeFile) await io.writeFile(path, text);
  else await import('node:fs/promises').then((fs) => fs.writeFile(path, text, 'utf8'));
}
