import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { normaliseIdNumber, normalisePhone } from './pii-normalise.util';

/** Domain separation for blind indexes: the same digits as a phone and as an ID number hash differently. */
export type BlindIndexKind = 'id-number' | 'phone';

export class FieldCipherError extends Error {
  override name = 'FieldCipherError';
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// The version names the key and algorithm; a rotated key gets v2 and old values stay readable until re-encrypted.
const VERSION = 'v1';

function keyFromBase64(name: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES)
    throw new FieldCipherError(`${name} must be base64 of exactly ${KEY_BYTES} bytes`);
  return key;
}

/**
 * Encryption of PII columns at rest (AES-256-GCM, a fresh random IV per value) and keyed hashes
 * (HMAC-SHA256 blind indexes) to find a row by exact ID or phone number without decrypting.
 * Stored form: `v1:<base64url iv>:<base64url ciphertext+tag>`.
 */
export class FieldCipher {
  private readonly encryptionKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(keys: { encryptionKey: string; hashKey: string }) {
    this.encryptionKey = keyFromBase64('PII_ENCRYPTION_KEY', keys.encryptionKey);
    this.hashKey = keyFromBase64('PII_HASH_KEY', keys.hashKey);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
  }

  /** Throws FieldCipherError when the value is malformed, of an unknown version, or was altered. */
  decrypt(stored: string): string {
    const [version, ivText, sealedText, ...extra] = stored.split(':');
    if (version !== VERSION)
      throw new FieldCipherError(`unsupported ciphertext version ${JSON.stringify(version)}`);
    if (ivText === undefined || sealedText === undefined || extra.length > 0)
      throw new FieldCipherError('malformed ciphertext');
    const iv = Buffer.from(ivText, 'base64url');
    const sealed = Buffer.from(sealedText, 'base64url');
    if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES)
      throw new FieldCipherError('malformed ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new FieldCipherError(
        'ciphertext failed authentication (altered, or encrypted under another key)',
      );
    }
  }

  /** Hex HMAC of the normalised value; store it beside the ciphertext and query by equality. */
  blindIndex(value: string, kind: BlindIndexKind): string {
    const normalised = kind === 'phone' ? normalisePhone(value) : normaliseIdNumber(value);
    return createHmac('sha256', this.hashKey).update(`${kind}\u0000${normalised}`, 'utf8').digest('hex');
  }
}
