import { open, readFile, rename, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { ResultRecord } from './record.js';

export interface ResultsRead {
  records: ResultRecord[];
  /** Bytes of the file that hold whole records; anything after is a torn last line. */
  validBytes: number;
  /** The last line was cut short (the writer was killed mid-write); its problem must be redone. */
  torn: boolean;
}

/** Reads a results file. A last line without its newline or that does not parse is torn; a bad line before it is an error. */
export async function readResults(path: string): Promise<ResultsRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validBytes: 0, torn: false };
    throw new InputError(`cannot read the results file ${path}: ${(error as Error).message}`);
  }
  return parseResults(text, path);
}

export function parseResults(text: string, path: string): ResultsRead {
  const records: ResultRecord[] = [];
  let offset = 0;
  let lineNumber = 0;
  while (offset < text.length) {
    lineNumber++;
    const end = text.indexOf('\n', offset);
    const last = end === -1 || end === text.length - 1;
    const line = end === -1 ? text.slice(offset) : text.slice(offset, end);
    const record = line.trim() === '' ? null : parseRecord(line);
    if (end === -1 || (record === undefined && last)) {
      return { records, validBytes: Buffer.byteLength(text.slice(0, offset)), torn: true };
    }
    if (record === undefined) throw new InputError(`${path}:${lineNumber}: not a result record; the file is damaged before its last line`);
    if (record) records.push(record);
    offset = end + 1;
  }
  return { records, validBytes: Buffer.byteLength(text), torn: false };
}

function parseRecord(line: string): ResultRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || typeof (value as ResultRecord).task_id !== 'string') return undefined;
    return value as ResultRecord;
  } catch {
    return undefined;
  }
}

/** Cuts a torn last line off, so appending starts on a fresh line. */
export async function dropTornTail(path: string, read: ResultsRead): Promise<void> {
  if (read.torn) await truncate(path, read.validBytes);
}

/**
 * Appends one line per record and flushes it to disk before the next, so a crash loses at most
 * the line being written (which --resume detects and redoes). Writes are queued in call order.
 */
export class ResultsWriter {
  private queue: Promise<void> = Promise.resolve();

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<ResultsWriter> {
    return new ResultsWriter(await open(path, 'a'));
  }

  append(record: ResultRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const write = this.queue.then(async () => {
      await this.handle.write(line);
      await this.handle.datasync();
    });
    this.queue = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }
}

/** Writes a whole results file at once (temp file + rename): merge never leaves half a file. */
export async function writeResultsAtomically(path: string, records: ResultRecord[]): Promise<void> {
  const temporary = `${path}.ldb-${process.pid}.tmp`;
  await writeFile(temporary, records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
  await rename(temporary, path);
}
