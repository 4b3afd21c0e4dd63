import { runTests, traceTest } from '../dist/api.js';
import { loadProblems } from '../dist/cases/datasets.js';
import { compactTrace } from '../dist/debugger/compact.js';
import { verificationMessages } from '../dist/debugger/prompts.js';
import { countTokens, tokenizerName } from '../dist/debugger/tokens.js';
import { parseProgram } from '../dist/program/program.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';

const LEVELS = ['line', 'block', 'function'];
/** A run longer than this is where a budget must choose steps. */
const LONG_RUN = 100;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
};

/**
 * Prompt tokens of one debugging turn (the verification prompt: task, program, failing test,
 * compacted trace) at each level, on every HumanEvalPack buggy solution's first failing case; and,
 * for the long runs, whether the compacted trace keeps the step where the first wrong value appears.
 */
export async function benchPromptTokens(dataPath, { traceBudget = 1500, timeMs = 1000 } = {}) {
  const problems = await loadProblems(dataPath);
  const sandbox = new Sandbox();
  const tokens = { line: [], block: [], function: [] };
  const traceTokens = { line: [], block: [], function: [] };
  const kept = { relevance: 0, position: 0, long: 0, located: 0 };
  let skipped = 0;
  for (const problem of problems) {
    const code = problem.programs.buggy;
    const tests = problem.visibleTests.trim() ? problem.visibleTests : problem.hiddenTests;
    let run;
    try {
      run = await runTests({ code, tests, sandbox, limits: { timeMs } });
    } catch {
      skipped++; // the two buggy solutions that are not valid JavaScript
      continue;
    }
    let failing = run.cases.find((c) => c.outcome.kind !== 'pass');
    if (!failing) {
      run = await runTests({ code, tests: problem.hiddenTests, sandbox, limits: { timeMs } });
      failing = run.cases.find((c) => c.outcome.kind !== 'pass');
    }
    if (!failing) {
      skipped++;
      continue;
    }
    for (const level of LEVELS) {
      const granularity = level === 'line' ? 'statement' : 'block';
      const trace = await traceTest({ code, test: failing.case, sandbox, granularity, limits: { timeMs } });
      const blocks = parseProgram(code, { granularity }).blocks;
      const compact = compactTrace({ trace, blocks, source: code, level, budgetTokens: traceBudget });
      const messages = verificationMessages({ task: problem.prompt, code, testCase: failing.case, outcome: trace.outcome, compact, level });
      tokens[level].push(messages.reduce((sum, m) => sum + countTokens(m.content), 0));
      traceTokens[level].push(compact.tokens);
      if (level === 'block' && trace.totalEvents > LONG_RUN && problem.programs.canonical) {
        kept.long++;
        const reference = await traceTest({ code: problem.programs.canonical, test: failing.case, sandbox, limits: { timeMs } });
        const step = firstWrongStep(trace, reference);
        if (step === undefined) continue;
        kept.located++;
        if (compact.shownSteps.includes(step)) kept.relevance++;
        const byPosition = compactTrace({ trace, blocks, source: code, level, budgetTokens: traceBudget, keep: 'position' });
        if (byPosition.shownSteps.includes(step)) kept.position++;
      }
    }
  }
  sandbox.dispose();
  console.log(`Prompt tokens per debugging turn (verification prompt), HumanEvalPack buggy solutions, tokenizer ${tokenizerName()}, trace budget ${traceBudget}:`);
  for (const level of LEVELS) {
    const t = tokens[level];
    console.log(
      `  ${level.padEnd(8)}  median ${String(median(t)).padStart(5)}  max ${String(Math.max(...t)).padStart(5)}   (trace part: median ${median(traceTokens[level])}, max ${Math.max(...traceTokens[level])})  n=${t.length}`,
    );
  }
  if (skipped) console.log(`  (${skipped} problems skipped: not valid JavaScript, or no failing case)`);
  const share = (n) => `${n}/${kept.located} (${Math.round((100 * n) / Math.max(1, kept.located))}%)`;
  console.log(
    `Long runs (over ${LONG_RUN} steps) at block level: ${kept.long}; the first wrong value located against the canonical run in ${kept.located}.\n` +
      `  kept steps include it: by relevance ${share(kept.relevance)}, by position (the old rule) ${share(kept.position)}`,
  );
}

/**
 * The step (1-based, the run's own numbering) where the buggy run's variables first differ from the
 * canonical run's on the same test: same position, different values of a shared variable, or a
 * different set of variables. Undefined when the recorded steps never differ.
 */
function firstWrongStep(buggy, canonical) {
  const limit = Math.min(buggy.truncated ? buggy.droppedAt : buggy.events.length, canonical.truncated ? canonical.droppedAt : canonical.events.length);
  for (let i = 0; i < limit; i++) {
    const a = buggy.events[i].vars;
    const b = canonical.events[i].vars;
    const names = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const name of names) if (a[name] !== b[name]) return i + 1;
  }
  return undefined;
}
