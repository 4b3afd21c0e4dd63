import { traverseFast, type Node, type Statement } from '@babel/types';
import { runTests } from '../../api.js';
import { unifiedDiff } from '../../debugger/diff.js';
import { parseSource } from '../../program/parse.js';
import { limitsFor, programAndTests, type CallControl, type ToolContext } from '../context.js';
import { formatRun, runData, toolResult, type ToolResult } from '../results.js';
import type { CheckPatchInput, RunTestsInput } from '../schemas.js';

/** run_tests: every case on its own in the sandbox, with its outcome and console output. */
export async function runTestsTool(context: ToolContext, args: RunTestsInput, control: CallControl): Promise<ToolResult> {
  const { program, cases } = await programAndTests(context, args);
  const run = await context.pool.use(
    (sandbox) =>
      runTests({ code: program.code, filename: program.filename, tests: cases, limits: limitsFor(context, args), entryPoint: args.entryPoint, sandbox }),
    control.signal,
  );
  return toolResult(formatRun(run), runData(run));
}

/** Names the tests may call without the program defining them. */
const PROVIDED = new Set(['assert', 'require', 'console', 'expect', 'describe', 'it', 'test']);

/**
 * check_patch: run_tests on the patched program, plus whether it still defines every function the
 * tests call (or the entry point) and, given the original, the diff.
 */
export async function checkPatchTool(context: ToolContext, args: CheckPatchInput, control: CallControl): Promise<ToolResult> {
  const { program, cases, tests } = await programAndTests(context, args);
  const original = await context.workspace.optionalText('original', args.original, args.originalPath, program.filename);
  const run = await context.pool.use(
    (sandbox) => runTests({ code: program.code, filename: program.filename, tests: cases, limits: limitsFor(context, args), sandbox }),
    control.signal,
  );
  const called = args.entryPoint ? [args.entryPoint] : calledByTests(tests.code, tests.filename);
  const defined = topLevelNames(parseSource(program.code, { filename: program.filename }).program.body);
  const missing = called.filter((name) => !defined.has(name));
  const diff = original ? unifiedDiff(original.code, program.code, { fromName: original.filename, toName: `${program.filename} (patched)` }) : null;
  const lines = [formatRun(run)];
  lines.push(missing.length > 0 ? `The patch no longer defines: ${missing.join(', ')}.` : `The patch defines what the tests call (${called.join(', ') || 'nothing named'}).`);
  if (diff !== null) lines.push(diff === '' ? 'No change from the original.' : diff.trimEnd());
  return toolResult(lines.join('\n'), { ...runData(run), defines: { called, missing }, diff });
}

/** Functions the test script calls by name that it does not define and that are not globals. */
function calledByTests(source: string, filename: string): string[] {
  const ast = parseSource(source, { filename });
  const declared = topLevelNames(ast.program.body);
  const called = new Set<string>();
  traverseFast(ast.program, (node: Node) => {
    if ((node.type === 'CallExpression' || node.type === 'NewExpression') && node.callee.type === 'Identifier') called.add(node.callee.name);
  });
  return [...called].filter((name) => !declared.has(name) && !PROVIDED.has(name) && !(name in globalThis));
}

/** What a program defines at top level: functions, classes and variables. */
function topLevelNames(body: Statement[]): Set<string> {
  const names = new Set<string>();
  for (const exported of body) {
    const statement = exported.type === 'ExportNamedDeclaration' && exported.declaration ? exported.declaration : exported;
    if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) names.add(statement.id.name);
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) if (declarator.id.type === 'Identifier') names.add(declarator.id.name);
    }
  }
  return names;
}
