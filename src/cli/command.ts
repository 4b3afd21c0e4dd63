import type { CliIO } from './io.js';
import type { OptionSpec, ParsedCommandLine } from './options.js';

/** Runs a command on its parsed command line; returns the exit code (never calls process.exit). */
export type CommandRun = (args: ParsedCommandLine, io: CliIO) => Promise<number>;

/** One `ldb <name>` command: what the help shows, its options table, and its code, loaded on demand. */
export interface Command {
  name: string;
  /** `trace <file>`: the command as the main help lists it. */
  synopsis: string;
  /** One line for the main help. */
  summary: string;
  /** Usage lines of the command's own help, without the leading `ldb `. */
  usage: readonly string[];
  /** Paragraphs between the usage and the options. */
  description?: string;
  options: readonly OptionSpec[];
  /** Text after the options (environment, exit status, examples). */
  footer?: string;
  /** Imports the command's module only when it runs, so that `ldb --version` loads nothing heavy. */
  load(): Promise<CommandRun>;
}
