import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../public-route.decorator';
import { Metrics } from './metrics.service';

interface ContentTypeSettable {
  type(contentType: string): unknown;
}

@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) response: ContentTypeSettable): Promise<string> {
    response.type(this.metrics.contentType);
    return this.metrics.render();
  }
}
