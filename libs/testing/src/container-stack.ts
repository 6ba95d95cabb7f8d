import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { freePort } from './eventually';

/**
 * PostgreSQL, Redis and Kafka in containers (testcontainers), for a machine with Docker and without the
 * native stack: `TEST_STACK=containers npm test` (libs/testing/src/jest/test-stack-setup.ts starts it once for the
 * integration run). The images are the official ones unless POSTGRES_IMAGE, REDIS_IMAGE or KAFKA_IMAGE
 * name others (deploy/docker/local-images.sh builds stand-ins where no registry is reachable).
 * Host ports are chosen free up front and bound as such: Kafka must advertise the address clients use.
 */
export interface ContainerStack {
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string;
  stop(): Promise<void>;
}

const image = (variable: string, official: string): string => process.env[variable] || official;

async function startPostgres(): Promise<{ container: StartedTestContainer; url: string }> {
  const port = await freePort();
  const container = await new GenericContainer(image('POSTGRES_IMAGE', 'postgres:16'))
    .withEnvironment({ POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'crm' })
    // Throw-away data: durability off, and room for every test file's pools.
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=300'])
    .withExposedPorts({ container: 5432, host: port })
    // Over TCP: the official image's first-start server listens on its socket only.
    .withWaitStrategy(Wait.forSuccessfulCommand('pg_isready -h 127.0.0.1 -U postgres -d crm'))
    .withStartupTimeout(120_000)
    .start();
  return { container, url: `postgres://postgres:test@127.0.0.1:${port}/crm` };
}

async function startRedis(): Promise<{ container: StartedTestContainer; url: string }> {
  const port = await freePort();
  const container = await new GenericContainer(image('REDIS_IMAGE', 'redis:7'))
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
    .withExposedPorts({ container: 6379, host: port })
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  return { container, url: `redis://127.0.0.1:${port}` };
}

/** One KRaft node set as deploy/local/kafka/server.properties sets the native one. */
async function startKafka(): Promise<{ container: StartedTestContainer; brokers: string }> {
  const port = await freePort();
  const container = await new GenericContainer(image('KAFKA_IMAGE', 'apache/kafka:4.3.1'))
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      // HOST for the tests on the published port; INTERNAL, inside the container, between the broker's parts.
      KAFKA_LISTENERS: 'HOST://:9092,CONTROLLER://:9093,INTERNAL://:9094',
      KAFKA_ADVERTISED_LISTENERS: `HOST://127.0.0.1:${port},INTERNAL://localhost:9094`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'HOST:PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '3',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '3',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_HEAP_OPTS: '-Xmx512m -Xms256m',
    })
    .withExposedPorts({ container: 9092, host: port })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return { container, brokers: `127.0.0.1:${port}` };
}

export async function startContainerStack(): Promise<ContainerStack> {
  const [postgres, redis, kafka] = await Promise.allSettled([startPostgres(), startRedis(), startKafka()]);
  const containers = [postgres, redis, kafka].flatMap((r) =>
    r.status === 'fulfilled' ? [r.value.container] : [],
  );
  const stop = async (): Promise<void> => {
    await Promise.all(containers.map((container) => container.stop({ remove: true })));
  };
  if (postgres.status === 'rejected' || redis.status === 'rejected' || kafka.status === 'rejected') {
    // Without Ryuk (no registry to pull it from) nothing else would remove the ones that did start.
    await stop();
    throw [postgres, redis, kafka].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))[0];
  }
  return {
    databaseUrl: postgres.value.url,
    redisUrl: redis.value.url,
    kafkaBrokers: kafka.value.brokers,
    stop,
  };
}
