import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { EntityManager } from 'typeorm';
import type { EventBatch } from '@crm/messaging';
import { AlertServiceConfig } from '../app.config';
import { InjectRedis } from '../redis/redis.module';
import { MS_PER_HOUR } from '../rules/calendar.util';
import type { FlowEntry } from '../rules/flow-window.util';
import { FlowEntryRepository } from './flow-entry.repository';

/** Longest window an institution may set; what the store keeps around each entry. */
export const MAX_WINDOW_HOURS = 168;
const SPAN_MS = MAX_WINDOW_HOURS * MS_PER_HOUR;
/** Idle accounts' windows leave Redis; the next entry reloads them from Postgres. */
const IDLE_TTL_MS = 2 * SPAN_MS;

export type Direction = 'CRDT' | 'DBIT';

interface StoredMember {
  t: string;
  a: string;
  c: string;
  o: 0 | 1;
}

// Returns the entries booked within [ARGV[5], ARGV[6]], then adds the new one, trims what no window can reach
// any more and raises the "loaded from" mark to match, atomically and in one round trip (both keys share the
// customer's hash tag, so this also runs on Redis Cluster). False, changing nothing, when the set is not
// complete from ARGV[5] on: the caller reloads it from Postgres first.
const ENTER_SCRIPT = `
local from = redis.call('GET', KEYS[2])
if not from or tonumber(from) > tonumber(ARGV[5]) then return false end
local around = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[5], ARGV[6], 'WITHSCORES')
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
if tonumber(from) < tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return around`;

/**
 * Sliding windows of one account's credits or debits: a Redis sorted set scored by booking time, its
 * members the entries themselves (so re-adding one is a no-op). Postgres (flow_entry) holds the same facts:
 * a mark records from which booking time the set is complete, and when the mark is missing (Redis wiped,
 * key expired) or too late for an old entry, the set is reloaded from Postgres before it is read.
 */
@Injectable()
export class FlowWindowStore {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly flows: FlowEntryRepository,
    config: AlertServiceConfig,
  ) {
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  /**
   * Enters a new entry into its window and returns the others booked within the longest window either side
   * of it, reloading the set from Postgres first when it is not complete that far back.
   */
  async enter(
    tx: EntityManager,
    batch: EventBatch,
    subject: { customerId: string; accountId: string },
    direction: Direction,
    entry: FlowEntry,
  ): Promise<FlowEntry[]> {
    const { set, mark } = this.keys(subject, direction);
    const enter = () =>
      this.redis.eval(
        ENTER_SCRIPT,
        2,
        set,
        mark,
        entry.at,
        memberOf(entry),
        entry.at - SPAN_MS * 2,
        IDLE_TTL_MS,
        entry.at - SPAN_MS,
        entry.at + SPAN_MS,
      ) as Promise<string[] | null>;
    let members = await enter();
    if (members === null) {
      const loadedFrom = await this.redis.get(mark);
      await this.reload(
        tx,
        batch,
        subject,
        direction,
        entry.at - SPAN_MS,
        loadedFrom === null ? null : Number(loadedFrom),
      );
      members = await enter();
      if (members === null) throw new Error(`flow window ${set} is still incomplete after a reload`);
    }
    const entries: FlowEntry[] = [];
    for (let i = 0; i < members.length; i += 2) {
      const m = JSON.parse(members[i]) as StoredMember;
      if (m.t === entry.transactionId) continue;
      entries.push({
        transactionId: m.t,
        at: Number(members[i + 1]),
        amount: m.a,
        currency: m.c,
        toOtherBank: m.o === 1,
      });
    }
    return entries;
  }

  async remove(
    subject: { customerId: string; accountId: string },
    direction: Direction,
    entry: FlowEntry,
  ): Promise<void> {
    await this.redis.zrem(this.keys(subject, direction).set, memberOf(entry));
  }

  private async reload(
    tx: EntityManager,
    batch: EventBatch,
    subject: { customerId: string; accountId: string },
    direction: Direction,
    from: number,
    previousMark: number | null,
  ): Promise<void> {
    const entries = await this.flows.bookedAfter(tx, batch, subject.accountId, direction, from);
    const { set, mark } = this.keys(subject, direction);
    const pipeline = this.redis.multi();
    for (const entry of entries) pipeline.zadd(set, entry.at, memberOf(entry));
    pipeline.set(
      mark,
      String(previousMark === null ? from : Math.min(previousMark, from)),
      'PX',
      IDLE_TTL_MS,
    );
    pipeline.pexpire(set, IDLE_TTL_MS);
    await pipeline.exec();
  }

  private keys(subject: { customerId: string; accountId: string }, direction: Direction) {
    const base = `${this.prefix}{${subject.customerId}}:flow:${subject.accountId}:${direction}`;
    return { set: base, mark: `${base}:from` };
  }
}

/** Deterministic, so the same entry is always the same member. */
const memberOf = (e: FlowEntry): string =>
  JSON.stringify({
    t: e.transactionId,
    a: e.amount,
    c: e.currency,
    o: e.toOtherBank ? 1 : 0,
  } satisfies StoredMember);
