import { runService } from '@crm/http';
import { ASSIGNMENT_SERVICE } from './service';

runService(ASSIGNMENT_SERVICE);
