import { InputError } from '../errors.js';
import type { CliIO } from './io.js';

/** Reads a file the user named, turning I/O failures into one clear line. */
export async function readInput(io: CliIO, path: string, what: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read the ${what} file ${path}: ${reason}`);
  }
}

export function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new InputError(`${flag} expects a positive whole number, got '${text}'`);
  return value;
}

export function wholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InputError(`${flag} expects a whole number (0 or more), got '${text}'`);
  return value;
}
