/**
 * patches/kafkajs+2.2.4.patch writes a record's headers in place instead of through an encoder each. The
 * bytes on the wire must stay those of the Kafka record format v2 as kafkajs wrote them: this encodes records
 * the way the unpatched module did, from kafkajs's own Header encoder, and compares.
 */
import { readFileSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's protocol modules have no typings */
const Encoder = require('kafkajs/src/protocol/encoder');
const Header = require('kafkajs/src/protocol/recordBatch/header/v0');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
/* eslint-enable @typescript-eslint/no-require-imports */

interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer | (string | Buffer)[]>;
}

function unpatched({ offsetDelta = 0, timestampDelta = 0, key, value, headers = {} }: RecordInput): Buffer {
  const headersArray = Object.keys(headers).flatMap((k) => {
    const v = headers[k];
    return Array.isArray(v) ? v.map((one) => ({ key: k, value: one })) : [{ key: k, value: v }];
  });
  const body = new Encoder()
    .writeInt8(0)
    .writeVarLong(timestampDelta)
    .writeVarInt(offsetDelta)
    .writeVarIntBytes(key)
    .writeVarIntBytes(value)
    .writeVarIntArray(headersArray.map(Header)).buffer as Buffer;
  return Buffer.concat([new Encoder().writeVarInt(body.length).buffer, body]);
}

describe('the kafkajs record encoder as patched', () => {
  const cases: [string, RecordInput][] = [
    ['no headers', { key: 'C100000000001', value: '{"a":1}' }],
    [
      'CloudEvents headers',
      {
        offsetDelta: 7,
        timestampDelta: 1234,
        key: 'C100000000001',
        value: JSON.stringify({ amount: '800000.00', note: '一年期定期存款' }),
        headers: {
          ce_id: '0b6f5a1e-2c1d-4f7a-9d4e-1f2a3b4c5d6e',
          ce_source: '/crm/campaign-service',
          ce_type: 'crm.campaign.contact.requested',
          ce_specversion: '1.0',
          ce_time: '2026-11-28T09:00:00.000+08:00',
          ce_subject: 'C100000000001',
          'content-type': 'application/json',
        },
      },
    ],
    [
      'a repeated header and a buffer value',
      { key: null, value: null, headers: { h: ['x', Buffer.from([0, 255])] } },
    ],
    [
      'a value past the default buffer size',
      { key: 'k', value: 'x'.repeat(3000), headers: { a: 'é'.repeat(300) } },
    ],
  ];

  it('is the patched one (npm install applies patches/ through patch-package)', () => {
    const source = readFileSync(require.resolve('kafkajs/src/protocol/recordBatch/record/v0'), 'utf8');
    expect(source).not.toContain('headersArray.map(Header)');
  });

  it.each(cases)('writes the same bytes as before the patch: %s', (_, input) => {
    expect((Record(input) as { buffer: Buffer }).buffer.equals(unpatched(input))).toBe(true);
  });
});
