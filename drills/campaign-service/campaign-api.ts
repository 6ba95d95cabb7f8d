import { Role, signDevToken } from '@crm/security';
import { TEST_SECRETS } from '@crm/testing';

/** A user's bearer token for a drilled campaign-service, signed with the test secrets it is started with. */
export const bearer = (sub: string, roles: Role[], inst: string): string =>
  `Bearer ${signDevToken({ sub, roles, inst, perms: [] }, TEST_SECRETS)}`;

/** Calls campaign-service's REST API at `baseUrl`; an answer other than 2xx throws with its problem details. */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  auth: string,
  body?: object,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Takes a drafted campaign to running under four eyes: submitted by its designer, approved by another, launched. */
export async function launchDrafted(
  baseUrl: string,
  drafted: Record<string, unknown>,
  designer: string,
  approver: string,
): Promise<void> {
  let version = drafted.version as number;
  for (const [action, who] of [
    ['submit', designer],
    ['approve', approver],
    ['launch', designer],
  ] as const)
    version = (
      await callApi(baseUrl, 'POST', `/campaigns/${drafted.campaignId as string}/transitions`, who, {
        action,
        version,
      })
    ).version as number;
}
