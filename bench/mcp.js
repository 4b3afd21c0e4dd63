import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { traceTest, formatTrace } from '../dist/index.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PROGRAM = 'fixtures/js/off-by-one-sum.js';
const TEST = 'assert.strictEqual(sumTo(3), 6)';

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const time = async (work) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/**
 * `trace_test` through `ldb mcp` over stdio (the built CLI, as an agent starts it) against the
 * same trace taken in-process with a warm sandbox. Calls alternate, so load on the machine falls
 * on both alike; the first MCP call (process start, sandbox start, tokenizer tables) is shown apart.
 */
export async function benchMcp({ calls = 60 } = {}) {
  const code = await readFile(`${ROOT}${PROGRAM}`, 'utf8');
  const transport = new StdioClientTransport({ command: process.execPath, args: ['--no-node-snapshot', `${ROOT}bin/ldb.js`, 'mcp', '--root', ROOT], stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const connect = await time(() => client.connect(transport));
  const args = { name: 'trace_test', arguments: { programPath: PROGRAM, test: TEST } };
  const first = await time(() => client.callTool(args));
  const sandbox = new Sandbox();
  await traceTest({ code, test: TEST, filename: PROGRAM, sandbox });
  formatTrace(await traceTest({ code, test: TEST, filename: PROGRAM, sandbox }), 'block', { code, filename: PROGRAM });
  const paged = { name: 'trace_test', arguments: { programPath: PROGRAM, test: TEST, from: 1 } };
  const mcp = [];
  const mcpPaged = [];
  const direct = [];
  const directWithText = [];
  for (let i = 0; i < calls; i++) {
    mcp.push(await time(() => client.callTool(args)));
    mcpPaged.push(await time(() => client.callTool(paged)));
    direct.push(await time(() => traceTest({ code, test: TEST, filename: PROGRAM, sandbox })));
    directWithText.push(
      await time(async () => formatTrace(await traceTest({ code, test: TEST, filename: PROGRAM, sandbox }), 'block', { code, filename: PROGRAM })),
    );
  }
  sandbox.dispose();
  await client.close();
  const row = (label, values) =>
    console.log(`  ${label.padEnd(48)} min ${Math.min(...values).toFixed(2)} ms, median ${percentile(values, 50).toFixed(2)} ms, p90 ${percentile(values, 90).toFixed(2)} ms`);
  console.log(`ldb mcp over stdio, trace_test on ${PROGRAM} (${calls} calls after the first):`);
  console.log(`  start and connect ${connect.toFixed(0)} ms; first trace_test ${first.toFixed(0)} ms`);
  row('trace_test over stdio (steps + compacted text)', mcp);
  row('trace_test over stdio, from=1 (steps only)', mcpPaged);
  row('traceTest in-process (warm sandbox)', direct);
  row('traceTest + formatTrace in-process', directWithText);
  const median = (values) => percentile(values, 50);
  const least = (values) => Math.min(...values);
  console.log(`  over a direct traceTest (target: within 5 ms): steps only ${(median(mcpPaged) - median(direct)).toFixed(2)} ms at the median, ${(least(mcpPaged) - least(direct)).toFixed(2)} ms at the minimum;`);
  console.log(`  with the compacted text, over traceTest + formatTrace: ${(median(mcp) - median(directWithText)).toFixed(2)} ms at the median, ${(least(mcp) - least(directWithText)).toFixed(2)} ms at the minimum`);
  console.log('  (the server, its sandbox process and this process share the CPUs: on a loaded machine the medians carry the load)');
}
