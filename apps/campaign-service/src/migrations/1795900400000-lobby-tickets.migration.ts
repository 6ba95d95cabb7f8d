import { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/**
 * The lobby's queue tickets (lobby.queue), kept for the outlet's current day, and the kind of each
 * holding (deposit kinds, loan, card) so a lobby card can say what the customer holds at a glance.
 */
export class LobbyTickets1795900400000 implements MigrationInterface {
  name = 'LobbyTickets1795900400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}".lobby_ticket (
        ticket_id text PRIMARY KEY,
        institution_id text NOT NULL,
        customer_id text,
        service text NOT NULL,
        ticket_number text NOT NULL,
        waiting_ahead int NOT NULL,
        issued_at timestamptz NOT NULL,
        business_date date NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX lobby_ticket_outlet_day_idx ON "${s}".lobby_ticket (institution_id, business_date, issued_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX lobby_ticket_recorded_idx ON "${s}".lobby_ticket (recorded_at) WHERE customer_id IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "${s}".holding ADD COLUMN kind text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE "${s}".holding DROP COLUMN kind`);
    await queryRunner.query(`DROP TABLE "${s}".lobby_ticket`);
  }
}
