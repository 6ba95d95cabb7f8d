import { rfmScoreSql, rfmSegmentOf } from './rfm.rule';

describe('RFM', () => {
  it.each([
    [5, 5, 5, 'champions'],
    [4, 4, 4, 'champions'],
    [4, 4, 3, 'loyal'],
    [3, 5, 1, 'loyal'],
    [5, 3, 5, 'potential'],
    [4, 1, 1, 'potential'],
    [3, 3, 3, 'needs-attention'],
    [2, 3, 1, 'at-risk'],
    [1, 1, 4, 'at-risk'],
    [2, 2, 3, 'hibernating'],
    [1, 2, 3, 'lost'],
  ])('names R%i F%i M%i %s', (r, f, m, segment) => {
    expect(rfmSegmentOf(r, f, m)).toBe(segment);
  });

  it('names every combination of scores', () => {
    const seen = new Set<string>();
    for (const r of [1, 2, 3, 4, 5])
      for (const f of [1, 2, 3, 4, 5]) for (const m of [1, 2, 3, 4, 5]) seen.add(rfmSegmentOf(r, f, m));
    expect(seen.size).toBe(7);
  });

  it('reads a score from the highest breakpoint a value reaches, fewer days being better for recency', () => {
    const bounds = [
      { score: 1, bound: '$1' },
      { score: 3, bound: '$2' },
      { score: 5, bound: '$3' },
    ];
    expect(rfmScoreSql('x', 'higher', bounds)).toBe(
      '(CASE WHEN x >= $3 THEN 5 WHEN x >= $2 THEN 3 WHEN x >= $1 THEN 1 END)::smallint',
    );
    expect(rfmScoreSql('d', 'lower', bounds)).toContain('WHEN d <= $3 THEN 5');
    expect(rfmScoreSql('x', 'higher', [])).toBe('NULL::smallint');
  });
});
