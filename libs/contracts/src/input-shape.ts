/**
 * Deepest nesting any input (a request body, an event payload) may have. Ours need 4;
 * class-transformer and class-validator recurse per level, so thousands of levels would overflow
 * the stack before any rule is checked.
 */
export const MAX_INPUT_DEPTH = 32;

const NUL = '\u0000';

export interface InputShape {
  /** Nested deeper than the limit: the walk stopped there, `nulPaths` may be incomplete. */
  tooDeep: boolean;
  /** Paths (`items[0].note`) of the keys and strings holding a NUL character, which PostgreSQL text cannot store. */
  nulPaths: string[];
}

const childPath = (parent: string, key: string, index: boolean): string =>
  index ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/** Walks parsed JSON without recursion, so that a hostile depth cannot overflow the walk itself. */
export function inspectInputShape(value: unknown, root = '', maxDepth = MAX_INPUT_DEPTH): InputShape {
  const nulPaths: string[] = [];
  const stack: { value: unknown; path: string; depth: number; nulInKey: boolean }[] = [
    { value, path: root, depth: 0, nulInKey: false },
  ];
  while (stack.length > 0) {
    const { value: current, path, depth, nulInKey } = stack.pop()!;
    if (nulInKey) nulPaths.push(path);
    if (typeof current === 'string') {
      if (current.includes(NUL)) nulPaths.push(path);
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return { tooDeep: true, nulPaths };
    const isArray = Array.isArray(current);
    const children = Object.entries(current);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i];
      stack.push({
        value: child,
        path: childPath(path, key, isArray),
        depth: depth + 1,
        nulInKey: key.includes(NUL),
      });
    }
  }
  return { tooDeep: false, nulPaths };
}
