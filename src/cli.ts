import { access, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { LdbError } from './errors.js';
import { MAIN_HELP } from './cli/help.js';
import type { CliIO } from './cli/io.js';
import { fixCommand } from './cli/fix-command.js';
import { traceCommand } from './cli/trace-command.js';

const commands: Record<string, (argv: string[], io: CliIO) => Promise<number>> = {
  trace: traceCommand,
  fix: fixCommand,
  // Imported when run: the debugger's UI stack (Ink, React) stays out of every other command.
  debug: (argv, io) => import('./cli/debug-command.js').then(({ debugCommand }) => debugCommand(argv, io)),
};

/** Runs one ldb command line and returns the exit code; never calls process.exit. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const run = commands[command];
  if (!run) {
    io.stderr(`ldb: unknown command '${command}'\n\n${MAIN_HELP}`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof LdbError) {
      const hint = 'hint' in error && typeof error.hint === 'string' && !error.message.includes(error.hint) ? `\n  ${error.hint}` : '';
      io.stderr(`ldb: ${error.message}${hint}\n`);
      return error.exitCode;
    }
    io.stderr(`ldb: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFile(path, 'utf8'),
    async writeFile(path, content) {
      const temporary = `${path}.ldb-${process.pid}.tmp`;
      await writeFile(temporary, content, 'utf8');
      await rename(temporary, path);
    },
    exists: (path) => access(path).then(() => true, () => false),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  };
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}
