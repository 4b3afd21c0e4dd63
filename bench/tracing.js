import { loadProblems } from '../dist/cases/datasets.js';
import { runTests } from '../dist/api.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (value) => `${value.toFixed(1)} ms`;

/**
 * Traces every canonical solution on its hidden tests (wall time per problem, as a user of
 * runTests sees it), and compares the sandbox time of traced and plain runs of the same cases.
 */
export async function benchTracing(dataPath) {
  const problems = await loadProblems(dataPath);
  const sandbox = new Sandbox();
  const perProblem = [];
  const ratios = [];
  let tracedSum = 0;
  let plainSum = 0;
  let tracedExec = 0;
  let plainExec = 0;
  const execRatios = [];
  let events = 0;
  // Warm up the isolate and the JIT on one problem so the first measurement is not an outlier.
  await runTests({ code: problems[0].programs.canonical, tests: problems[0].hiddenTests, trace: true, sandbox });
  const started = performance.now();
  for (const problem of problems) {
    const options = { code: problem.programs.canonical, tests: problem.hiddenTests, filename: 'solution.js', sandbox };
    const t0 = performance.now();
    const traced = await runTests({ ...options, trace: true });
    perProblem.push(performance.now() - t0);
    const plain = await runTests(options);
    const tracedMs = traced.cases.reduce((sum, c) => sum + c.durationMs, 0);
    const plainMs = plain.cases.reduce((sum, c) => sum + c.durationMs, 0);
    tracedSum += tracedMs;
    plainSum += plainMs;
    ratios.push(tracedMs / plainMs);
    const tracedRun = traced.cases.reduce((sum, c) => sum + c.executionMs, 0);
    const plainRun = plain.cases.reduce((sum, c) => sum + c.executionMs, 0);
    tracedExec += tracedRun;
    plainExec += plainRun;
    execRatios.push(tracedRun / plainRun);
    events += traced.cases.reduce((sum, c) => sum + (c.trace?.totalEvents ?? 0), 0);
  }
  const total = performance.now() - started;
  sandbox.dispose();
  console.log(`Tracing the ${problems.length} HumanEvalPack canonical solutions (hidden tests, one sandbox):`);
  console.log(`  total wall time (traced runs):      ${(perProblem.reduce((a, b) => a + b, 0) / 1000).toFixed(2)} s`);
  console.log(`  median per problem (traced):        ${ms(median(perProblem))}`);
  console.log(`  slowest problem (traced):           ${ms(Math.max(...perProblem))}`);
  console.log(`  block visits recorded:              ${events}`);
  console.log('Instrumented / uninstrumented, same sandbox, same cases:');
  console.log(`  execution only (program + test):    ${(tracedExec / plainExec).toFixed(2)}x overall, ${median(execRatios).toFixed(2)}x median per problem  (${ms(tracedExec)} vs ${ms(plainExec)})`);
  console.log(`  whole case (with context setup):    ${(tracedSum / plainSum).toFixed(2)}x overall, ${median(ratios).toFixed(2)}x median per problem  (${ms(tracedSum)} vs ${ms(plainSum)})`);
  console.log(`  (traced runs that exceed the event cap run twice; both passes are counted. The bench took ${(total / 1000).toFixed(1)} s)`);
}
