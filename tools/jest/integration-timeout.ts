// Jest reads `testTimeout` only from the root config, not from a project: set it here so that
// integration tests and their hooks (topic creation, consumer group joins) get real-stack time.
jest.setTimeout(120_000);
