import { InstitutionTree, InstitutionTreeCache } from './institution-tree';

const edges = [
  { id: 'HO', parentId: null },
  { id: 'BR-1', parentId: 'HO' },
  { id: 'OUT-12', parentId: 'BR-1' },
  { id: 'OUT-11', parentId: 'BR-1' },
  { id: 'BR-2', parentId: 'HO' },
];

describe('InstitutionTree', () => {
  const tree = new InstitutionTree(edges);

  it('gives an institution with all its descendants, sorted', () => {
    expect(tree.subtreeOf('BR-1')).toEqual(['BR-1', 'OUT-11', 'OUT-12']);
    expect(tree.subtreeOf('HO')).toEqual(['BR-1', 'BR-2', 'HO', 'OUT-11', 'OUT-12']);
    expect(tree.subtreeOf('OUT-11')).toEqual(['OUT-11']);
  });

  it('knows no subtree of an unknown institution', () => {
    expect(tree.subtreeOf('NOPE')).toEqual([]);
  });

  it('gives the path from head office down to an institution', () => {
    expect(tree.pathTo('OUT-12')).toEqual(['HO', 'BR-1', 'OUT-12']);
    expect(tree.pathTo('HO')).toEqual(['HO']);
    expect(tree.pathTo('NOPE')).toEqual([]);
  });

  it('ends on a cycle in bad data', () => {
    const cyclic = new InstitutionTree([
      { id: 'A', parentId: 'B' },
      { id: 'B', parentId: 'A' },
    ]);
    expect(cyclic.subtreeOf('A')).toEqual(['A', 'B']);
    expect(cyclic.pathTo('A')).toEqual(['B', 'A']);
  });
});

describe('InstitutionTreeCache', () => {
  it('loads once until invalidated', async () => {
    let loads = 0;
    const cache = new InstitutionTreeCache(async () => {
      loads += 1;
      return edges;
    });
    await Promise.all([cache.subtreeOf('HO'), cache.subtreeOf('BR-1')]);
    await cache.subtreeOf('BR-2');
    expect(loads).toBe(1);
    cache.invalidate();
    await cache.subtreeOf('BR-2');
    expect(loads).toBe(2);
  });

  it('does not keep a load that an invalidation overtook', async () => {
    let release: (e: typeof edges) => void = () => undefined;
    let loads = 0;
    const cache = new InstitutionTreeCache(() => {
      loads += 1;
      return loads === 1
        ? new Promise((resolve) => (release = resolve))
        : Promise.resolve([...edges, { id: 'OUT-13', parentId: 'BR-1' }]);
    });
    const stale = cache.subtreeOf('BR-1');
    cache.invalidate();
    release(edges);
    expect(await stale).toEqual(['BR-1', 'OUT-11', 'OUT-12']);
    expect(await cache.subtreeOf('BR-1')).toEqual(['BR-1', 'OUT-11', 'OUT-12', 'OUT-13']);
  });

  it('tries again after a failed load', async () => {
    let loads = 0;
    const cache = new InstitutionTreeCache(async () => {
      loads += 1;
      if (loads === 1) throw new Error('connection lost');
      return edges;
    });
    await expect(cache.subtreeOf('HO')).rejects.toThrow('connection lost');
    expect(await cache.subtreeOf('OUT-11')).toEqual(['OUT-11']);
  });
});
