import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { changeTriggerSql, schemaOf, tableChangeChannel } from '@crm/persistence';
import { TestSchema, createTestSchema, eventually } from '@crm/testing';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { Role } from '../auth/roles';
import { DataScopeResolver } from './data-scope.resolver';

class InstitutionTable1700000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE TABLE "${s}".institution (id text PRIMARY KEY, parent_id text)`);
    for (const sql of changeTriggerSql(s, 'institution')) await q.query(sql);
    await q.query(`INSERT INTO "${s}".institution VALUES ('HO', NULL), ('BR-1', 'HO'), ('OUT-11', 'BR-1')`);
  }
  async down(): Promise<void> {}
}

const head = (institutionId: string): AuthenticatedUser => ({
  userId: `head-${institutionId}`,
  roles: [Role.InstitutionHead],
  institutionId,
  permissions: [],
});

describe('DataScopeResolver (PostgreSQL)', () => {
  let db: TestSchema;
  let resolvers: DataScopeResolver[];
  let queries: number;

  const countQueries = (dataSource: DataSource) => {
    const query = dataSource.query.bind(dataSource);
    dataSource.query = ((sql: string, ...rest: unknown[]) => {
      if (sql.includes('institution')) queries += 1;
      return query(sql, ...(rest as []));
    }) as DataSource['query'];
  };

  beforeAll(async () => {
    db = await createTestSchema('scope_resolver', { migrations: [InstitutionTable1700000000000] });
    countQueries(db.dataSource);
    const options = { table: 'institution', idColumn: 'id', parentColumn: 'parent_id' };
    // Two instances of a service: a change through either must reach both.
    resolvers = [
      new DataScopeResolver(db.dataSource, options),
      new DataScopeResolver(db.dataSource, options),
    ];
    await Promise.all(resolvers.map((r) => r.onModuleInit()));
  });

  afterAll(async () => {
    await Promise.all(resolvers.map((r) => r.onApplicationShutdown()));
    await db.drop();
  });

  beforeEach(() => (queries = 0));

  it('answers a branch head from memory after the first load', async () => {
    const [one] = resolvers;
    expect(await one.resolve(head('BR-1'))).toEqual({
      kind: 'institutions',
      institutionIds: ['BR-1', 'OUT-11'],
    });
    const loads = queries;
    for (let i = 0; i < 50; i += 1) await one.resolve(head('BR-1'));
    expect(queries).toBe(loads);
  });

  it('sees a new outlet on every instance once it is committed', async () => {
    await Promise.all(resolvers.map((r) => r.resolve(head('BR-1'))));
    await db.dataSource.query(`INSERT INTO "${db.schema}".institution VALUES ('OUT-12', 'BR-1')`);
    for (const resolver of resolvers) {
      await eventually(async () => {
        const scope = await resolver.resolve(head('BR-1'));
        return scope.kind === 'institutions' && scope.institutionIds.includes('OUT-12');
      });
    }
  });

  it('sees an outlet move to another branch', async () => {
    await db.dataSource.query(`INSERT INTO "${db.schema}".institution VALUES ('BR-2', 'HO')`);
    await db.dataSource.query(`UPDATE "${db.schema}".institution SET parent_id = 'BR-2' WHERE id = 'OUT-11'`);
    await eventually(async () => {
      const scope = await resolvers[1].resolve(head('BR-2'));
      return scope.kind === 'institutions' && scope.institutionIds.join() === 'BR-2,OUT-11';
    });
  });

  it('refuses the head of an unknown institution with OUTSIDE_DATA_SCOPE', async () => {
    await expect(resolvers[0].resolve(head('NOPE'))).rejects.toMatchObject({
      response: { code: 'OUTSIDE_DATA_SCOPE' },
    });
  });

  it('hears changes again after its connection was cut', async () => {
    const listening = `LISTEN "${tableChangeChannel(db.schema, 'institution')}"`;
    const [{ cut }] = await db.dataSource.query(
      `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE query = $1`,
      [listening],
    );
    expect(cut).toBe(2);
    await db.dataSource.query(`INSERT INTO "${db.schema}".institution VALUES ('OUT-13', 'BR-1')`);
    await eventually(async () => {
      const scope = await resolvers[0].resolve(head('BR-1'));
      return scope.kind === 'institutions' && scope.institutionIds.includes('OUT-13');
    });
  });
});
