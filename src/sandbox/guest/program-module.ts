/**
 * The program as a module, for tests that import it (`import { maxOf } from './loop.js'`,
 * `const { maxOf } = require('./loop')`). The program runs as a classic script, so its
 * top-level bindings live in the context's global scope; the module object reads them there
 * (through the intrinsic eval, captured before user code ran, on names the host took from the
 * program's AST), live, like an ES module namespace. Self-contained like everything in guest/.
 */

export interface ProgramModuleConfig {
  /** The program file's name without directory and extension: `./loop.js` and `../src/loop` match `loop`. */
  stem: string;
  /** ES exports as [exported, local] pairs; null when the program has no `export`. */
  exports: [string, string][] | null;
  /** Top-level bindings, for a program that exports nothing (the usual generated program). */
  names: string[];
  /** Of those, the functions (a default import of a program that has one function gets it). */
  functions: string[];
}

export interface ProgramModule {
  /** [true, module] when `name` is the program, else [false]. `kind` 'default' asks for a default import. */
  load(name: string, kind: unknown, local: unknown): [boolean, unknown?];
}

export function createProgramModule(
  config: ProgramModuleConfig,
  moduleObject: { exports: unknown },
  globalEval: (code: string) => unknown,
): ProgramModule {
  const FunctionProto = Function.prototype;
  const uncurry = FunctionProto.bind.bind(FunctionProto.call) as unknown as (fn: Function) => (self: unknown, ...args: unknown[]) => unknown;
  const strLastIndexOf = uncurry(String.prototype.lastIndexOf) as (s: string, search: string) => number;
  const strSlice = uncurry(String.prototype.slice) as (s: string, from: number, to?: number) => string;
  const strStartsWith = uncurry(String.prototype.startsWith) as (s: string, prefix: string) => boolean;
  const create = Object.create as (proto: null) => Record<PropertyKey, unknown>;
  const defineProperty = Object.defineProperty;
  const preventExtensions = Object.preventExtensions;
  const ownKeys = Reflect.ownKeys;
  const toStringTag = Symbol.toStringTag;
  const extensions = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '.jsx', '.tsx'];
  const initialExports = moduleObject.exports;
  let namespace: object | undefined;

  function isProgram(name: string): boolean {
    if (!strStartsWith(name, './') && !strStartsWith(name, '../')) return false;
    let base = strSlice(name, strLastIndexOf(name, '/') + 1);
    for (let i = 0; i < extensions.length; i++) {
      const ext = extensions[i]!;
      if (base.length > ext.length && strSlice(base, base.length - ext.length) === ext) {
        base = strSlice(base, 0, base.length - ext.length);
        break;
      }
    }
    return base === config.stem;
  }

  /** A binding's current value; undefined while it is in its temporal dead zone or absent. */
  function read(local: string): unknown {
    try {
      return globalEval(local);
    } catch {
      return undefined;
    }
  }

  function usesCommonJs(): boolean {
    return moduleObject.exports !== initialExports || ownKeys(initialExports as object).length > 0;
  }

  function makeNamespace(): object {
    const ns = create(null);
    // Descriptors without a prototype: inherited `value`/`set` keys the program may have added
    // to Object.prototype must not turn into parts of them.
    const add = (exported: string, local: string) => {
      const d = create(null);
      d.get = () => read(local);
      d.enumerable = true;
      defineProperty(ns, exported, d as PropertyDescriptor);
    };
    if (config.exports) for (let i = 0; i < config.exports.length; i++) add(config.exports[i]![0], config.exports[i]![1]);
    else for (let i = 0; i < config.names.length; i++) add(config.names[i]!, config.names[i]!);
    const tag = create(null);
    tag.value = 'Module';
    defineProperty(ns, toStringTag, tag as PropertyDescriptor);
    preventExtensions(ns);
    return ns;
  }

  function defaultExport(local: unknown): unknown {
    if (config.exports) {
      for (let i = 0; i < config.exports.length; i++) if (config.exports[i]![0] === 'default') return read(config.exports[i]![1]);
    }
    if (usesCommonJs()) return moduleObject.exports;
    // A program that exports nothing: the binding named like the import, else its only function.
    for (let i = 0; i < config.names.length; i++) if (config.names[i] === local) return read(config.names[i]!);
    if (config.functions.length === 1) return read(config.functions[0]!);
    return (namespace ??= makeNamespace());
  }

  return {
    load(name, kind, local) {
      if (!isProgram(name)) return [false];
      if (kind === 'default') return [true, defaultExport(local)];
      if (!config.exports && usesCommonJs()) return [true, moduleObject.exports];
      return [true, (namespace ??= makeNamespace())];
    },
  };
}
