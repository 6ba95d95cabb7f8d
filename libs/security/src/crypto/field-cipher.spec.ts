import { randomBytes } from 'node:crypto';
import { FieldCipher, FieldCipherError } from './field-cipher';

const key = () => randomBytes(32).toString('base64');

describe('FieldCipher', () => {
  const cipher = new FieldCipher({ encryptionKey: key(), hashKey: key() });

  it('round-trips a value, including non-ASCII text', () => {
    for (const plain of ['110105199003071234', '13812345678', '张三 · 北京市朝阳区', '']) {
      expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
    }
  });

  it('writes the versioned compact form and never the plaintext', () => {
    const stored = cipher.encrypt('110105199003071234');
    expect(stored).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('110105199003071234');
  });

  it('uses a different IV, hence a different ciphertext, every time', () => {
    const a = cipher.encrypt('13812345678');
    const b = cipher.encrypt('13812345678');
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
    expect(a).not.toBe(b);
  });

  it('detects a tampered ciphertext', () => {
    const [version, iv, sealed] = cipher.encrypt('13812345678').split(':');
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[0] ^= 0x01;
    expect(() => cipher.decrypt(`${version}:${iv}:${bytes.toString('base64url')}`)).toThrow(FieldCipherError);
  });

  it('detects a swapped IV and a value sealed under another key', () => {
    const [version, , sealed] = cipher.encrypt('13812345678').split(':');
    expect(() => cipher.decrypt(`${version}:${randomBytes(12).toString('base64url')}:${sealed}`)).toThrow(
      /failed authentication/,
    );
    const other = new FieldCipher({ encryptionKey: key(), hashKey: key() });
    expect(() => cipher.decrypt(other.encrypt('13812345678'))).toThrow(/failed authentication/);
  });

  it.each([
    ['an unknown version', 'v9:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA'],
    ['a missing part', 'v1:AAAAAAAAAAAAAAAA'],
    ['an extra part', 'v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:x'],
    ['a short IV', 'v1:AAAA:AAAAAAAAAAAAAAAAAAAAAA'],
    ['no tag', 'v1:AAAAAAAAAAAAAAAA:AAAA'],
  ])('rejects %s', (_, stored) => {
    expect(() => cipher.decrypt(stored)).toThrow(FieldCipherError);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(
      () => new FieldCipher({ encryptionKey: randomBytes(16).toString('base64'), hashKey: key() }),
    ).toThrow(/PII_ENCRYPTION_KEY/);
    expect(() => new FieldCipher({ encryptionKey: key(), hashKey: 'c2hvcnQ=' })).toThrow(/PII_HASH_KEY/);
  });

  describe('blindIndex', () => {
    it('is stable hex for the same value', () => {
      const index = cipher.blindIndex('110105199003071234', 'id-number');
      expect(index).toMatch(/^[0-9a-f]{64}$/);
      expect(cipher.blindIndex('110105199003071234', 'id-number')).toBe(index);
    });

    it('normalises ID numbers: spaces and the lower-case check character', () => {
      expect(cipher.blindIndex(' 11010519900307123x ', 'id-number')).toBe(
        cipher.blindIndex('11010519900307123X', 'id-number'),
      );
    });

    it('normalises phone numbers: country code, spaces and dashes', () => {
      const plain = cipher.blindIndex('13812345678', 'phone');
      for (const variant of [
        '+86 138 1234 5678',
        '+86-138-1234-5678',
        '0086 13812345678',
        '8613812345678',
        '138-1234-5678',
      ]) {
        expect(cipher.blindIndex(variant, 'phone')).toBe(plain);
      }
    });

    it('separates kinds and keys', () => {
      expect(cipher.blindIndex('13812345678', 'phone')).not.toBe(
        cipher.blindIndex('13812345678', 'id-number'),
      );
      const other = new FieldCipher({ encryptionKey: key(), hashKey: key() });
      expect(other.blindIndex('13812345678', 'phone')).not.toBe(cipher.blindIndex('13812345678', 'phone'));
    });

    it('tells different values apart', () => {
      expect(cipher.blindIndex('13812345678', 'phone')).not.toBe(cipher.blindIndex('13812345679', 'phone'));
    });
  });
});
