import type { VerdictTarget } from '../compact.js';
import type { Item } from './outline.js';
import type { Layout } from './units.js';

/**
 * What verdicts are asked for. Block and line level: every block (line) that ran, in source order,
 * each marked with whether the text shows one of its steps (a block that ran only in a cut stretch,
 * such as a sort's swap, is still judged, from the code and the values around it). Function level:
 * the calls the text shows, in order (a call's id means nothing without its line).
 */
export function targetsOf(items: Item[], dropped: Set<number>, layout: Layout): VerdictTarget[] {
  const shownUnits = new Set(items.flatMap((item, i) => (item.kind === 'unit' && !dropped.has(i) ? [item.unit] : [])));
  const candidates = layout.noun === 'call' ? layout.units.filter((_, u) => shownUnits.has(u)) : layout.units;
  const shownIds = new Set([...shownUnits].flatMap((u) => [...layout.units[u]!.targets, ...layout.units[u]!.fallbackTargets].map((t) => t.id)));
  const mark = (targets: VerdictTarget[]): VerdictTarget[] => targets.map((t) => ({ ...t, shown: shownIds.has(t.id) }));
  const primary = mergeTargets(mark(candidates.flatMap((u) => u.targets)));
  const targets = primary.length > 0 ? primary : mergeTargets(mark(candidates.flatMap((u) => u.fallbackTargets)));
  if (layout.noun === 'call') return targets;
  // Stable: blocks that start on the same line keep the order they first ran in.
  return targets.sort((a, b) => a.lines.start - b.lines.start);
}

/** One target per id, with the blocks of every unit that asked about it (a line can lie in several blocks). */
function mergeTargets(targets: VerdictTarget[]): VerdictTarget[] {
  const byId = new Map<string, VerdictTarget>();
  for (const target of targets) {
    const known = byId.get(target.id);
    if (!known) byId.set(target.id, { ...target, blocks: [...target.blocks] });
    else for (const b of target.blocks) if (!known.blocks.includes(b)) known.blocks.push(b);
  }
  return [...byId.values()];
}
