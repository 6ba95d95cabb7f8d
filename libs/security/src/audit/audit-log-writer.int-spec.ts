import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { runWithContext } from '@crm/observability';
import { AuditLogEntry } from '@crm/persistence';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { Permission, Role } from '../auth/roles';
import { AuditLogWriter, AuditRecord } from './audit-log-writer.service';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm';
const schema = `test_audit_${randomBytes(4).toString('hex')}`;

const alice: AuthenticatedUser = {
  userId: 'alice',
  roles: [Role.RelationshipManager],
  institutionId: 'INST-0101',
  managerId: 'MGR-0101-01',
  permissions: [Permission.PiiRead],
};

const piiRead = (customerId: string): AuditRecord => ({
  actor: alice,
  action: 'customer.pii.read',
  resourceType: 'customer',
  resourceId: customerId,
  customerId,
  outcome: 'allowed',
  details: { fields: ['idNumber', 'phone'] },
});

describe('AuditLogWriter (PostgreSQL)', () => {
  let dataSource: DataSource;
  let writer: AuditLogWriter;

  beforeAll(async () => {
    const admin = await new DataSource({ type: 'postgres', url: DATABASE_URL }).initialize();
    // The persistence lib's migration owns the real table; this mirrors its columns.
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(`
      CREATE TABLE "${schema}".audit_log (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id text NOT NULL,
        actor_roles text[] NOT NULL,
        actor_institution_id text,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text,
        customer_id text,
        outcome text NOT NULL,
        correlation_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await admin.destroy();
    dataSource = await new DataSource({
      type: 'postgres',
      url: DATABASE_URL,
      schema,
      entities: [AuditLogEntry],
    }).initialize();
    writer = new AuditLogWriter(dataSource);
  });

  afterAll(async () => {
    await dataSource?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  const rowsFor = (customerId: string) =>
    dataSource.query(`SELECT * FROM "${schema}".audit_log WHERE customer_id = $1 ORDER BY id`, [
      customerId,
    ]) as Promise<Record<string, unknown>[]>;

  it('writes the entry with the actor and the correlation id of the current request', async () => {
    const id = await runWithContext({ correlationId: 'corr-audit-1' }, () =>
      writer.record(piiRead('CUST-1')),
    );
    const [row] = await rowsFor('CUST-1');
    expect(row).toMatchObject({
      id,
      actor_id: 'alice',
      actor_roles: ['relationship-manager'],
      actor_institution_id: 'INST-0101',
      action: 'customer.pii.read',
      resource_type: 'customer',
      resource_id: 'CUST-1',
      outcome: 'allowed',
      correlation_id: 'corr-audit-1',
      details: { fields: ['idNumber', 'phone'] },
    });
    expect(row.occurred_at).toBeInstanceOf(Date);
  });

  it('commits with the caller’s transaction', async () => {
    await dataSource.transaction((manager) => writer.record(piiRead('CUST-2'), manager));
    expect(await rowsFor('CUST-2')).toHaveLength(1);
  });

  it('rolls back with the caller’s transaction', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await writer.record(piiRead('CUST-3'), manager);
        throw new Error('the read failed after auditing');
      }),
    ).rejects.toThrow('the read failed');
    expect(await rowsFor('CUST-3')).toHaveLength(0);
  });

  it('refuses details that carry PII values', async () => {
    await expect(
      writer.record({ ...piiRead('CUST-4'), details: { before: { phone: '13812345678' } } }),
    ).rejects.toThrow(/before\.phone/);
    expect(await rowsFor('CUST-4')).toHaveLength(0);
  });
});
