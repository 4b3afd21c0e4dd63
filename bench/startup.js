// Startup: how long `ldb --version` and a small `ldb trace` take, each next to bare `node -e 0`
// measured in the same run (interleaved, so that the machine's load weighs on both alike).
// Targets (issue 10): --version within 0.1 s of bare node; the trace under 0.4 s.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = `${ROOT}bin/ldb.js`;
const RUNS = 10;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function timeOnce(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (result.error) throw result.error;
  return performance.now() - started;
}

const COMMANDS = {
  'ldb --version': [BIN, '--version'],
  'ldb trace off-by-one-sum.js': [BIN, 'trace', 'fixtures/js/off-by-one-sum.js', '--tests', 'fixtures/js/off-by-one-sum.test.js'],
};

export function benchStartup() {
  console.log(`\n## Startup (median of ${RUNS}, each next to bare node in the same run)`);
  for (const [name, args] of Object.entries(COMMANDS)) {
    const bare = [];
    const ldb = [];
    timeOnce(args); // the file system cache, not the first run, is what users see
    for (let i = 0; i < RUNS; i++) {
      bare.push(timeOnce(['-e', '0']));
      ldb.push(timeOnce(args));
    }
    const node = median(bare);
    const command = median(ldb);
    console.log(`${name.padEnd(30)} ${seconds(command)}   bare node ${seconds(node)}   difference ${seconds(command - node)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchStartup();
