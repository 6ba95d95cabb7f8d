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
 * expire a TTL after their last contact (set once per key and run: a script's clock stands still); members
 * older than the TTL are trimmed now and then, not on every write.
 * KEYS: the epoch marker, then each contact's rolling keys (sorted sets) and daily keys (sets).
 * ARGV: the rolling keys' TTL (ms), the daily keys' TTL (ms), the number of shapes, the shapes; then per
 * contact: its id, its time (ms) and its shape's 1-based index. A shape is what contacts of one policy and
 * channel have in common, sent once: the number of rolling and of daily keys, the number of checks, and per
 * check the key's position among the contact's keys (1-based), the window (ms; 0 for a daily key) and the max.
 */
const RESERVE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local ttl, dayTtl = ARGV[1], ARGV[2]
local shapes = {}
local a = 4
for s = 1, tonumber(ARGV[3]) do
  local shape = { rolling = tonumber(ARGV[a]), daily = tonumber(ARGV[a + 1]), checks = {} }
  local count = tonumber(ARGV[a + 2])
  a = a + 3
  for i = 1, count do
    shape.checks[i] = { tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]) }
    a = a + 3
  end
  shapes[s] = shape
end
local expiring = {}
local results = {}
local k, n = 2, #ARGV
while a <= n do
  local member, at, shape = ARGV[a], tonumber(ARGV[a + 1]), shapes[tonumber(ARGV[a + 2])]
  a = a + 3
  local rolling = shape.rolling
  local last = k + rolling + shape.daily - 1
  local result = 0
  if rolling == 0 or not redis.call('ZSCORE', KEYS[k], member) then
    for i, check in ipairs(shape.checks) do
      local position, window = check[1], check[2]
      local count
      if position > rolling then count = redis.call('SCARD', KEYS[k - 1 + position])
      else count = redis.call('ZCOUNT', KEYS[k - 1 + position], '(' .. (at - window), '+inf') end
      if count >= check[3] then
        result = i
        break
      end
    end
    if result == 0 then
      -- Caps keep a customer's or a number's keys small; a key kept alive for months by steady contacts
      -- is trimmed now and then (a sixteenth of the writes, by the id's first digit).
      local trim = string.byte(member) == 48 and '(' .. (at - tonumber(ttl))
      for j = k, k + rolling - 1 do
        local key = KEYS[j]
        redis.call('ZADD', key, at, member)
        if trim then redis.call('ZREMRANGEBYSCORE', key, '-inf', trim) end
        if not expiring[key] then
          redis.call('PEXPIRE', key, ttl)
          expiring[key] = true
        end
      end
      for j = k + rolling, last do
        local key = KEYS[j]
        redis.call('SADD', key, member)
        if not expiring[key] then
          redis.call('PEXPIRE', key, dayTtl)
          expiring[key] = true
        end
      end
    end
  end
  results[#results + 1] = result
  k = last + 1
end
return results
`;

/** Rolling keys live as long as the longest cap period looks back, and a day more. */
const ROLLING_TTL_MS = LONGEST_CAP_PERIOD_MS + MS_PER_DAY;
/** A day's keys outlive their business day (any time zone, a contact committed late) and no more. */
const DAILY_TTL_MS = 2 * MS_PER_DAY;

export type ReserveResult = { reserved: true } | { reserved: false; blockedBy: CounterCheck };

interface Reservation {
  contact: CountedContact;
  checks: readonly CounterCheck[];
  rebuild: () => AsyncIterable<CountedContact[]>;
}

const REBUILD_LOCK_MS = 120_000;
const REBUILD_WAIT_MS = 200;

/**
 * The contact counters in Redis: one sorted set per customer, phone number and e-mail address, holding the
 * ids of the contacts made, scored by time, and one set per channel day and manager day. A reservation checks every cap
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
    const shapeIndexes = new Map<string, number>();
    const shapes: number[] = [];
    const contacts: (string | number)[] = [];
    for (const { contact, checks } of batch) {
      const { rolling, daily } = counterKeysOf(contact, this.calendar);
      const own = [...rolling, ...daily];
      for (const key of own) keys.push(this.prefix + key);
      const shape = [rolling.length, daily.length, checks.length];
      for (const check of checks) shape.push(own.indexOf(check.key) + 1, check.windowMs, check.max);
      const signature = shape.join(' ');
      let index = shapeIndexes.get(signature);
      if (index === undefined) {
        index = shapeIndexes.size + 1;
        shapeIndexes.set(signature, index);
        shapes.push(...shape);
      }
      contacts.push(contact.contactId, contact.at, index);
    }
    const args = [ROLLING_TTL_MS, DAILY_TTL_MS, shapeIndexes.size, ...shapes, ...contacts];
    for (;;) {
      // Arrays, not spread arguments: a batch passes tens of thousands.
      const results = (await (this.redis as RedisWithReserve).reserveContacts(
        keys.length,
        keys,
        args,
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
    const { rolling, daily } = counterKeysOf(contact, this.calendar);
    await Promise.all([
      ...rolling.map((key) => this.redis.zrem(this.prefix + key, contact.contactId)),
      ...daily.map((key) => this.redis.srem(this.prefix + key, contact.contactId)),
    ]);
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
      let counted = 0;
      for await (const batch of rebuild()) {
        const pipeline = this.redis.pipeline();
        for (const contact of batch) {
          const { rolling, daily } = counterKeysOf(contact, this.calendar);
          for (const key of rolling) {
            pipeline.zadd(this.prefix + key, contact.at, contact.contactId);
            pipeline.pexpire(this.prefix + key, ROLLING_TTL_MS);
          }
          for (const key of daily) {
            pipeline.sadd(this.prefix + key, contact.contactId);
            pipeline.pexpire(this.prefix + key, DAILY_TTL_MS);
          }
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

type RedisWithReserve = Redis & {
  reserveContacts(numKeys: number, keys: string[], args: (string | number)[]): Promise<unknown>;
};
