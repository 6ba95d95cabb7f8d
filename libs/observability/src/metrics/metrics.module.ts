import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { Metrics, metricsForProcess } from './metrics.service';

/** `GET /metrics` and the injectable `Metrics` every module registers its counters with. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: Metrics, useFactory: metricsForProcess }],
  exports: [Metrics],
})
export class MetricsModule {}
