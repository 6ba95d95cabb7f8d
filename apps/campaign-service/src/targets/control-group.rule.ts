import { createHash } from 'node:crypto';

export const Arm = { Treatment: 'treatment', Control: 'control' } as const;
export type Arm = (typeof Arm)[keyof typeof Arm];

/** The largest control share a campaign may hold back; the rest must be worth contacting. */
export const MAX_CONTROL_SHARE = 0.5;

/**
 * Treatment or control, decided by a hash of campaign and customer: the same answer on every replay,
 * restart and instance, with no state, and independent between campaigns (a customer held back by
 * one campaign is not thereby held back by the next). `controlShare` is the held-back fraction.
 */
export function armOf(campaignId: string, customerId: string, controlShare: number): Arm {
  const digest = createHash('sha256').update(`${campaignId}\u0000${customerId}`).digest();
  // 48 bits keep the fraction exact in a double.
  const fraction = digest.readUIntBE(0, 6) / 2 ** 48;
  return fraction < controlShare ? Arm.Control : Arm.Treatment;
}
