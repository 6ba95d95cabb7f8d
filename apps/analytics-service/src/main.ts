import { runService } from '@crm/http';
import { ANALYTICS_SERVICE } from './service';

runService(ANALYTICS_SERVICE);
