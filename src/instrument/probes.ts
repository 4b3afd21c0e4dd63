import * as t from '@babel/types';
import { template } from '../program/babel.js';
import type { ProbeWriter, Site } from '../program/cfg.js';

/** Names the probes use in the instrumented code; unguessable so user code cannot collide with them. */
export interface ProbeNames {
  /** The in-sandbox runtime object (a global). */
  runtime: string;
  /** Each instrumented function's frame (a local const). */
  frame: string;
}

const build = {
  start: template.statement(`%%R%%.s(%%F%%, %%INDEX%%, %%READER%%);`, { syntacticPlaceholders: true }),
  startExpression: template.expression(`%%R%%.s(%%F%%, %%INDEX%%, %%READER%%)`, { syntacticPlaceholders: true }),
  end: template.statement(`%%R%%.e(%%F%%);`, { syntacticPlaceholders: true }),
  test: template.expression(`%%R%%.t(%%VALUE%%, %%F%%)`, { syntacticPlaceholders: true }),
  returned: template.expression(`%%R%%.r(%%F%%, %%VALUE%%)`, { syntacticPlaceholders: true }),
  thrown: template.expression(`%%R%%.x(%%F%%, %%VALUE%%)`, { syntacticPlaceholders: true }),
  enter: template.statement(`const %%F%% = %%R%%.enter(%%INDEX%%, %%READER%%);`, { syntacticPlaceholders: true }),
  top: template.statement(`const %%F%% = %%R%%.top();`, { syntacticPlaceholders: true }),
  guarded: template.statement(`try { %%BODY%% } finally { %%R%%.leave(%%F%%); }`, { syntacticPlaceholders: true }),
  suspend: template.expression(`%%R%%.sus(%%F%%, %%VALUE%%)`, { syntacticPlaceholders: true }),
  resume: template.expression(`%%R%%.res(%%F%%, %%VALUE%%)`, { syntacticPlaceholders: true }),
};

/**
 * Writes the probe calls. Each block start hands the runtime a reader closure
 * (`k => { switch (k) { case 0: return a; ... } }`) so values are read lazily, by index, under
 * try/catch in the runtime: a variable still in its temporal dead zone is skipped, not fatal.
 */
export function createProbeWriter(names: ProbeNames, onSite: (site: Site) => void): ProbeWriter {
  const R = () => t.identifier(names.runtime);
  const F = () => t.identifier(names.frame);
  const read = (site: Site) => {
    onSite(site);
    return reader(site.vars, `${names.frame}k`);
  };
  const start = (site: Site) => ({ R: R(), F: F(), INDEX: t.numericLiteral(site.index), READER: read(site) });
  return {
    start: (site) => build.start(start(site)),
    end: () => build.end({ R: R(), F: F() }),
    test(site, test, started) {
      const value = started ? test : t.sequenceExpression([build.startExpression(start(site)), test]);
      return build.test({ R: R(), F: F(), VALUE: value });
    },
    returned: (argument) => build.returned({ R: R(), F: F(), VALUE: argument ?? voidZero() }),
    thrown: (argument) => build.thrown({ R: R(), F: F(), VALUE: argument }),
    loopItem: (site) => [build.start(start(site)), build.end({ R: R(), F: F() })],
    functionBody(entry, body) {
      if (!entry) return [build.top({ R: R(), F: F() }), ...body];
      return [
        build.enter({ R: R(), F: F(), INDEX: t.numericLiteral(entry.index), READER: read(entry) }),
        build.guarded({ R: R(), F: F(), BODY: body }),
      ];
    },
  };
}

/** `await x` / `yield x` keep the call depth right across suspensions: see the runtime's sus/res. */
export function wrapSuspension(names: ProbeNames, node: t.AwaitExpression | t.YieldExpression): t.Expression {
  const R = () => t.identifier(names.runtime);
  const F = () => t.identifier(names.frame);
  const argument = node.argument ?? voidZero();
  const suspended = build.suspend({ R: R(), F: F(), VALUE: argument });
  const again =
    node.type === 'AwaitExpression' ? t.awaitExpression(suspended) : t.yieldExpression(suspended, node.delegate);
  return build.resume({ R: R(), F: F(), VALUE: again });
}

function voidZero(): t.Expression {
  return t.unaryExpression('void', t.numericLiteral(0));
}

function reader(vars: string[], parameter: string): t.Expression {
  if (vars.length === 0) return t.nullLiteral();
  const k = t.identifier(parameter);
  const cases = vars.map((name, i) =>
    t.switchCase(t.numericLiteral(i), [t.returnStatement(name === 'this' ? t.thisExpression() : t.identifier(name))]),
  );
  return t.arrowFunctionExpression([k], t.blockStatement([t.switchStatement(k, cases)]));
}
