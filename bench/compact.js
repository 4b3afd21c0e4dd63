import { createHash } from 'node:crypto';
import { runTests, traceTest } from '../dist/api.js';
import { loadProblems } from '../dist/cases/datasets.js';
import { compactTrace } from '../dist/debugger/compact.js';
import { countTokens, tokenizerName } from '../dist/debugger/tokens.js';
import { parseProgram } from '../dist/program/program.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';

const ROUNDS = 5;
const STOPPED = new Set(['timeout', 'memory']);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Time of compactTrace alone (the trace text of one debugging turn: layout, relevance, budget
 * fitting, rendering, token counts) at block level, budget 1500 (the loop's default), over the first
 * failing case of every runnable HumanEvalPack buggy solution. The traces are recorded first, so
 * only compaction is timed. The digest of all the texts shows whether a change altered any output.
 */
export async function benchCompact(dataPath, { budgetTokens = 1500, timeMs = 1000 } = {}) {
  const inputs = await failingTraces(dataPath, timeMs);
  countTokens('warm up the tokenizer'); // loading its tables is once per process
  for (const input of inputs) compactTrace({ ...input, budgetTokens }); // and the JIT
  const rounds = [];
  let digest = '';
  let perProblem = [];
  for (let round = 0; round < ROUNDS; round++) {
    const times = [];
    const hash = createHash('sha256');
    for (const input of inputs) {
      const started = performance.now();
      const compact = compactTrace({ ...input, budgetTokens });
      times.push(performance.now() - started);
      // A run stopped by the time limit records as many steps as the machine managed: not comparable.
      if (!STOPPED.has(input.trace.outcome.kind)) hash.update(`${compact.tokens}\n${compact.text}\n${compact.shownSteps.join(',')}\n\0`);
    }
    rounds.push(times.reduce((a, b) => a + b, 0));
    perProblem = times;
    digest = hash.digest('hex').slice(0, 16);
  }
  const total = median(rounds);
  const slowest = Math.max(...perProblem);
  console.log(`compactTrace at block level, budget ${budgetTokens}, tokenizer ${tokenizerName()}, ${inputs.length} HumanEvalPack buggy solutions' first failing traces:`);
  console.log(`  total ${total.toFixed(0)} ms (median of ${ROUNDS} rounds) = ${(total / inputs.length).toFixed(2)} ms per trace; median ${median(perProblem).toFixed(2)} ms, slowest ${slowest.toFixed(1)} ms`);
  const stopped = inputs.filter((input) => STOPPED.has(input.trace.outcome.kind)).length;
  console.log(`  output digest ${digest} (changes when any text, token count or kept step changes; the ${stopped} runs stopped by the time limit left out)`);
}

/** The block-level trace of each buggy solution's first failing case (visible tests, else hidden). */
async function failingTraces(dataPath, timeMs) {
  const problems = await loadProblems(dataPath);
  const sandbox = new Sandbox();
  const inputs = [];
  try {
    for (const problem of problems) {
      const code = problem.programs.buggy;
      let failing;
      for (const tests of [problem.visibleTests, problem.hiddenTests]) {
        if (failing || !tests.trim()) continue;
        try {
          const run = await runTests({ code, tests, sandbox, limits: { timeMs } });
          failing = run.cases.find((c) => c.outcome.kind !== 'pass');
        } catch {
          break; // not valid JavaScript
        }
      }
      if (!failing) continue;
      const trace = await traceTest({ code, test: failing.case, sandbox, granularity: 'block', limits: { timeMs } });
      const blocks = parseProgram(code, { granularity: 'block' }).blocks;
      inputs.push({ trace, blocks, source: code, level: 'block' });
    }
  } finally {
    sandbox.dispose();
  }
  return inputs;
}
