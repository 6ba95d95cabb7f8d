/** Why a subscriber's URL is refused, or null: alerts leave the bank over TLS, plain http only outside production. */
export function webhookUrlProblem(url: string, nodeEnv: string): string | null {
  const { protocol } = new URL(url);
  if (protocol === 'https:') return null;
  if (protocol === 'http:' && nodeEnv !== 'production') return null;
  return nodeEnv === 'production' ? 'url must be an https:// URL' : 'url must be an https:// or http:// URL';
}
