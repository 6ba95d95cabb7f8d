import { RequestValidationException } from '@crm/http';
import { RejectNulCharactersPipe, nulCharacterPaths } from './reject-nul.pipe';

describe('RejectNulCharactersPipe', () => {
  it('finds NUL characters at any depth, naming the path', () => {
    expect(nulCharacterPaths({ a: 'ok', b: ['x', 'y\u0000'], c: { d: '\u0000' } }, '')).toEqual([
      'b[1]',
      'c.d',
    ]);
  });

  it('rejects a body field with a 400 naming it and lets clean input through', () => {
    const pipe = new RejectNulCharactersPipe();
    expect(pipe.transform({ reason: 'fine' }, { type: 'body' })).toEqual({ reason: 'fine' });
    expect(() => pipe.transform({ reason: 'a\u0000b' }, { type: 'body' })).toThrow(
      RequestValidationException,
    );
    let error: unknown;
    try {
      pipe.transform({ customerId: 'C\u0000' }, { type: 'param' });
    } catch (e) {
      error = e;
    }
    expect((error as RequestValidationException).errors).toEqual([
      { field: 'customerId', message: 'customerId must not contain NUL characters' },
    ]);
  });
});
