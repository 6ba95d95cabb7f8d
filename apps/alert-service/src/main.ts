import { runService } from '@crm/http';
import { ALERT_SERVICE } from './service';

runService(ALERT_SERVICE);
