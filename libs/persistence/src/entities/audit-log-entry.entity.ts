import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only record of sensitive reads and of changes (a trigger forbids UPDATE and DELETE).
 * Lives in each service's own schema: the data source's schema option places it.
 */
@Entity({ name: 'audit_log' })
export class AuditLogEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ name: 'actor_roles', type: 'text', array: true })
  actorRoles!: string[];

  @Column({ name: 'actor_institution_id', type: 'text', nullable: true })
  actorInstitutionId!: string | null;

  /** e.g. `customer.pii.read`, `threshold.update`. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'resource_type', type: 'text' })
  resourceType!: string;

  @Column({ name: 'resource_id', type: 'text', nullable: true })
  resourceId!: string | null;

  @Column({ name: 'customer_id', type: 'text', nullable: true })
  customerId!: string | null;

  @Column({ type: 'text' })
  outcome!: 'allowed' | 'denied';

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  /** Never holds plaintext PII: callers pass field names, not values. */
  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  details!: Record<string, unknown>;
}
