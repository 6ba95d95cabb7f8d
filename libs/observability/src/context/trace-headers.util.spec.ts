import { correlationIdFrom, traceparentFrom } from './trace-headers.util';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlationIdFrom', () => {
  it('keeps a well-formed caller id', () => {
    expect(correlationIdFrom('scenario-42:step.1')).toBe('scenario-42:step.1');
    expect(correlationIdFrom(['first', 'second'])).toBe('first');
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['with a newline (log injection)', 'abc\n{"level":"fatal"}'],
    ['with spaces', 'a b'],
    ['too long', 'x'.repeat(129)],
  ])('generates a UUID when the header is %s', (_, header) => {
    expect(correlationIdFrom(header)).toMatch(UUID);
  });

  it('generates a new id each time', () => {
    expect(correlationIdFrom(undefined)).not.toBe(correlationIdFrom(undefined));
  });
});

describe('traceparentFrom', () => {
  const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('keeps a valid W3C traceparent, normalised to lower case', () => {
    expect(traceparentFrom(valid)).toBe(valid);
    expect(traceparentFrom(` ${valid.toUpperCase()} `)).toBe(valid);
  });

  it.each([
    ['absent', undefined],
    ['garbage', 'not-a-trace'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['an unknown version', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
  ])('drops %s', (_, header) => {
    expect(traceparentFrom(header)).toBeUndefined();
  });
});
