import { runService } from '@crm/http';
import { CUSTOMER_SERVICE } from './service';

runService(CUSTOMER_SERVICE);
