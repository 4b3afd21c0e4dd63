import type { DebugEvent, DebugResult } from '../debugger/result.js';
import { describeOutcome } from '../sandbox/trace.js';
import type { Style } from './style.js';

/** What the live output needs to know about the run's settings. */
export interface FixLabels {
  maxIterations: number;
}

/** Live output of `ldb fix`: one short section per loop event. */
export function formatEvent(event: DebugEvent, style: Style, labels: FixLabels): string {
  switch (event.type) {
    case 'seed':
      return `${style.bold('Wrote a first program from the prompt')}\n`;
    case 'iteration':
      return '';
    case 'tests': {
      const summary = `${event.passed}/${event.total} visible tests pass`;
      // Iteration n tests its program, then asks for a patch; the test of the last patch is not an iteration.
      const label = event.index >= labels.maxIterations ? `Patch of iteration ${event.index}` : `Iteration ${event.index + 1}`;
      const head = style.bold(`${label}: `) + (event.passed === event.total ? style.pass(summary) : style.fail(summary));
      const failing = event.cases.find((c) => c.outcome.kind !== 'pass');
      return `${head}\n${failing ? `  first failing: ${oneLine(failing.case.source)}\n    ${style.fail(describeOutcome(failing.outcome))}\n` : ''}`;
    }
    case 'trace':
      return style.dim(`  traced case ${event.failingCase + 1}: ${event.trace.totalEvents} steps, ${event.promptTokens} tokens of trace in the prompt\n`);
    case 'verdicts': {
      if (event.verdicts === null) {
        const why = (event.notes.at(-1) ?? '').replace(/^verdicts /, 'the reply ');
        return `  ${style.fail('no usable verdicts')}${why ? style.dim(`: ${why}`) : ''}\n`;
      }
      const lines = event.verdicts.map((v) =>
        v.correct ? style.dim(`  ✓ ${v.block}`) : `  ${style.fail(`✗ ${v.block}`)}  ${v.explanation}`,
      );
      return `  verdicts:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
    }
    case 'patch':
      return `  patch:\n${colourDiff(event.diff, style)}\n`;
    case 'usage':
      return '';
    case 'done':
      return '';
  }
}

export interface ResultContext {
  file: string;
  write: boolean;
  written?: { backup: string };
  /** ldb knows the model's price: otherwise the cost stays unknown, even when every reply came from the cache. */
  priced: boolean;
}

export function formatResult(result: DebugResult, context: ResultContext, style: Style): string {
  const { best, usage } = result;
  const lines = [''];
  const verdict = result.solved
    ? style.pass(`Fixed: every visible test passes (${programName(best.iteration)}).`)
    : style.fail(`Not fixed (${reasonText(result.stopReason)}); the best program passes ${best.passed}/${best.total} visible tests (${programName(best.iteration)}).`);
  lines.push(verdict);
  const why = result.solved ? undefined : stopDetail(result);
  if (why) lines.push(`  why: ${why}`);
  const cost = usage.costUsd === null || !context.priced ? 'cost unknown' : `$${usage.costUsd.toFixed(4)}`;
  lines.push(style.dim(`${usage.calls} model calls (${usage.cachedCalls} from cache), ${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens, ${cost}`));
  if (context.written) lines.push(`Wrote ${context.file} (the original is in ${context.written.backup}).`);
  else if (context.write && !result.solved) lines.push(`${context.file} left unchanged: --write only writes a program that passes every visible test.`);
  else if (result.solved && !context.write && best.iteration > 0) lines.push(style.dim(`Run again with --write to replace ${context.file} (a backup is kept).`));
  return `${lines.join('\n')}\n`;
}

/** The program tested in iteration n: the original one, or the patch of the iteration before. */
function programName(iteration: number): string {
  return iteration === 0 ? 'the original program' : `the patch of iteration ${iteration}`;
}

/** Why the loop gave up, in the loop's own words (the last note of the last iteration). */
function stopDetail(result: DebugResult): string | undefined {
  if (result.stopReason !== 'no-fix' && result.stopReason !== 'repeated-program') return undefined;
  return result.iterations.at(-1)?.notes.at(-1);
}

function reasonText(reason: DebugResult['stopReason']): string {
  switch (reason) {
    case 'max-iterations':
      return 'reached --max-iters';
    case 'token-budget':
      return 'reached the token budget';
    case 'repeated-program':
      return 'the model proposed a program already tried';
    case 'no-fix':
      return 'the model gave no usable program';
    case 'aborted':
      return 'cancelled';
    case 'solved':
      return 'solved';
  }
}

function colourDiff(diff: string, style: Style): string {
  return diff
    .trimEnd()
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return `    ${style.bold(line)}`;
      if (line.startsWith('@@')) return `    ${style.block(line)}`;
      if (line.startsWith('+')) return `    ${style.pass(line)}`;
      if (line.startsWith('-')) return `    ${style.fail(line)}`;
      return `    ${line}`;
    })
    .join('\n');
}

/** White space around line breaks becomes one space; linear (a regex here backtracked over long runs of spaces). */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}
