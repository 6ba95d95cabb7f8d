import { webhookUrlProblem } from './webhook-url.rule';

describe('webhook URLs', () => {
  it('takes https everywhere, http only outside production', () => {
    expect(webhookUrlProblem('https://case.bank.internal/hooks', 'production')).toBeNull();
    expect(webhookUrlProblem('http://case.bank.internal/hooks', 'production')).toBe(
      'url must be an https:// URL',
    );
    expect(webhookUrlProblem('http://127.0.0.1:8080/hooks', 'development')).toBeNull();
    expect(webhookUrlProblem('ftp://case.bank.internal/hooks', 'test')).toBe(
      'url must be an https:// or http:// URL',
    );
  });
});
