import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { splitTests, type TestCase } from '../cases/split.js';
import { InputError } from '../errors.js';

/** Files an agent may name are read only up to this size: a program, not a data dump. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface ProgramArgs {
  program?: string | undefined;
  programPath?: string | undefined;
  filename?: string | undefined;
}

export interface TestsArgs {
  tests?: string | undefined;
  testsPath?: string | undefined;
}

export interface SourceText {
  code: string;
  /** The path relative to the root, or the name given for text (its extension picks JS or TS). */
  filename: string;
}

/**
 * The files a server may read: everything under one root directory, nothing outside it
 * (`..`, absolute paths and symbolic links that lead out are all refused).
 */
export class Workspace {
  private realRoot: Promise<string> | undefined;

  constructor(readonly root: string) {}

  /** The program, from `program` (text) or `programPath` (a file under the root); exactly one. */
  async program(args: ProgramArgs): Promise<SourceText> {
    return this.textOrFile('program', args.program, args.programPath, args.filename ?? 'program.js');
  }

  /** The original program of check_patch, named like the program arguments. */
  async optionalText(what: string, text: string | undefined, path: string | undefined, filename: string): Promise<SourceText | undefined> {
    if (text === undefined && path === undefined) return undefined;
    return this.textOrFile(what, text, path, filename);
  }

  /** The test script from `tests` or `testsPath`, split into one case per assertion. */
  async testCases(args: TestsArgs): Promise<{ cases: TestCase[]; source: SourceText }> {
    const source = await this.textOrFile('tests', args.tests, args.testsPath, 'tests.js');
    return { cases: splitTests(source.code, { filename: source.filename }), source };
  }

  async textOrFile(what: string, text: string | undefined, path: string | undefined, filename: string): Promise<SourceText> {
    if (text !== undefined && path !== undefined) throw new InputError(`give either ${what} or ${what}Path, not both`);
    if (text !== undefined) return { code: text, filename };
    if (path === undefined) throw new InputError(`no ${what} given: pass ${what} (the text) or ${what}Path (a file under ${this.root})`);
    return this.read(path, what);
  }

  /** Reads a file named relative to the root, refusing anything that resolves outside it. */
  async read(path: string, what: string): Promise<SourceText> {
    const root = await (this.realRoot ??= realpath(this.root));
    const asked = resolve(root, path);
    if (!inside(root, asked)) throw new InputError(`${what}Path '${path}' is outside the server's root ${root}; give a path under it`);
    let real: string;
    try {
      real = await realpath(asked);
      const info = await stat(real);
      if (info.isDirectory()) throw new InputError(`cannot read the ${what} file ${path}: it is a directory`);
      if (info.size > MAX_FILE_BYTES) throw new InputError(`cannot read the ${what} file ${path}: it is larger than ${MAX_FILE_BYTES} bytes`);
    } catch (error) {
      if (error instanceof InputError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new InputError(`cannot read the ${what} file ${path}: ${reason}`);
    }
    if (!inside(root, real)) throw new InputError(`${what}Path '${path}' leads outside the server's root ${root} (a symbolic link); give a path under it`);
    return { code: await readFile(real, 'utf8'), filename: relative(root, real).split(sep).join('/') };
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
