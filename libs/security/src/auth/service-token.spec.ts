import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpServiceConfig } from '@crm/config';
import { ServiceTokenSource, ServiceTokenUnavailableError } from './service-token';
import { SharedSecretTokenVerifier } from './token-verifier';

const secret = 'service-token-spec-secret-0123456789abcdef';
const config = (over: Partial<HttpServiceConfig>): HttpServiceConfig =>
  Object.assign(new HttpServiceConfig(), { JWT_ISSUER: 'bank-crm-dev', JWT_AUDIENCE: 'bank-crm', ...over });

describe('ServiceTokenSource', () => {
  it('signs a system token with the dev issuer, and reuses it until shortly before it expires', async () => {
    const source = new ServiceTokenSource(config({ JWT_SECRET: secret }), 'campaign-service');
    const now = Date.now();
    const token = await source.token(now);
    const claims = await new SharedSecretTokenVerifier({
      secret,
      issuer: 'bank-crm-dev',
      audience: 'bank-crm',
    }).verify(token);
    expect(claims).toMatchObject({ sub: 'service:campaign-service', roles: ['system'] });
    expect(await source.token(now + 60_000)).toBe(token);
  });

  it('gets a token from the OIDC provider by the client credentials grant', async () => {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        requests.push(body);
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({ access_token: 'from-the-provider', expires_in: 300, token_type: 'Bearer' }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
      const source = new ServiceTokenSource(
        config({
          SERVICE_TOKEN_URL: url,
          SERVICE_CLIENT_ID: 'campaign-service',
          SERVICE_CLIENT_SECRET: 's3cret',
        }),
        'campaign-service',
      );
      expect(await Promise.all([source.token(), source.token()])).toEqual([
        'from-the-provider',
        'from-the-provider',
      ]);
      expect(requests).toHaveLength(1);
      // A minute before its 300 s run out, the next call fetches a new one.
      await source.token(Date.now() + 241_000);
      expect(requests).toHaveLength(2);
      expect(new URLSearchParams(requests[0]).get('grant_type')).toBe('client_credentials');
      expect(new URLSearchParams(requests[0]).get('client_secret')).toBe('s3cret');
    } finally {
      server.close();
    }
  });

  it('says why when it has nowhere to get a token', async () => {
    await expect(new ServiceTokenSource(config({}), 'campaign-service').token()).rejects.toThrow(
      ServiceTokenUnavailableError,
    );
  });
});
