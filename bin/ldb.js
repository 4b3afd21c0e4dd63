#!/usr/bin/env node
// Shim: isolated-vm needs --no-node-snapshot on Node 20+, so re-launch node with it when absent.
import { spawnSync } from 'node:child_process';

if (!process.execArgv.includes('--no-node-snapshot')) {
  const result = spawnSync(process.execPath, ['--no-node-snapshot', ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
} else {
  // `ldb trace ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const { main } = await import('../dist/cli.js');
  process.exitCode = await main(process.argv.slice(2));
}
