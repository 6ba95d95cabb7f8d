import type { ContainerStack } from '../container-stack';

export default async function tearDownTestStack(): Promise<void> {
  await (globalThis as { containerStack?: ContainerStack }).containerStack?.stop();
}
