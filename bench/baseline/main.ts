import { NestFactory } from '@nestjs/core';
import { HelloModule } from './hello.module';

/**
 * The benchmark baseline: NestJS on Express with nothing of our own (no logging, validation,
 * auth or database), started like a service. A service's latency over this one's is what our
 * code and its dependencies cost on the same machine at the same moment.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(HelloModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
