import type { NodePath } from '@babel/traverse';
import type * as t from '@babel/types';

/** A readable name for a function, from its own id or from where it is bound (`const f = () => ...`). */
export function baseNameOf(path: NodePath<t.Function>): string {
  const node = path.node;
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.id) return node.id.name;
  if (node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod' || node.type === 'ObjectMethod') {
    const key = keyName(node.key);
    const owner = node.type === 'ObjectMethod' ? undefined : classNameOf(path);
    return owner ? `${owner}.${key}` : key;
  }
  const parent = path.parentPath?.node;
  if (!parent) return 'anonymous';
  switch (parent.type) {
    case 'VariableDeclarator':
      return parent.id.type === 'Identifier' ? parent.id.name : 'anonymous';
    case 'AssignmentExpression':
      return memberName(parent.left) ?? 'anonymous';
    case 'ObjectProperty':
      return keyName(parent.key);
    case 'ClassProperty':
    case 'ClassPrivateProperty': {
      const owner = path.parentPath ? classNameOf(path.parentPath) : undefined;
      const key = keyName(parent.key);
      return owner ? `${owner}.${key}` : key;
    }
    default:
      return 'anonymous';
  }
}

/** Whether `this` is meaningful state inside the function (methods and constructors). */
export function isMethodLike(path: NodePath<t.Function>): boolean {
  const node = path.node;
  if (node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod' || node.type === 'ObjectMethod') return true;
  const parent = path.parentPath?.node;
  return node.type === 'FunctionExpression' && (parent?.type === 'ObjectProperty' || parent?.type === 'ClassProperty');
}

function classNameOf(path: NodePath): string | undefined {
  const cls = path.findParent((p) => p.isClass());
  if (!cls) return undefined;
  const node = cls.node as t.Class;
  if (node.id) return node.id.name;
  const holder = cls.parentPath?.node;
  return holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' ? holder.id.name : undefined;
}

function keyName(key: t.Node): string {
  switch (key.type) {
    case 'Identifier':
      return key.name;
    case 'StringLiteral':
      return key.value;
    case 'NumericLiteral':
      return String(key.value);
    case 'PrivateName':
      return `#${key.id.name}`;
    default:
      return 'computed';
  }
}

function memberName(node: t.Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed) {
    const object = memberName(node.object) ?? (node.object.type === 'ThisExpression' ? 'this' : undefined);
    return object ? `${object}.${keyName(node.property)}` : keyName(node.property);
  }
  return undefined;
}
