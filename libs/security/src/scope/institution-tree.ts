/** One institution and its parent (null for head office), as a service's institution table holds it. */
export interface InstitutionEdge {
  id: string;
  parentId: string | null;
}

/** An institution tree in memory: the subtree of any institution without a query. */
export class InstitutionTree {
  private readonly children = new Map<string, string[]>();
  private readonly parents = new Map<string, string>();
  private readonly known = new Set<string>();
  private readonly subtrees = new Map<string, readonly string[]>();

  constructor(edges: readonly InstitutionEdge[]) {
    for (const { id, parentId } of edges) {
      this.known.add(id);
      if (parentId === null) continue;
      this.parents.set(id, parentId);
      const siblings = this.children.get(parentId);
      if (siblings) siblings.push(id);
      else this.children.set(parentId, [id]);
    }
  }

  /** The institution and all its descendants, sorted; empty when the institution is unknown. */
  subtreeOf(institutionId: string): readonly string[] {
    const cached = this.subtrees.get(institutionId);
    if (cached) return cached;
    if (!this.known.has(institutionId)) return [];
    const seen = new Set<string>([institutionId]);
    const queue = [institutionId];
    while (queue.length > 0) {
      for (const child of this.children.get(queue.pop() as string) ?? []) {
        // A cycle in bad data must not loop forever.
        if (seen.has(child)) continue;
        seen.add(child);
        queue.push(child);
      }
    }
    const subtree = Object.freeze([...seen].sort());
    this.subtrees.set(institutionId, subtree);
    return subtree;
  }

  /** The institution's ancestors from the top down, then the institution; empty when it is unknown. */
  pathTo(institutionId: string): readonly string[] {
    if (!this.known.has(institutionId)) return [];
    const path = [institutionId];
    for (
      let at = this.parents.get(institutionId);
      at !== undefined && !path.includes(at);
      at = this.parents.get(at)
    )
      path.push(at);
    return path.reverse();
  }
}

/**
 * The tree loaded once and kept until `invalidate()`; a load that an invalidation overtakes is not
 * kept, so a change is never hidden behind a read that started before it.
 */
export class InstitutionTreeCache {
  private generation = 0;
  private current: { generation: number; tree: Promise<InstitutionTree> } | null = null;

  constructor(private readonly load: () => Promise<readonly InstitutionEdge[]>) {}

  async subtreeOf(institutionId: string): Promise<readonly string[]> {
    return (await this.tree()).subtreeOf(institutionId);
  }

  async pathTo(institutionId: string): Promise<readonly string[]> {
    return (await this.tree()).pathTo(institutionId);
  }

  invalidate(): void {
    this.generation += 1;
    this.current = null;
  }

  private tree(): Promise<InstitutionTree> {
    if (this.current?.generation === this.generation) return this.current.tree;
    const generation = this.generation;
    const tree = this.load().then((edges) => new InstitutionTree(edges));
    this.current = { generation, tree };
    tree.catch(() => {
      if (this.current?.tree === tree) this.current = null;
    });
    return tree;
  }
}
