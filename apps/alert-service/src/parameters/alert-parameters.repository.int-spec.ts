import { DEFAULT_ALERT_PARAMETERS, type AlertParameters } from '@crm/contracts';
import { createTestSchema, type TestSchema } from '@crm/testing';
import { ALERT_MIGRATIONS } from '../migrations';
import { AlertParametersRepository, type ParameterHistory } from './alert-parameters.repository';

const withSingleInflow = (singleAmount: string): AlertParameters => ({
  ...DEFAULT_ALERT_PARAMETERS,
  largeInflow: { ...DEFAULT_ALERT_PARAMETERS.largeInflow, singleAmount },
});
const HEAD = withSingleInflow('400000.00');
const OUTLET = withSingleInflow('100000.00');

/**
 * Head office H > branch B > outlet O. H sets its own thresholds at t1; O sets its own at t2 and goes back
 * to inheriting at t3. Customer C is covered at O; customer N has no coverage.
 */
describe('AlertParametersRepository history on Postgres', () => {
  let db: TestSchema;
  let repository: AlertParametersRepository;
  let history: ParameterHistory;
  const t1 = Date.parse('2026-03-01T00:00:00.000Z');
  const t2 = Date.parse('2026-04-01T00:00:00.000Z');
  // Not on a millisecond: the boundary falls between two.
  const t3 = '2026-05-01T00:00:00.000400Z';
  const t3Ms = Date.parse('2026-05-01T00:00:00.000Z');

  beforeAll(async () => {
    db = await createTestSchema('alert_parameters', { migrations: ALERT_MIGRATIONS });
    const s = `"${db.schema}"`;
    await db.dataSource.query(
      `INSERT INTO ${s}.institution (institution_id, parent_id, level, name, active)
       VALUES ('H', NULL, 'head-office', 'Head', true), ('B', 'H', 'branch', 'Branch', true),
              ('O', 'B', 'outlet', 'Outlet', true)`,
    );
    await db.dataSource.query(
      `INSERT INTO ${s}.coverage (customer_id, version, primary_institution_id, changed_at) VALUES ('C', 1, 'O', now())`,
    );
    await db.dataSource.query(
      `INSERT INTO ${s}.alert_parameters (institution_id, effective_from, parameters, changed_by)
       VALUES ('H', $1, $2, 'test'), ('O', $3, $4, 'test'), ('O', $5, NULL, 'test')`,
      [new Date(t1), JSON.stringify(HEAD), new Date(t2), JSON.stringify(OUTLET), t3],
    );
    repository = new AlertParametersRepository(db.dataSource);
    history = await repository.history(db.dataSource.manager, [
      { customerId: 'C', institutionId: 'B' },
      { customerId: 'N', institutionId: 'B' },
      { customerId: 'N', institutionId: 'O' },
    ]);
  });

  afterAll(() => db?.drop());

  it('climbs from the customer’s primary institution, not from where the event happened', () => {
    expect(history.inForce('C', 'B', t2).setAt).toBe('O');
    expect(history.inForce('N', 'B', t2).setAt).toBe('H');
    expect(history.inForce('N', 'O', t2)).toMatchObject({ setAt: 'O', parameters: OUTLET });
  });

  it('judges an event by the version in force at its event time, from the instant it takes effect', () => {
    expect(history.inForce('C', 'B', t1 - 1)).toEqual({ setAt: null, parameters: null, effectiveFrom: null });
    expect(history.inForce('C', 'B', t1)).toMatchObject({ setAt: 'H', parameters: HEAD });
    expect(history.inForce('C', 'B', t2 - 1).setAt).toBe('H');
    expect(history.inForce('C', 'B', t2)).toEqual({
      setAt: 'O',
      parameters: OUTLET,
      effectiveFrom: new Date(t2).toISOString(),
    });
  });

  it('inherits again after a reset, counting a version from its exact instant, not its millisecond', () => {
    expect(history.inForce('C', 'B', t3Ms).setAt).toBe('O');
    expect(history.inForce('C', 'B', t3Ms + 1)).toMatchObject({ setAt: 'H', parameters: HEAD });
  });

  it('knows which subjects it was loaded for', () => {
    expect(history.has('C', 'B')).toBe(true);
    expect(history.has('C', 'O')).toBe(false);
  });

  it('answers a single institution as the REST console asks it', async () => {
    expect((await repository.inForce(undefined, 'B', new Date(t2))).setAt).toBe('H');
    expect((await repository.inForce(undefined, 'O', new Date(t2))).setAt).toBe('O');
  });
});
