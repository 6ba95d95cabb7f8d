import { EntityManager } from 'typeorm';

/**
 * Serialises a customer's registration with the arrival of their analytic profile. Both arrive on
 * different topics and run concurrently: without the lock, the registration copies the tier from a
 * profile not yet committed and the profile updates a customer row not yet committed, so the customer
 * keeps no tier. Taken in its own statement, so the next statement's snapshot sees the other's commit.
 */
export async function lockCustomerProfile(tx: EntityManager, customerId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`customer-profile:${customerId}`]);
}
