/** Where in a source file something happened. Lines are 1-based, columns 0-based (Babel's convention). */
export interface SourceLocation {
  file?: string;
  line: number;
  column: number;
}

/** Base class for every error ldb reports to a user: the message is meant to be shown as is. */
export class LdbError extends Error {
  /** Exit code the CLI uses for this error. */
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is not valid JavaScript/TypeScript; carries the place and a code frame. */
export class ParseError extends LdbError {
  constructor(
    readonly reason: string,
    readonly loc: SourceLocation,
    readonly codeFrame: string,
  ) {
    super(`${formatLoc(loc)}: ${reason}${codeFrame ? `\n${codeFrame}` : ''}`);
  }
}

/** The user's input is unusable for a reason other than syntax (empty file, missing function ...). */
export class InputError extends LdbError {}

/** The sandbox itself failed (not the user's program): isolate could not start, and so on. */
export class SandboxError extends LdbError {}

export function formatLoc(loc: SourceLocation): string {
  return `${loc.file ?? '<input>'}:${loc.line}:${loc.column + 1}`;
}
