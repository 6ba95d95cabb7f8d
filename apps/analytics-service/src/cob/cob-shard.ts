import type { SqlParams } from '@crm/persistence';

/** One slice of the bank's customers for a close of business: `shard` of `shards` (0 ≤ shard < shards). */
export interface Shard {
  shard: number;
  shards: number;
}

/**
 * Whether a customer id is in the shard, as SQL: Postgres's `hashtext` of the id, its sign bit cleared,
 * modulo the number of shards. Every table is sliced by the customer id it records, so a shard reads only
 * its customers' rows; one shard is the whole bank and costs no hashing.
 */
export function shardPredicate(column: string, shard: Shard, params: SqlParams): string {
  if (shard.shards === 1) return 'TRUE';
  return `(hashtext(${column}) & 2147483647) % ${params.add(shard.shards)}::int = ${params.add(shard.shard)}::int`;
}
