import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { BusinessCalendar, MS_PER_DAY } from '@crm/calendar';
import { InjectRedis } from '@crm/persistence';
import { CampaignServiceConfig } from '../app.config';
import { TickBatch } from '../common/tick-batch';
import { CounterCheck, CountedContact, counterKeysOf } from './contact-counters.rule';
import { LONGEST_CAP_PERIOD_MS } from './contact-policy.rule';

/**
 * Atomically, for a run of contacts in order: refuses them all when the counters are gone ({-1}: rebuild
 * them first); for each, accepts it when already counted (a retry after a crash counts once), else checks
 * every cap and, only when all hold, counts it in every one of its keys (0), or names the first cap it would
 * break (its 1-based index). A contact counted early in the run is seen by the later ones' checks. Keys
 * expire a TTL after their last contact; members older than the TTL are trimmed now and then, not on
 * every write.
 * KEYS: the epoch marker, then each contact's counter keys, contact after contact.
 * ARGV: key TTL (ms); then per contact: its id, its time (ms), its number of keys, its number of checks, and
 * per check the key's position among the contact's keys (1-based), the window (ms, 0 = the whole key), the max.
 */
const RESERVE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local ttl = tonumber(ARGV[1])
local results = {}
local a = 2
local k = 2
while a <= #ARGV do
  local member = ARGV[a]
  local now = tonumber(ARGV[a + 1])
  local keys = tonumber(ARGV[a + 2])
  local checks = tonumber(ARGV[a + 3])
  a = a + 4
  local result = 0
  if keys == 0 or not redis.call('ZSCORE', KEYS[k], member) then
    for i = 1, checks do
      if result == 0 then
        local key = KEYS[k - 1 + tonumber(ARGV[a])]
        local window = tonumber(ARGV[a + 1])
        local count
        if window > 0 then count = redis.call('ZCOUNT', key, '(' .. (now - window), '+inf')
        else count = redis.call('ZCARD', key) end
        if count >= tonumber(ARGV[a + 2]) then result = i end
      end
      a = a + 3
    end
    if result == 0 then
      -- Caps keep a customer's or a number's keys small and day keys expire; a key kept alive for months
      -- by steady contacts is trimmed now and then (a sixteenth of the writes, by the id's first digit).
      local trim = string.sub(member, 1, 1) == '0'
      for j = k, k + keys - 1 do
        redis.call('ZADD', KEYS[j], now, member)
        redis.call('PEXPIRE', KEYS[j], ttl)
        if trim then redis.call('ZREMRANGEBYSCORE', KEYS[j], '-inf', '(' .. (now - ttl)) end
      end
    end
  else
    a = a + 3 * checks
  end
  results[#results + 1] = result
  k = k + keys
end
return results
`;

export type ReserveResult = { reserved: true } | { reserved: false; blockedBy: CounterCheck };

interface Reservation {
  contact: CountedContact;
  checks: readonly CounterCheck[];
  rebuild: () => AsyncIterable<CountedContact[]>;
}

const REBUILD_LOCK_MS = 120_000;
const REBUILD_WAIT_MS = 200;

/**
 * The contact counters in Redis: one sorted set per customer, phone number, e-mail address, channel day
 * and manager day, holding the ids of the contacts made, scored by time. A reservation checks every cap
 * and counts the contact in one atomic step, so no two instances can both take the last place under a
 * cap. The ledger in Postgres is the truth: when Redis has lost the counters (no epoch marker), every
 * instance waits while one rebuilds them from the ledger. Reservations asked for in the same tick (a
 * dispatch batch's customers, concurrent offer decisions) go to Redis together, in the order asked, in one
 * script call: one round trip for many contacts.
 */
@Injectable()
export class ContactCounterStore {
  private readonly logger = new Logger(ContactCounterStore.name);
  private readonly prefix: string;
  private readonly graceMs: number;
  private readonly reservations = new TickBatch((batch: Reservation[]) => this.reserveAll(batch));

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly calendar: BusinessCalendar,
    config: CampaignServiceConfig,
  ) {
    this.prefix = `${config.REDIS_KEY_PREFIX}contacts:`;
    this.graceMs = config.POLICY_REBUILD_GRACE_MS;
    this.redis.defineCommand('reserveContacts', { lua: RESERVE_SCRIPT });
  }

  /**
   * Counts the contact if every check allows it (`contact.at` is its time). `rebuild` reads the ledger when
   * the counters were lost; it runs on one instance at a time.
   */
  reserve(
    contact: CountedContact,
    checks: readonly CounterCheck[],
    rebuild: () => AsyncIterable<CountedContact[]>,
  ): Promise<ReserveResult> {
    return this.reservations.add({ contact, checks, rebuild });
  }

  private async reserveAll(batch: readonly Reservation[]): Promise<ReserveResult[]> {
    const keys: string[] = [this.epochKey()];
    const args: (string | number)[] = [LONGEST_CAP_PERIOD_MS + MS_PER_DAY];
    for (const { contact, checks } of batch) {
      const own = counterKeysOf(contact, this.calendar);
      const position = new Map(own.map((key, i) => [key, i + 1]));
      keys.push(...own.map((key) => this.prefix + key));
      args.push(contact.contactId, contact.at, own.length, checks.length);
      for (const check of checks) args.push(position.get(check.key)!, check.windowMs, check.max);
    }
    for (;;) {
      const results = (await (this.redis as RedisWithReserve).reserveContacts(
        keys.length,
        ...keys,
        ...args,
      )) as number[];
      if (results[0] !== -1)
        return batch.map(({ checks }, i) =>
          results[i] === 0 ? { reserved: true } : { reserved: false, blockedBy: checks[results[i] - 1] },
        );
      await this.rebuildOrWait(batch[0].rebuild);
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

type RedisWithReserve = Redis & { reserveContacts(...args: (string | number)[]): Promise<unknown> };
