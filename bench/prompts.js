import { runTests, traceTest } from '../dist/api.js';
import { loadProblems } from '../dist/cases/datasets.js';
import { compactTrace } from '../dist/debugger/compact.js';
import { verificationMessages } from '../dist/debugger/prompts.js';
import { countTokens, tokenizerName } from '../dist/debugger/tokens.js';
import { parseProgram } from '../dist/program/program.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';

const LEVELS = ['line', 'block', 'function'];
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
};

/**
 * Prompt tokens of one debugging turn (the verification prompt: task, program, failing test,
 * compacted trace) at each level, on every HumanEvalPack buggy solution's first failing case.
 */
export async function benchPromptTokens(dataPath, { traceBudget = 1500, timeMs = 1000 } = {}) {
  const problems = await loadProblems(dataPath);
  const sandbox = new Sandbox();
  const tokens = { line: [], block: [], function: [] };
  const traceTokens = { line: [], block: [], function: [] };
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
}
