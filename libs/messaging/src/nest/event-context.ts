import { BaseRpcContext } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@crm/contracts';
import { EventBatch } from '../consumer/event-batch';

type EventContextArgs = [
  tx: EntityManager,
  envelope: EventEnvelope<object>,
  topic: string,
  batch: EventBatch,
];

/** What an @EventPattern handler gets besides its payload: the transaction its writes must use. */
export class EventContext extends BaseRpcContext<EventContextArgs> {
  /** Write through this manager: the writes commit with the event's de-duplication record. */
  get tx(): EntityManager {
    return this.args[0];
  }

  get envelope(): EventEnvelope<object> {
    return this.args[1];
  }

  get topic(): string {
    return this.args[2];
  }

  /** Every event applied in this transaction, this one included, and what their handlers share. */
  get batch(): EventBatch {
    return this.args[3];
  }
}
