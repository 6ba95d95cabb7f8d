import { Topics } from '@crm/contracts';
import { tableRows, type DrilledService } from '../lib/fault-drill';

/**
 * assignment-service's outcome: the coverage each customer ends with and its projections. A customer's
 * events come on several topics, in an order no run repeats (an account opened before or after a loan
 * disbursed), so the steps to that coverage are not compared: the history, version numbers, the note of the
 * last change, nor when a change was made (wall clock).
 */
export const ASSIGNMENT_DRILL: DrilledService = {
  name: 'assignment',
  entry: 'apps/assignment-service/src/main.ts',
  consumes: [
    Topics.CorebankAccount,
    Topics.CorebankCard,
    Topics.CorebankLoan,
    Topics.CorebankOrganisation,
    Topics.CorebankTransaction,
  ],
  outcome: tableRows({
    volatile: [
      'updated_at',
      'changed_at',
      'version',
      'coverage.changedAt',
      'coverage.version',
      'coverage.note',
    ],
    except: ['coverage_history'],
  }),
  filled: ['institution', 'manager', 'deposit_account', 'loan', 'card', 'customer_coverage'],
};
