import { loadavg } from 'node:os';
import { AssignerProtocol, type Kafka } from 'kafkajs';
import { cpuSecondsByGroup, type ProcessGroup } from './process-cpu';
import { type Progress } from './progress';

/** A consumer's catch-up: how fast it read a backlog of `events` it found waiting. */
export interface ThroughputResult {
  target: string;
  events: number;
  seconds: number;
  sustainedPerSecond: number;
  /** CPU cores each process group kept busy over the same 10 %-90 % span, when sampled. */
  coresBusy?: Record<string, number>;
  /** The machine's one-minute load average at the end of the 10 %-90 % span. */
  loadAverage?: number;
  /** (seconds from start, events consumed) at each sample: for a progress chart. */
  curve: [number, number][];
}

/**
 * Starts a consumer on a backlog (`start` returns how many events it has consumed so far) and samples it
 * until it has them all; the rate is the slope between 10 % and 90 % consumed, so start-up and the last
 * partitions' tail do not count.
 */
export async function measureThroughput(
  target: string,
  /** The backlog's size, or how to learn it once the consumer has started (from what it subscribed to). */
  backlog: number | (() => number),
  progress: Progress,
  start: () => Promise<() => Promise<number>>,
  sampling: {
    /** The consumer's own record of when it got how many, finer than polling. */
    precise?: () => { at: number; count: number }[];
    cpuGroups?: () => ProcessGroup[];
    /** Before each sample, e.g. to learn which processes the groups match. */
    refresh?: () => Promise<void>;
  } = {},
): Promise<ThroughputResult> {
  const { precise, cpuGroups, refresh } = sampling;
  const startedAt = Date.now();
  const consumed = await start();
  const total = typeof backlog === 'number' ? backlog : backlog();
  const groups = cpuGroups?.() ?? [];
  const samples: { at: number; count: number; cpu?: Record<string, number>; load?: number }[] = [];
  let lastLog = 0;
  for (;;) {
    await refresh?.();
    const count = await consumed();
    samples.push({
      at: Date.now(),
      count,
      ...(groups.length > 0 ? { cpu: cpuSecondsByGroup(groups), load: loadavg()[0] } : {}),
    });
    if (Date.now() - lastLog > 5_000) {
      lastLog = Date.now();
      progress.log(
        `${target}: ${count}/${total} consumed, ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
      );
    }
    if (count >= total) break;
    if (Date.now() - startedAt > 60 * 60_000) throw new Error(`${target}: not done in an hour`);
    await new Promise((done) => setTimeout(done, 200));
  }
  if (precise) samples.splice(0, samples.length, ...precise());
  // The last sample at or below 10 % and the first at or above 90 %: a fast consumer can cross
  // both marks between two polls, which must not make the span zero.
  const low = [...samples].reverse().find((s) => s.count <= total * 0.1) ?? samples[0];
  const high = samples.find((s) => s.count >= total * 0.9) ?? samples[samples.length - 1];
  const spanSeconds = Math.max(0.001, (high.at - low.at) / 1000);
  const sustainedPerSecond = (high.count - low.count) / spanSeconds;
  const seconds = (samples[samples.length - 1].at - startedAt) / 1000;
  progress.log(
    `${target}: ${total} events in ${seconds.toFixed(1)} s, sustained ${sustainedPerSecond.toFixed(0)} events/s`,
  );
  const coresBusy =
    low.cpu && high.cpu
      ? Object.fromEntries(groups.map((g) => [g.name, (high.cpu![g.name] - low.cpu![g.name]) / spanSeconds]))
      : undefined;
  return {
    target,
    events: total,
    seconds,
    sustainedPerSecond,
    curve: samples.map((s) => [(s.at - startedAt) / 1000, s.count]),
    ...(coresBusy ? { coresBusy, loadAverage: high.load } : {}),
  };
}

export async function listTopics(kafka: Kafka, prefix: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(prefix) && !t.endsWith('.dlq'));
  } finally {
    await admin.disconnect();
  }
}

/** Events the group has committed on the topics (the service commits what it has applied every 500 ms). */
export async function committedCount(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchOffsets({ groupId, topics });
    return offsets.flatMap((t) => t.partitions).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The topics a consumer group's members subscribed to, once it has some: a service subscribes to the topics of
 * the events it handles, which need not be every topic of a stream.
 */
export async function subscribedTopics(kafka: Kafka, groupId: string, timeoutMs = 60_000): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
      const [group] = (await admin.describeGroups([groupId])).groups;
      const topics = group.members.flatMap(
        (m) => AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? [],
      );
      if (topics.length > 0) return [...new Set(topics)];
      await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error(`${groupId}: no member subscribed in ${timeoutMs / 1000} s`);
  } finally {
    await admin.disconnect();
  }
}

/** Events on the topics so far (their partitions' high watermarks; the topics are never compacted here). */
export async function publishedCount(kafka: Kafka, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let count = 0;
    for (const topic of topics)
      for (const p of await admin.fetchTopicOffsets(topic)) count += Number(p.high) - Number(p.low);
    return count;
  } finally {
    await admin.disconnect();
  }
}
