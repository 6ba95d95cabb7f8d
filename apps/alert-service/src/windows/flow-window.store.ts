import { Injectable } from '@nestjs/common';
import Redis, { type Result } from 'ioredis';
import { EntityManager } from 'typeorm';
import type { EventBatch } from '@crm/messaging';
import { AlertServiceConfig } from '../app.config';
import { InjectRedis } from '@crm/persistence';
import { MS_PER_HOUR } from '@crm/calendar';
import type { FlowEntry } from '../rules/flow-window.util';
import { FlowEntryRepository, windowKeyOf } from './flow-entry.repository';

/** Longest window an institution may set; what the store keeps around each entry. */
export const MAX_WINDOW_HOURS = 168;
const SPAN_MS = MAX_WINDOW_HOURS * MS_PER_HOUR;
/** How far before its newest entry a window is kept: entering one trims what is older. */
const KEPT_MS = 2 * SPAN_MS;
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
// any more and raises the "loaded from" mark to match, atomically (both keys share the customer's hash tag,
// so this also runs on Redis Cluster). When the set is not complete from ARGV[5] on it changes nothing and
// returns the mark (nil when there is none): the caller reloads what is missing from Postgres first.
const ENTER_SCRIPT = `
local from = redis.call('GET', KEYS[2])
if not from then return false end
if tonumber(from) > tonumber(ARGV[5]) then return from end
local around = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[5], ARGV[6], 'WITHSCORES')
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
if tonumber(from) < tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return around`;

/** Members and scores, flat; or, the set being incomplete, its mark (null: none). */
type EnterReply = string[] | string | null;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** ENTER_SCRIPT, defined by FlowWindowStore. */
    enterFlowWindow(set: string, mark: string, ...args: (string | number)[]): Result<EnterReply, Context>;
  }
}

