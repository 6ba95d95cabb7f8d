import { runService } from '@crm/http';
import { CAMPAIGN_SERVICE } from './service';

runService(CAMPAIGN_SERVICE);
