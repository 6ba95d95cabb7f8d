import { DEFAULT_ALERT_PARAMETERS } from '@crm/contracts';
import {
  frequentTransfersToOtherBanksRule,
  isTransferToOtherBank,
} from './frequent-transfers-to-other-banks.rule';
import { SUBJECT, entry, feed, calendar } from '../testing/rule-fixtures';

const rule = (
  others: Parameters<typeof frequentTransfersToOtherBanksRule>[1],
  added: Parameters<typeof frequentTransfersToOtherBanksRule>[2],
) => frequentTransfersToOtherBanksRule(SUBJECT, others, added, DEFAULT_ALERT_PARAMETERS, calendar);
const out = (id: string, hours: number, toOtherBank = true) => entry(id, '1000.00', hours, { toOtherBank });

describe('frequentTransfersToOtherBanksRule', () => {
  it('raises at the 5th transfer to another bank within 24 h, not at the 4th', () => {
    const four = [0, 1, 2, 3].map((h) => out(`d${h}`, h));
    expect(feed(four, rule)).toEqual([]);
    expect(rule(four, out('d4', 4))).toMatchObject([
      { kind: 'frequent-transfers-to-other-banks', periodKey: '2025-03-01' },
    ]);
  });

  it('does not count debits inside the bank', () => {
    const mixed = [out('d0', 0), out('d1', 1), out('d2', 2), out('d3', 3), out('d4', 4, false)];
    expect(feed(mixed, rule)).toEqual([]);
  });

  it('leaves out the transfer booked exactly 24 h before', () => {
    expect(
      feed(
        [0, 6, 12, 18, 24].map((h) => out(`d${h}`, h)),
        rule,
      ),
    ).toEqual([]);
  });

  it('counts transfers in any currency and gives the same answer out of order', () => {
    const transfers = [0, 1, 2, 3, 4].map((h) => out(`d${h}`, h, true));
    transfers[2] = { ...transfers[2], currency: 'USD' };
    expect(feed([...transfers].reverse(), rule)).toEqual(feed(transfers, rule));
    expect(feed(transfers, rule)).toEqual(['2025-03-01']);
  });

  it('recognises a transfer to another bank by code family and agent', () => {
    expect(isTransferToOtherBank('PMNT-ICDT-DMCT', false)).toBe(true);
    expect(isTransferToOtherBank('PMNT-ICDT-DMCT', true)).toBe(false);
    expect(isTransferToOtherBank('PMNT-CCRD-CWDL', undefined)).toBe(false);
  });
});
