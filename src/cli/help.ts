import type { Command } from './command.js';
import { formatOptionsHelp } from './options.js';

/** `ldb --help`: the commands, from the registry. */
export function formatMainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.synopsis.length)) + 4;
  const rows = commands.map((c) => `  ${c.synopsis.padEnd(width)} ${c.summary}`);
  const first = commands[0]?.name ?? 'trace';
  return `ldb — a step-through debugger for generated JavaScript and TypeScript

Usage:
  ldb <command> [options]

Commands:
${rows.join('\n')}

Options:
  -h, --help${' '.repeat(Math.max(1, width - 9))} Show help (also: ldb <command> --help)
  -v, --version${' '.repeat(Math.max(1, width - 12))} Show the version

Run 'ldb ${first} --help' for the options of a command.
`;
}

/** `ldb <command> --help`: usage, description, the options table, then the footer. */
export function formatCommandHelp(command: Command): string {
  const parts = [`ldb ${command.name} — ${lowerFirst(command.summary)}`, `Usage:\n${command.usage.map((u) => `  ldb ${u}`).join('\n')}`];
  if (command.description) parts.push(command.description);
  parts.push(`Options:\n${formatOptionsHelp(command.options)}`);
  if (command.footer) parts.push(command.footer);
  return `${parts.join('\n\n')}\n`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
