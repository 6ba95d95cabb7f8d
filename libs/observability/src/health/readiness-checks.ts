/** A dependency the service needs to do useful work: resolves when reachable, throws when not. */
export type ReadinessCheck = () => Promise<void>;

// The clients are described by the one method each check calls, so observability depends on none of their libraries.

export interface SqlQueryable {
  query(sql: string): Promise<unknown>;
}

export interface RedisPingable {
  ping(): Promise<string>;
}

export interface KafkaClusterDescribable {
  describeCluster(): Promise<{ brokers: unknown[] }>;
}

/** PostgreSQL answers a trivial query (e.g. a TypeORM DataSource). */
export const postgresCheck =
  (dataSource: SqlQueryable): ReadinessCheck =>
  async () => {
    await dataSource.query('SELECT 1');
  };

/** Redis answers PING (e.g. an ioredis client). */
export const redisCheck =
  (redis: RedisPingable): ReadinessCheck =>
  async () => {
    const reply = await redis.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
  };

/** The Kafka cluster answers a metadata request with at least one broker (a connected kafkajs admin). */
export const kafkaCheck =
  (admin: KafkaClusterDescribable): ReadinessCheck =>
  async () => {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no Kafka broker available');
  };
