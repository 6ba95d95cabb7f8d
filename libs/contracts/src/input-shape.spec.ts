import { MAX_INPUT_DEPTH, inspectInputShape } from './input-shape';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('inspectInputShape', () => {
  it('accepts nesting up to the limit and stops past it, without recursion', () => {
    expect(inspectInputShape(nested(MAX_INPUT_DEPTH)).tooDeep).toBe(false);
    expect(inspectInputShape(nested(MAX_INPUT_DEPTH + 1)).tooDeep).toBe(true);
    expect(inspectInputShape(nested(200_000)).tooDeep).toBe(true);
  });

  it('names every string and key holding a NUL character, in document order', () => {
    expect(
      inspectInputShape(
        { name: 'a\u0000', items: [{ note: 'ok' }, { note: '\u0000' }], ['k\u0000']: 1 },
        'body',
      ).nulPaths,
    ).toEqual(['body.name', 'body.items[1].note', 'body.k\u0000']);
    expect(inspectInputShape('\u0000', 'cursor').nulPaths).toEqual(['cursor']);
    expect(inspectInputShape({ name: 'clean', n: 1, none: null }).nulPaths).toEqual([]);
  });
});
