import { transformSync } from '@babel/core';
import presetTypescript from '@babel/preset-typescript';
import { InputError } from '../errors.js';

/**
 * A TypeScript test script as JavaScript, every statement on the line it had (the reported line
 * of a case, and the line of a failing assertion, are the file's own). Columns may move where a
 * type annotation was removed. The script is parsed first by the caller, so syntax errors are
 * reported against the TypeScript text; what Babel parses but cannot transform is an InputError.
 */
export function stripTypes(script: string, filename: string): string {
  const tsx = /\.[cm]?tsx$/i.test(filename);
  try {
    const result = transformSync(script, {
      filename,
      babelrc: false,
      configFile: false,
      retainLines: true,
      compact: false,
      sourceType: 'script',
      parserOpts: { allowAwaitOutsideFunction: true, allowImportExportEverywhere: true },
      presets: [[presetTypescript, { isTSX: tsx, allExtensions: true, onlyRemoveTypeImports: true }]],
    });
    if (typeof result?.code !== 'string') throw new Error('no output');
    return result.code;
  } catch (error) {
    const reason = (error as Error).message.replace(/^[^:]*: /, '').split('\n')[0];
    throw new InputError(`${filename}: the TypeScript of the test file could not be turned into JavaScript: ${reason}`);
  }
}
