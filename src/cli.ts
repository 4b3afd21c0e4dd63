import { readFileSync } from 'node:fs';
import { access, readFile, rename, writeFile } from 'node:fs/promises';
import { LdbError, ParseError } from './errors.js';
import { COMMANDS, findCommand } from './cli/commands.js';
import { formatCommandHelp, formatMainHelp } from './cli/help.js';
import type { CliIO } from './cli/io.js';
import { parseCommandLine, UsageError } from './cli/options.js';

// Only light modules are imported here: each command's module is loaded when it runs, so that
// `ldb --version` and `ldb --help` start as fast as node itself.

/** Runs one ldb command line and returns the exit code; never calls process.exit. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(formatMainHelp(COMMANDS));
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    io.stderr(`ldb: unknown command '${name}'\n\n${formatMainHelp(COMMANDS)}`);
    return 2;
  }
  const json = command.options.some((o) => o.name === 'json') && rest.includes('--json');
  try {
    const args = parseCommandLine(command.name, command.options, rest);
    if (args.values.help === true) {
      io.stdout(formatCommandHelp(command));
      return 0;
    }
    const run = await command.load();
    return await run(args, io);
  } catch (error) {
    return reportError(error, command.name, json, io);
  }
}

/** An LdbError is the user's problem, said in one message; anything else is ldb's own (exit 3). */
function reportError(error: unknown, command: string, json: boolean, io: CliIO): number {
  if (!(error instanceof LdbError)) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (json) io.stdout(`${JSON.stringify({ error: { kind: 'internal', message: String(error instanceof Error ? error.message : error), exitCode: 3 } }, null, 2)}\n`);
    else io.stderr(`ldb: internal error (please report it): ${detail}\n`);
    return 3;
  }
  const hint = 'hint' in error && typeof error.hint === 'string' && !error.message.includes(error.hint) ? error.hint : undefined;
  if (json) {
    io.stdout(`${JSON.stringify({ error: errorRecord(error, hint) }, null, 2)}\n`);
    return error.exitCode;
  }
  const prefix = error instanceof UsageError ? `ldb ${command}` : 'ldb';
  io.stderr(`${prefix}: ${error.message}${hint ? `\n  ${hint}` : ''}\n`);
  return error.exitCode;
}

function errorRecord(error: LdbError, hint: string | undefined): Record<string, unknown> {
  const record: Record<string, unknown> = {
    kind: error instanceof UsageError ? 'usage' : error.name,
    message: error instanceof UsageError ? error.problem : error instanceof ParseError ? error.reason : error.message,
    exitCode: error.exitCode,
  };
  // Columns 1-based, as everywhere in the JSON report and the terminal.
  if (error instanceof ParseError) record.loc = { ...error.loc, column: error.loc.column + 1 };
  if (hint) record.hint = hint;
  return record;
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
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
