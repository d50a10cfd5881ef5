import { describe, expect, it } from 'vitest';
import { CHILD_TYPES } from '../../../contracts/orgs.js';
import { planCityTree } from './city-tree.js';
import { createRandom } from './generate.js';

describe('city-scale org tree', () => {
  it.each([
    { orgs: 15_000, members: 250_000 },
    { orgs: 1_200, members: 30_000 },
  ])('has exactly $orgs orgs and $members members in branches of 5–80, leaves at depth 3–5', (target) => {
    const tree = planCityTree(createRandom(7), target);
    expect(tree.length).toBe(target.orgs);
    const branches = tree.filter((o) => o.type === 'branch');
    expect(branches.reduce((n, b) => n + b.size, 0)).toBe(target.members);
    expect(Math.min(...branches.map((b) => b.size))).toBeGreaterThanOrEqual(5);
    expect(Math.max(...branches.map((b) => b.size))).toBeLessThanOrEqual(80);
    expect(tree.filter((o) => o.type !== 'branch').every((o) => o.size === 0)).toBe(true);
    const hasChildren = new Set(tree.map((o) => o.parent));
    const leafDepths = new Set(tree.filter((_, i) => !hasChildren.has(i)).map((o) => o.depth));
    expect([...leafDepths].every((d) => d >= 3 && d <= 5)).toBe(true);
    expect(Math.max(...tree.map((o) => o.depth))).toBe(5);
    tree.forEach((o, i) => {
      if (i === 0) return expect(o).toMatchObject({ parent: -1, type: 'work_committee' });
      expect(o.parent).toBeLessThan(i);
      expect(CHILD_TYPES[tree[o.parent]!.type]).toContain(o.type);
    });
    const siblings = new Set(tree.map((o) => `${o.parent}/${o.name}`));
    expect(siblings.size).toBe(tree.length);
  });

  it('refuses targets that cannot give branches of 5–80 members', () => {
    expect(() => planCityTree(createRandom(1), { orgs: 15_000, members: 10_000 })).toThrow(/5–80/);
  });
});
