import { barChart, escapeXml, niceTicks } from './svg';

describe('charts', () => {
  it('escapes markup and drops the control characters XML forbids', () => {
    expect(escapeXml('<a href="x">&\u0001</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });

  it('steps ticks roundly from zero past the maximum', () => {
    expect(niceTicks(11.5)).toEqual([0, 2.5, 5, 7.5, 10, 12.5]);
  });

  it('draws a bar per row, negative ones left of zero, each titled with its stated figure', () => {
    const svg = barChart({
      title: 'AUM growth',
      caption: 'by manager',
      bars: [
        { label: 'Wang <M1>', value: 200, shown: '200.00' },
        { label: 'Li', value: -100, shown: '-100.00' },
      ],
    });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('<title>Wang &lt;M1&gt;: 200.00</title>');
    expect(svg).toContain('fill="#dc2626"><title>Li: -100.00</title>');
    expect(barChart({ title: 'empty', caption: '', bars: [] })).toContain('nothing to rank');
  });
});
