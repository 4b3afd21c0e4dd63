import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { resolveLocalModules, type ReadLocalFile } from '../../src/instrument/local-modules.js';

/** A program folder in memory: path (relative to the folder) -> text. */
function folder(files: Record<string, string>): ReadLocalFile & { reads: string[] } {
  const reads: string[] = [];
  const read = async (path: string) => {
    reads.push(path);
    return Object.hasOwn(files, path) ? files[path] : undefined;
  };
  return Object.assign(read, { reads });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('resolveLocalModules', () => {
  it('finds the helpers a program imports, and theirs, dependencies first', async () => {
    const program = "import { clamp } from './util';\nconst { square } = require('./lib/math.js');\n";
    const files = folder({
      'util.js': "import { min } from './lib/math';\nexport const clamp = (x) => min(x, 10);\n",
      'lib/math.js': 'exports.min = Math.min;\nexports.square = (x) => x * x;\n',
    });
    const graph = await resolveLocalModules(program, 'src/main.js', files);
    expect(graph.imports).toEqual({ './util': 'util.js', './lib/math.js': 'lib/math.js' });
    expect(graph.modules.map((m) => m.file)).toEqual(['lib/math.js', 'util.js']);
    expect(graph.modules[1]!.imports).toEqual({ './lib/math': 'lib/math.js' });
  });

  it('resolves an index file, a TypeScript helper and a .js name of a .ts file', async () => {
    const program = "import a from './a';\nimport b from './b.js';\nimport c from './c';\n";
    const files = folder({ 'a.ts': 'export default 1;', 'b.ts': 'export default 2;', 'c/index.js': 'module.exports = 3;' });
    const graph = await resolveLocalModules(program, 'main.ts', files);
    expect(graph.imports).toEqual({ './a': 'a.ts', './b.js': 'b.ts', './c': 'c/index.js' });
  });

  it('leaves a program without local imports alone and reads nothing', async () => {
    const files = folder({});
    const graph = await resolveLocalModules("const assert = require('assert');\nfunction f() {}\n", 'main.js', files);
    expect(graph).toEqual({ imports: {}, modules: [] });
    expect(files.reads).toEqual([]);
  });

  it('refuses a missing file, naming the import and where it is', async () => {
    const message = await failure(resolveLocalModules("\n  import { x } from './nope';\n", 'main.js', folder({})));
    expect(message).toMatch(/^main\.js:2:3: '\.\/nope' was not found \(tried nope\.js, nope\.ts, \.\.\./);
  });

  it('refuses a file outside the program folder', async () => {
    const message = await failure(resolveLocalModules("import x from '../elsewhere/x.js';\n", 'main.js', folder({ '../elsewhere/x.js': '' })));
    expect(message).toContain("main.js:1:1: '../elsewhere/x.js' is outside the program's folder");
  });

  it('refuses an npm package and an absolute path in a helper, naming the helper', async () => {
    const files = folder({ 'util.js': "\nconst _ = require('lodash');\n", 'abs.js': "import x from '/etc/x.js';\n" });
    expect(await failure(resolveLocalModules("require('./util');\n", 'main.js', files))).toMatch(
      /^util\.js:2:11: 'lodash' cannot be loaded: npm packages are not available/,
    );
    expect(await failure(resolveLocalModules("require('./abs');\n", 'main.js', files))).toMatch(/^abs\.js:1:1: '\/etc\/x\.js' cannot be loaded: import helper files by a relative path/);
  });

  it('refuses a cycle, showing the chain', async () => {
    const files = folder({ 'a.js': "require('./b');\n", 'b.js': "require('./a');\n" });
    const message = await failure(resolveLocalModules("require('./a');\n", 'main.js', files));
    expect(message).toContain("b.js:1:1: './a' imports a file that is still loading (an import cycle: a.js -> b.js -> a.js)");
    const back = folder({ 'a.js': "require('./main');\n" });
    expect(await failure(resolveLocalModules("require('./a');\n", 'main.js', back))).toContain('main.js -> a.js -> main.js');
  });

  it('refuses a data file', async () => {
    const message = await failure(resolveLocalModules("const d = require('./data.json');\n", 'main.js', folder({ 'data.json': '{}' })));
    expect(message).toContain("'./data.json' is not a JavaScript or TypeScript file");
  });

  it('loads a helper imported twice once', async () => {
    const files = folder({ 'a.js': "require('./c');\n", 'b.js': "require('./c');\n", 'c.js': 'exports.c = 1;\n' });
    const graph = await resolveLocalModules("require('./a');\nrequire('./b');\n", 'main.js', files);
    expect(graph.modules.map((m) => m.file)).toEqual(['c.js', 'a.js', 'b.js']);
  });
});