/** A booked entry on its way into the window of its account and direction. */
export interface WindowEntry {
  subject: { customerId: string; accountId: string };
  direction: Direction;
  entry: FlowEntry;
  /** How far either side of the entry (ms) the rules judging it look: their longest window, at most SPAN_MS. */
  lookAroundMs: number;
}

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
    // Sent by its digest (EVALSHA), and in full only when Redis does not know it yet.
    redis.defineCommand('enterFlowWindow', { numberOfKeys: 2, lua: ENTER_SCRIPT });
  }

  /**
   * Enters entries into their windows, in order, and returns for each the others booked within its
   * `lookAroundMs` either side of it: one pipeline for all. Windows not complete that far back get what they
   * miss from Postgres (one query for all of them) and their entries go round again; each round enters at
   * least its first entry, as a newer entry may trim a window again for an older one after it. An entry
   * older than its window's mark (a late or replayed posting) is judged from Postgres alone and stays out of
   * Redis: reloading its account's history down to it would only be trimmed again by the next live posting.
   */
  async enterAll(
    tx: EntityManager,
    batch: EventBatch,
    entries: readonly WindowEntry[],
  ): Promise<FlowEntry[][]> {
    const others: FlowEntry[][] = [];
    const late: number[] = [];
    let waiting = entries.map((_, i) => i);
    while (waiting.length > 0) {
      const replies = await this.enterPipelined(waiting.map((i) => entries[i]));
      const incomplete: { index: number; mark: string | null }[] = [];
      replies.forEach((reply, j) => {
        const index = waiting[j];
        if (Array.isArray(reply)) others[index] = othersIn(reply, entries[index].entry);
        else if (reply !== null && entries[index].entry.at < Number(reply)) late.push(index);
        else incomplete.push({ index, mark: reply });
      });
      if (incomplete.length > 0) {
        await this.reload(
          tx,
          batch,
          incomplete.map(({ index, mark }) => ({ ...entries[index], mark })),
        );
      }
      waiting = incomplete.map(({ index }) => index);
    }
    if (late.length > 0) {
      const judged = await this.aroundFromPostgres(
        tx,
        batch,
        late.map((i) => entries[i]),
      );
      late.forEach((index, j) => (others[index] = judged[j]));
    }
    return others;
  }

  async remove(
    subject: { customerId: string; accountId: string },
    direction: Direction,
    entry: FlowEntry,
  ): Promise<void> {
    await this.redis.zrem(this.keys({ subject, direction }).set, memberOf(entry));
  }

  private async enterPipelined(entries: readonly WindowEntry[]): Promise<EnterReply[]> {
    const pipeline = this.redis.pipeline();
    for (const e of entries) {
      const { set, mark } = this.keys(e);
      pipeline.enterFlowWindow(
        set,
        mark,
        e.entry.at,
        memberOf(e.entry),
        e.entry.at - KEPT_MS,
        IDLE_TTL_MS,
        e.entry.at - e.lookAroundMs,
        e.entry.at + e.lookAroundMs,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, reply]) => {
      if (error) throw error;
      return reply as EnterReply;
    });
  }

  /**
   * Loads into each window from Postgres what its entries here miss, from as far back as the earliest needs
   * up to its mark, and marks it complete from there. A window with no mark (new, idle past its TTL, Redis
   * wiped) is loaded to the end, but from no earlier than what its newest entry keeps: an older entry of it
   * then finds itself before the mark, and is judged from Postgres.
   */
  private async reload(
    tx: EntityManager,
    batch: EventBatch,
    incomplete: readonly (WindowEntry & { mark: string | null })[],
  ): Promise<void> {
    const windows = new Map<
      string,
      {
        accountId: string;
        direction: Direction;
        from: number;
        until: number | null;
        keepMs?: number;
        mark: string;
      }
    >();
    for (const e of incomplete) {
      const { set, mark } = this.keys(e);
      const from = e.entry.at - e.lookAroundMs;
      const until = e.mark === null ? null : Number(e.mark);
      const known = windows.get(set);
      if (!known) {
        windows.set(set, { accountId: e.subject.accountId, direction: e.direction, from, until, mark });
        continue;
      }
      known.from = Math.min(known.from, from);
      // Marks only rise: the highest seen is the window's mark now.
      known.until = known.until === null || until === null ? null : Math.max(known.until, until);
    }
    for (const w of windows.values()) if (w.until === null) w.keepMs = KEPT_MS;
    const loaded = await this.flows.booked(tx, batch, [...windows.values()]);
    const transaction = this.redis.multi();
    for (const [set, w] of windows) {
      const { from, entries } = loaded.get(windowKeyOf(w.accountId, w.direction)) ?? {
        from: w.from,
        entries: [],
      };
      for (const entry of entries) transaction.zadd(set, entry.at, memberOf(entry));
      transaction.set(w.mark, String(from), 'PX', IDLE_TTL_MS);
      transaction.pexpire(set, IDLE_TTL_MS);
    }
    await transaction.exec();
  }

  /** For each entry, the others of its account and direction booked within its `lookAroundMs`, from Postgres. */
  private async aroundFromPostgres(
    tx: EntityManager,
    batch: EventBatch,
    entries: readonly WindowEntry[],
  ): Promise<FlowEntry[][]> {
    // One span per window, covering all its entries here, as booked() answers by window.
    const spans = new Map<string, { accountId: string; direction: Direction; from: number; until: number }>();
    for (const e of entries) {
      const key = windowKeyOf(e.subject.accountId, e.direction);
      const from = e.entry.at - e.lookAroundMs;
      const until = e.entry.at + e.lookAroundMs;
      const span = spans.get(key);
      if (span) {
        span.from = Math.min(span.from, from);
        span.until = Math.max(span.until, until);
      } else spans.set(key, { accountId: e.subject.accountId, direction: e.direction, from, until });
    }
    const booked = await this.flows.booked(tx, batch, [...spans.values()]);
    return entries.map(({ subject, direction, entry, lookAroundMs }) =>
      (booked.get(windowKeyOf(subject.accountId, direction))?.entries ?? []).filter(
        (other) =>
          other.transactionId !== entry.transactionId &&
          other.at > entry.at - lookAroundMs &&
          other.at < entry.at + lookAroundMs,
      ),
    );
  }

  private keys({ subject, direction }: Pick<WindowEntry, 'subject' | 'direction'>) {
    const base = `${this.prefix}{${subject.customerId}}:flow:${subject.accountId}:${direction}`;
    return { set: base, mark: `${base}:from` };
  }
}

/** The entries of an enter reply other than `entry` itself. */
function othersIn(members: readonly string[], entry: FlowEntry): FlowEntry[] {
  const others: FlowEntry[] = [];
  for (let i = 0; i < members.length; i += 2) {
    const m = JSON.parse(members[i]) as StoredMember;
    if (m.t === entry.transactionId) continue;
    others.push({
      transactionId: m.t,
      at: Number(members[i + 1]),
      amount: m.a,
      currency: m.c,
      toOtherBank: m.o === 1,
    });
  }
  return others;
}

/** Deterministic, so the same entry is always the same member. */
const memberOf = (e: FlowEntry): string =>
  JSON.stringify({
    t: e.transactionId,
    a: e.amount,
    c: e.currency,
    o: e.toOtherBank ? 1 : 0,
  } satisfies StoredMember);
