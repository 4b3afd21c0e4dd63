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

/**
 * A model provider is misconfigured or failed. The message is one line that says what to write or set;
 * `hint` repeats just that advice for UIs that show it apart. A cancelled request (AbortSignal) has
 * code 'aborted' and the name 'AbortError', so the usual `error.name === 'AbortError'` checks work.
 */
export class ModelError extends LdbError {
  override readonly exitCode: number = 2;
  readonly hint: string | undefined;
  readonly code: 'config' | 'http' | 'network' | 'timeout' | 'aborted' | 'response' | 'exec';
  /** The HTTP status of the last failed attempt, when there was one. */
  readonly status: number | undefined;
  constructor(
    message: string,
    options: { hint?: string; code?: ModelError['code']; status?: number; cause?: unknown } = {},
  ) {
    super(message);
    if (options.cause !== undefined) this.cause = options.cause;
    this.hint = options.hint;
    this.code = options.code ?? 'config';
    this.status = options.status;
    if (this.code === 'aborted') this.name = 'AbortError';
  }
}
