import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import { FieldCipher, FieldCipherError } from './field-cipher';

const LABEL = 'bank-crm pii key fingerprint v1';

/** The keys given are not the ones the schema's data was written with. */
export class PiiKeyMismatchError extends Error {
  override name = 'PiiKeyMismatchError';
}

export interface PiiKeys {
  encryptionKey: string;
  hashKey: string;
}

/**
 * Records the keys' fingerprint in the schema on first use (an HMAC of a fixed label under the hash
 * key, the label encrypted under the encryption key), and afterwards throws PiiKeyMismatchError
 * when either key differs from the recorded one. Neither value reveals a key.
 */
export async function checkPiiKeys(dataSource: DataSource, keys: PiiKeys): Promise<'recorded' | 'matched'> {
  const schema = schemaOf(dataSource);
  const cipher = new FieldCipher(keys);
  const hashKeyMac = createHmac('sha256', Buffer.from(keys.hashKey, 'base64')).update(LABEL).digest('hex');
  const inserted: unknown[] = await dataSource.query(
    `INSERT INTO "${schema}".pii_key_fingerprint (hash_key_mac, encryption_check) VALUES ($1, $2)
     ON CONFLICT (singleton) DO NOTHING RETURNING 1`,
    [hashKeyMac, cipher.encrypt(LABEL)],
  );
  if (inserted.length > 0) return 'recorded';

  const [recorded]: { hash_key_mac: string; encryption_check: string; recorded_at: Date }[] =
    await dataSource.query(
      `SELECT hash_key_mac, encryption_check, recorded_at FROM "${schema}".pii_key_fingerprint`,
    );
  const wrong: string[] = [];
  if (!decryptsToLabel(cipher, recorded.encryption_check)) wrong.push('PII_ENCRYPTION_KEY');
  if (recorded.hash_key_mac !== hashKeyMac) wrong.push('PII_HASH_KEY');
  if (wrong.length === 0) return 'matched';
  throw new PiiKeyMismatchError(
    `${wrong.join(' and ')} ${wrong.length > 1 ? 'are' : 'is'} not the key the data in schema "${schema}" ` +
      `was written with (first used ${recorded.recorded_at.toISOString()}): this process could not read ` +
      `that data and others could not read what it writes. Start it with the keys of the checkout that ` +
      `wrote the schema (its .local/dev.env), or give it a database or DATABASE_SCHEMA of its own.`,
  );
}

function decryptsToLabel(cipher: FieldCipher, check: string): boolean {
  try {
    return cipher.decrypt(check) === LABEL;
  } catch (error) {
    if (error instanceof FieldCipherError) return false;
    throw error;
  }
}
