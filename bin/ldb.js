#!/usr/bin/env node
// Shim: runs the CLI in this process. (isolated-vm, which needs --no-node-snapshot, lives only in
// the sandbox server child, which is started with that flag; no re-launch, so a signal sent to
// `ldb` reaches the process that started everything, and its children go with it.)

// `ldb trace ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
