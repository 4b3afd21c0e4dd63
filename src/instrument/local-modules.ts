import { posix } from 'node:path';
import { InputError } from '../errors.js';
import { moduleFacts, PROVIDED_MODULES, type ModuleRequest } from './modules.js';

/**
 * The program's own helper files (`import { clamp } from './util'`), found before anything runs.
 * The core reads no files: the caller (the CLI, or a library user) hands in `readFile`. Paths
 * are POSIX and relative to the program's folder, which is the root nothing may leave.
 */

/** Returns a file's text, or undefined when there is no such file. */
export type ReadLocalFile = (path: string) => Promise<string | undefined>;

export interface LocalModule {
  /** Relative to the program's folder, POSIX, e.g. `util.js` or `lib/math.ts`. */
  file: string;
  code: string;
  /** Each local import of this file as written, mapped to the `file` it resolves to. */
  imports: Record<string, string>;
}

export interface LocalModuleGraph {
  /** The program's own local imports, as written, mapped to helper files. */
  imports: Record<string, string>;
  /** Every helper file, dependencies before the files that import them (the order to load them). */
  modules: LocalModule[];
}

/** Extensions a helper may have; an import without one tries them in this order, then `/index`. */
export const LOCAL_EXTENSIONS: readonly string[] = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '.jsx', '.tsx'];

/** A bound on how many helper files one program may bring in (each is instrumented and loaded per case). */
export const MAX_LOCAL_MODULES = 64;

interface Visit {
  file: string;
  code: string;
}

/**
 * Follows the relative imports of the program, and of the helpers it imports, through
 * `readFile`. Every import that cannot be loaded (an npm package, an absolute path, a file
 * outside the program's folder, a missing or non-JS/TS file, an import cycle) is an InputError
 * naming the import and its file:line:col.
 */
export async function resolveLocalModules(code: string, programFile: string, readFile: ReadLocalFile): Promise<LocalModuleGraph> {
  const root = posix.basename(programFile);
  const modules: LocalModule[] = [];
  const done = new Map<string, LocalModule>();
  const loading: string[] = [];

  const visit = async (current: Visit): Promise<Record<string, string>> => {
    const imports: Record<string, string> = {};
    loading.push(current.file);
    for (const request of moduleFacts(current.code, current.file).requests) {
      if (PROVIDED_MODULES.includes(request.source)) continue;
      const where = `${current.file}:${request.line}:${request.column + 1}`;
      const target = await locate(request, current.file, where, (file) => (file === root ? Promise.resolve(code) : readFile(file)));
      imports[request.source] = target.file;
      if (target.file === root || loading.includes(target.file)) {
        const chain = [...loading.slice(loading.indexOf(target.file)), target.file].join(' -> ');
        throw new InputError(`${where}: '${request.source}' imports a file that is still loading (an import cycle: ${chain}); ldb loads helper files without cycles.`);
      }
      if (done.has(target.file)) continue;
      if (done.size >= MAX_LOCAL_MODULES) {
        throw new InputError(`${where}: '${request.source}' would be helper file number ${MAX_LOCAL_MODULES + 1}; ldb loads at most ${MAX_LOCAL_MODULES}.`);
      }
      const module: LocalModule = { file: target.file, code: target.code, imports: {} };
      done.set(target.file, module);
      module.imports = await visit(target);
      modules.push(module);
    }
    loading.pop();
    return imports;
  };

  const imports = await visit({ file: root, code });
  return { imports, modules };
}

async function locate(request: ModuleRequest, from: string, where: string, readFile: ReadLocalFile): Promise<Visit> {
  const { source } = request;
  if (!source.startsWith('./') && !source.startsWith('../')) {
    const why = posix.isAbsolute(source) || /^[a-z]+:\/\//i.test(source)
      ? 'import helper files by a relative path, not an absolute path or URL'
      : `${source.startsWith('node:') ? 'Node built-in modules are' : 'npm packages are'} not available in the sandbox, which provides only ${PROVIDED_MODULES.map((m) => `'${m}'`).join(', ')}`;
    throw new InputError(`${where}: '${source}' cannot be loaded: ${why}.`);
  }
  const joined = posix.normalize(posix.join(posix.dirname(from), source));
  if (joined === '..' || joined.startsWith('../')) {
    throw new InputError(`${where}: '${source}' is outside the program's folder; ldb loads helper files from that folder and below.`);
  }
  const explicit = LOCAL_EXTENSIONS.some((ext) => joined.endsWith(ext));
  const candidates = explicit ? [joined] : [...LOCAL_EXTENSIONS.map((ext) => joined + ext), ...LOCAL_EXTENSIONS.map((ext) => `${joined}/index${ext}`)];
  // `import './util.js'` from TypeScript names util.ts (the compiled name), as tsc resolves it.
  if (explicit && /\.[cm]?js$/.test(joined)) candidates.push(joined.replace(/js$/, 'ts'));
  for (const file of candidates) {
    const code = await readFile(file);
    if (code !== undefined) return { file, code };
  }
  if (!explicit && (await readFile(joined)) !== undefined) {
    throw new InputError(`${where}: '${source}' is not a JavaScript or TypeScript file; ldb loads helpers ending in ${LOCAL_EXTENSIONS.join(', ')}.`);
  }
  const tried = candidates.length > 2 ? `${candidates[0]}, ${candidates[1]}, ... (${candidates.length} names)` : candidates.join(', ');
  throw new InputError(`${where}: '${source}' was not found (tried ${tried}).`);
}
