import { defineConfig } from 'vitest/config';

// isolated-vm needs --no-node-snapshot on Node 20+, so tests run in forked workers with it.
// CI asks for a JSON report too (LDB_VITEST_JSON=<path>), to print the plain "N passed, N failed".
const jsonReport = process.env.LDB_VITEST_JSON;

export default defineConfig({
  test: {
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
