import type * as t from '@babel/types';

/** A name the program binds at top level: what tests can call or import. */
export interface TopLevelBinding {
  name: string;
  /** function: a function declaration or a variable bound to a function/arrow expression. */
  kind: 'function' | 'class' | 'variable';
  line: number;
}

/**
 * The program's top-level bindings in source order (declarations, including those behind an
 * `export` already rewritten away, and every name of a destructuring declaration). The one
 * answer to "does the program define X?" for the entry-point checks and for tests that import
 * the program.
 */
export function topLevelBindings(ast: t.File): TopLevelBinding[] {
  const found: TopLevelBinding[] = [];
  for (const statement of ast.program.body) {
    const declaration = unwrapExport(statement);
    const line = declaration?.loc?.start.line ?? 0;
    if (!declaration) continue;
    if (declaration.type === 'FunctionDeclaration' && declaration.id) found.push({ name: declaration.id.name, kind: 'function', line });
    else if (declaration.type === 'ClassDeclaration' && declaration.id) found.push({ name: declaration.id.name, kind: 'class', line });
    else if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        const value = declarator.id.type === 'Identifier' ? valueKind(declarator.init) : 'variable';
        for (const name of patternNames(declarator.id)) found.push({ name, kind: value, line });
      }
    }
  }
  return found;
}

function valueKind(node: t.Expression | null | undefined): TopLevelBinding['kind'] {
  switch (node?.type) {
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return 'function';
    case 'ClassExpression':
      return 'class';
    // `const f = ((x) => …) as Fn` and friends: look through the type wrapper.
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'ParenthesizedExpression':
      return valueKind(node.expression);
    default:
      return 'variable';
  }
}

function unwrapExport(statement: t.Statement): t.Node | null | undefined {
  if (statement.type === 'ExportNamedDeclaration') return statement.declaration;
  if (statement.type === 'ExportDefaultDeclaration') return statement.declaration;
  return statement;
}

/** Names bound by a declaration's left side (`a`, `{ a, b: [c] }`, `[d = 1, ...e]`). */
function patternNames(node: t.Node): string[] {
  switch (node.type) {
    case 'Identifier':
      return [node.name];
    case 'ObjectPattern':
      return node.properties.flatMap((p) => patternNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return node.elements.flatMap((e) => (e ? patternNames(e) : []));
    case 'AssignmentPattern':
      return patternNames(node.left);
    case 'RestElement':
      return patternNames(node.argument);
    default:
      return [];
  }
}
