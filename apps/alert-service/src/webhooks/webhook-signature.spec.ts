import { createHmac } from 'node:crypto';
import { newWebhookSecret, verifyWebhook, webhookSignature } from './webhook-signature';

describe('webhook signatures (Standard Webhooks)', () => {
  // The specification's own example: secret, id, timestamp and body, and the signature they give.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';

  it('signs as the specification’s example does', () => {
    expect(webhookSignature(secret, id, timestamp, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('is an HMAC-SHA256 of id, timestamp and body under the secret’s bytes', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
    expect(webhookSignature(secret, id, timestamp, body)).toBe(`v1,${expected}`);
  });

  it('verifies within the tolerance, and refuses a changed body, an old timestamp or another secret', () => {
    const signature = webhookSignature(secret, id, timestamp, body);
    const headers = { id, timestamp: String(timestamp), signature: `v1,bogus ${signature}` };
    const at = { nowSeconds: timestamp + 60, toleranceSeconds: 300 };
    expect(verifyWebhook(secret, headers, body, at)).toBe(true);
    expect(verifyWebhook(secret, headers, `${body} `, at)).toBe(false);
    expect(verifyWebhook(secret, headers, body, { ...at, nowSeconds: timestamp + 301 })).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), headers, body, at)).toBe(false);
  });

  it('makes secrets of 32 random bytes', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64')).toHaveLength(32);
  });
});
