import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { BusinessCalendar, MS_PER_DAY } from '@crm/calendar';
import { InjectRedis } from '@crm/persistence';
import { CampaignServiceConfig } from '../app.config';
import { CounterCheck, CountedContact, counterKeysOf } from './contact-counters.rule';
import { LONGEST_CAP_PERIOD_MS } from './contact-policy.rule';

/**
 * Atomically: refuses when the counters are gone (-1: rebuild them first); accepts a contact already
 * counted (0: a retry after a crash counts once); else checks every cap and, only when all hold, counts
 * the contact in every key (0), or names the first cap it would break (its 1-based index).
 * KEYS: the epoch marker, then the contact's counter keys. ARGV: contact id, now (ms), key TTL (ms),
 * then per check: key position (1-based among the counter keys), window (ms, 0 = the whole key), max.
 */
const RESERVE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local member = ARGV[1]
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
if #KEYS > 1 and redis.call('ZSCORE', KEYS[2], member) then return 0 end
local checks = (#ARGV - 3) / 3
for i = 1, checks do
  local key = KEYS[1 + tonumber(ARGV[3 * i + 1])]
  local window = tonumber(ARGV[3 * i + 2])
  local max = tonumber(ARGV[3 * i + 3])
  local count
  if window > 0 then count = redis.call('ZCOUNT', key, '(' .. (now - window), '+inf')
  else count = redis.call('ZCARD', key) end
  if count >= max then return i end
end
for k = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', '(' .. (now - ttl))
  redis.call('ZADD', KEYS[k], now, member)
  redis.call('PEXPIRE', KEYS[k], ttl)
end
return 0
`;

export type ReserveResult = { reserved: true } | { reserved: false; blockedBy: CounterCheck };

const REBUILD_LOCK_MS = 120_000;
const REBUILD_WAIT_MS = 200;

/**
 * The contact counters in Redis: one sorted set per customer, phone number, e-mail address, channel day
 * and manager day, holding the ids of the contacts made, scored by time. A reservation checks every cap
 * and counts the contact in one atomic step, so no two instances can both take the last place under a
 * cap. The ledger in Postgres is the truth: when Redis has lost the counters (no epoch marker), every
 * instance waits while one rebuilds them from the ledger.
 */
@Injectable()
export class ContactCounterStore {
  private readonly logger = new Logger(ContactCounterStore.name);
  private readonly prefix: string;
  private readonly graceMs: number;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly calendar: BusinessCalendar,
    config: CampaignServiceConfig,
  ) {
    this.prefix = `${config.REDIS_KEY_PREFIX}contacts:`;
    this.graceMs = config.POLICY_REBUILD_GRACE_MS;
    this.redis.defineCommand('reserveContact', { lua: RESERVE_SCRIPT });
  }

  /**
   * Counts the contact if every check allows it. `rebuild` reads the ledger when the counters were lost;
   * it runs on one instance at a time.
   */
  async reserve(
    contact: CountedContact,
    checks: readonly CounterCheck[],
    now: number,
    rebuild: () => AsyncIterable<CountedContact[]>,
  ): Promise<ReserveResult> {
    const keys = counterKeysOf(contact, this.calendar);
    const position = new Map(keys.map((key, i) => [key, i + 1]));
    const args: (string | number)[] = [contact.contactId, now, LONGEST_CAP_PERIOD_MS + MS_PER_DAY];
    for (const check of checks) args.push(position.get(check.key)!, check.windowMs, check.max);
    for (;;) {
      const result = (await (this.redis as RedisWithReserve).reserveContact(
        1 + keys.length,
        this.epochKey(),
        ...keys.map((k) => this.prefix + k),
        ...args,
      )) as number;
      if (result === 0) return { reserved: true };
      if (result > 0) return { reserved: false, blockedBy: checks[result - 1] };
      await this.rebuildOrWait(rebuild);
    }
  }

  /** Uncounts a reservation whose contact was not recorded after all (its transaction failed). */
  async release(contact: CountedContact): Promise<void> {
    const keys = counterKeysOf(contact, this.calendar).map((k) => this.prefix + k);
    await Promise.all(keys.map((key) => this.redis.zrem(key, contact.contactId)));
  }

  private epochKey(): string {
    return `${this.prefix}epoch`;
  }

  private async rebuildOrWait(rebuild: () => AsyncIterable<CountedContact[]>): Promise<void> {
    const lock = `${this.prefix}rebuilding`;
    if ((await this.redis.set(lock, String(process.pid), 'PX', REBUILD_LOCK_MS, 'NX')) !== 'OK') {
      await new Promise((resolve) => setTimeout(resolve, REBUILD_WAIT_MS));
      return;
    }
    try {
      if ((await this.redis.exists(this.epochKey())) === 1) return;
      this.logger.warn('contact counters missing from Redis: rebuilding them from the contact ledger');
      // Contacts reserved before the loss may still be committing: wait them out, so the ledger has them.
      await new Promise((resolve) => setTimeout(resolve, this.graceMs));
      const ttl = LONGEST_CAP_PERIOD_MS + MS_PER_DAY;
      let counted = 0;
      for await (const batch of rebuild()) {
        const pipeline = this.redis.pipeline();
        for (const contact of batch)
          for (const key of counterKeysOf(contact, this.calendar)) {
            pipeline.zadd(this.prefix + key, contact.at, contact.contactId);
            pipeline.pexpire(this.prefix + key, ttl);
          }
        await pipeline.exec();
        counted += batch.length;
      }
      await this.redis.set(this.epochKey(), new Date().toISOString());
      this.logger.log(`contact counters rebuilt from ${counted} contacts`);
    } finally {
      await this.redis.del(lock);
    }
  }
}

type RedisWithReserve = Redis & { reserveContact(...args: (string | number)[]): Promise<unknown> };
