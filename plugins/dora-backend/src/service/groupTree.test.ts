import { MAX_GROUP_DEPTH, walkGroupTree } from './groupTree';

type Node = { ref: string; children: string[] };

function orgChart(nodes: Node[]) {
  const byRef = new Map(nodes.map(n => [n.ref, n]));
  const loads: string[][] = [];
  const walk = (rootRef: string) =>
    walkGroupTree<Node>({
      root: byRef.get(rootRef)!,
      rootRef,
      childRefs: n => n.children,
      load: refs => {
        loads.push(refs);
        return refs.flatMap(ref => byRef.get(ref) ?? []);
      },
    });
  return { walk, loads };
}

describe('walkGroupTree', () => {
  it('visits every group below the root once, loading one level at a time', async () => {
    const { walk, loads } = orgChart([
      { ref: 'engineering', children: ['payments', 'storefront'] },
      { ref: 'payments', children: ['payments-sre', 'shared'] },
      { ref: 'storefront', children: ['shared'] },
      { ref: 'payments-sre', children: [] },
      { ref: 'shared', children: [] },
    ]);
    const { refs, groups } = await walk('engineering');
    expect([...refs].sort()).toEqual([
      'engineering',
      'payments',
      'payments-sre',
      'shared',
      'storefront',
    ]);
    expect(groups.map(g => g.ref)).toEqual([
      'engineering',
      'payments',
      'storefront',
      'payments-sre',
      'shared',
    ]);
    expect(loads).toEqual([
      ['payments', 'storefront'],
      ['payments-sre', 'shared'],
    ]);
  });

  it('keeps a child it cannot load among the refs without following it', async () => {
    const { walk } = orgChart([{ ref: 'payments', children: ['hidden'] }]);
    const { refs, groups } = await walk('payments');
    expect([...refs]).toEqual(['payments', 'hidden']);
    expect(groups.map(g => g.ref)).toEqual(['payments']);
  });

  it('stops at a cycle and after the deepest level it follows', async () => {
    const cycle = orgChart([
      { ref: 'a', children: ['b'] },
      { ref: 'b', children: ['a'] },
    ]);
    expect([...(await cycle.walk('a')).refs]).toEqual(['a', 'b']);

    const chain = Array.from({ length: MAX_GROUP_DEPTH + 5 }, (_, i) => ({
      ref: `g${i}`,
      children: [`g${i + 1}`],
    }));
    const deep = orgChart(chain);
    const { refs } = await deep.walk('g0');
    expect(refs.size).toBe(MAX_GROUP_DEPTH + 1);
    expect(deep.loads).toHaveLength(MAX_GROUP_DEPTH);
  });
});
