#!/usr/bin/env node
// Waits until the local Kafka broker really serves clients: a metadata request (describeCluster) must
// answer, and so must the group coordinator lookup (fails on a single node whose internal topics were
// left at replication factor 3) and an idempotent producer's id allocation (answers "coordinator is
// loading" for a moment after the first start). A TCP connect alone would prove none of these.
//
//   node wait-ready.js [--timeout 90] [--pid <broker pid>]... [--log <file>]... [--nodes N] [--quiet]
//
// Brokers from KAFKA_BROKERS (default 127.0.0.1:9092); --nodes: as many must have joined the cluster.
// Exit 0 when ready, 1 on timeout or when a broker process (--pid) dies; then prints the tail of each
// --log file to stderr.
'use strict';

const fs = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');

function parseArgs(argv) {
  const args = { timeout: 90, pids: [], logs: [], nodes: 1, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--timeout') args.timeout = Number(argv[++i]);
    else if (arg === '--pid') args.pids.push(Number(argv[++i]));
    else if (arg === '--nodes') args.nodes = Number(argv[++i]);
    else if (arg === '--log') args.logs.push(argv[++i]);
    else if (arg === '--quiet') args.quiet = true;
    else throw new Error(`unknown argument: ${arg}`);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
const progress = (text) => args.quiet || process.stderr.write(text);

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tail(file, lines = 20) {
  try {
    const content = fs.readFileSync(file, 'utf8').trimEnd();
    return content ? content.split('\n').slice(-lines).join('\n') : '(empty)';
  } catch {
    return '(missing)';
  }
}

function fail(reason, lastError) {
  progress('\n');
  console.error(`kafka: ERROR: ${reason}`);
  if (lastError) console.error(`kafka: last error: ${lastError}`);
  for (const file of args.logs) console.error(`---- tail of ${file} ----\n${tail(file)}`);
  process.exit(1);
}

async function probe() {
  // Fail fast per attempt: the loop below does the retrying.
  const kafka = new Kafka({
    clientId: 'wait-ready',
    brokers,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  // kafkajs refuses an idempotent producer without retries.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length < args.nodes)
      throw new Error(`${cluster.brokers.length} of ${args.nodes} brokers have joined`);
    // Finding a group's coordinator also creates __consumer_offsets on first use.
    await admin.describeGroups(['wait-ready']);
    // connect() of an idempotent producer sends InitProducerId.
    await producer.connect();
    return cluster;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  progress(`kafka: waiting for ${brokers.join(',')} (timeout ${args.timeout}s) `);
  let lastError;
  let attempts = 0;
  while ((Date.now() - started) / 1000 < args.timeout) {
    const dead = args.pids.find((pid) => !processAlive(pid));
    if (dead) fail(`broker process ${dead} exited after ${elapsed()}s`, lastError);
    try {
      const cluster = await probe();
      progress(` ready in ${elapsed()}s\n`);
      if (!args.quiet) {
        console.error(
          `kafka: cluster ${cluster.clusterId}, brokers ${cluster.brokers.map((b) => `${b.host}:${b.port}`).join(',')}`,
        );
      }
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      progress(++attempts % 20 === 0 ? `${elapsed()}s` : '.');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  fail(`broker not ready after ${args.timeout}s`, lastError);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
