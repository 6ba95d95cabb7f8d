import {
  AccountOpenedPayload,
  CardIssuedPayload,
  CoverageChangedPayload,
  CustomerRegisteredPayload,
  EVENT_SAMPLES,
  EventEnvelope,
  EventTypes,
  InstitutionUpsertedPayload,
  LoanDisbursedPayload,
  TransactionPostedPayload,
  gb11643CheckDigit,
} from '@crm/contracts';
import { EventClock } from '@crm/testing';

/**
 * A small bank for scope tests:
 *   HO ─ B1 ─ O11      CA: primary O11 (manager M11), secondary O21 (manager M21)
 *      ├ B2 ─ O21      CC: primary O21 (manager M21)
 *      └ B3 ─ O31      CB: primary O31 (manager M31)
 * CA holds savings at O11 (1000.00) and O21 (200.00), a loan at O11 (50000.00) and a card at O11.
 */
export interface SmallBank {
  suffix: string;
  ids: {
    CA: string;
    CB: string;
    CC: string;
    accountCA11: string;
    accountCA21: string;
    loanCA: string;
    cardCA: string;
  };
  customers: Record<'CA' | 'CB' | 'CC', CustomerRegisteredPayload>;
  events: EventEnvelope<object>[];
}

const residentId = (seq: number): string => {
  const first17 = `33010619850101${String(seq % 1000).padStart(3, '0')}`;
  return first17 + gb11643CheckDigit(first17);
};

/** The bank's events from `clock`, in the order listed; ids end in `suffix`, ID and phone numbers vary with `seed`. */
export function smallBank(clock: EventClock, suffix: string, seed: number): SmallBank {
  const institutions: [string, string | null, InstitutionUpsertedPayload['level']][] = [
    ['HO', null, 'head-office'],
    ['B1', 'HO', 'branch'],
    ['B2', 'HO', 'branch'],
    ['B3', 'HO', 'branch'],
    ['O11', 'B1', 'outlet'],
    ['O21', 'B2', 'outlet'],
    ['O31', 'B3', 'outlet'],
  ];
  const ids = {
    CA: `CA${suffix}`,
    CB: `CB${suffix}`,
    CC: `CC${suffix}`,
    accountCA11: `SA11${suffix}`,
    accountCA21: `SA21${suffix}`,
    loanCA: `LN${suffix}`,
    cardCA: `CD${suffix}`,
  };
  const customer = (id: string, n: number, name: string, home: string): CustomerRegisteredPayload => ({
    ...(EVENT_SAMPLES[EventTypes.CustomerRegistered] as unknown as CustomerRegisteredPayload),
    customerId: id,
    name,
    idNumber: residentId(seed + n),
    birthDate: '1985-01-01',
    gender: (seed + n) % 2 === 1 ? 'male' : 'female',
    phone: `139${String((seed * 10 + n) % 100_000_000).padStart(8, '0')}`,
    homeInstitutionId: home,
  });
  const customers = {
    CA: customer(ids.CA, 1, '张三', 'O11'),
    CB: customer(ids.CB, 2, '李四', 'O31'),
    CC: customer(ids.CC, 3, '王五', 'O21'),
  };
  const account = (
    accountId: string,
    customerId: string,
    institutionId: string,
    amount: string,
  ): AccountOpenedPayload => ({
    accountId,
    customerId,
    institutionId,
    kind: 'savings',
    currency: 'CNY',
    openedOn: '2020-01-01',
    productCode: 'SV-01',
    productName: '活期储蓄',
    balance: { amount, currency: 'CNY' },
  });
  const coverage = (
    customerId: string,
    version: number,
    primary: [string, string],
    secondary: [string, string][] = [],
  ): CoverageChangedPayload => ({
    customerId,
    version,
    primary: {
      institutionId: primary[0],
      managerId: primary[1],
      reason: 'largest-deposit',
      basis: 'automatic',
    },
    secondary: secondary.map(([institutionId, managerId]) => ({
      institutionId,
      managerId,
      reason: 'deposit',
      basis: 'automatic',
    })),
    keyCustomer: false,
    privateBankerId: null,
    changedAt: new Date(clock.now).toISOString(),
    changedBy: 'system',
    note: 'rules',
  });
  const loan: LoanDisbursedPayload = {
    ...(EVENT_SAMPLES[EventTypes.LoanDisbursed] as unknown as LoanDisbursedPayload),
    loanId: ids.loanCA,
    customerId: ids.CA,
    institutionId: 'O11',
    managerId: 'M11',
    principal: { amount: '50000.00', currency: 'CNY' },
  };
  const card: CardIssuedPayload = {
    ...(EVENT_SAMPLES[EventTypes.CardIssued] as unknown as CardIssuedPayload),
    cardId: ids.cardCA,
    customerId: ids.CA,
    institutionId: 'O11',
  };
  /** Booked after the account's opening: an older booking would not move the balance. */
  const credit = (bookingDate: string): TransactionPostedPayload => ({
    ...(EVENT_SAMPLES[EventTypes.TransactionPosted] as unknown as TransactionPostedPayload),
    transactionId: `TX${suffix}`,
    accountId: ids.accountCA21,
    customerId: ids.CA,
    institutionId: 'O21',
    creditDebitIndicator: 'CRDT',
    amount: { amount: '50.00', currency: 'CNY' },
    bookingDate,
    balanceAfter: { amount: '200.00', currency: 'CNY' },
  });
  const events: EventEnvelope<object>[] = [
    ...institutions.map(([id, parentId, level]) =>
      clock.envelope(EventTypes.InstitutionUpserted, id, {
        institutionId: id,
        name: id,
        level,
        parentId,
        regionCode: '330106',
        active: true,
      }),
    ),
    ...Object.values(customers).map((c) => clock.envelope(EventTypes.CustomerRegistered, c.customerId, c)),
    clock.envelope(EventTypes.AccountOpened, ids.CA, account(ids.accountCA11, ids.CA, 'O11', '1000.00')),
    clock.envelope(EventTypes.AccountOpened, ids.CA, account(ids.accountCA21, ids.CA, 'O21', '150.00')),
    clock.envelope(EventTypes.AccountOpened, ids.CB, account(`SB31${suffix}`, ids.CB, 'O31', '3000.00')),
    clock.envelope(EventTypes.AccountOpened, ids.CC, account(`SC21${suffix}`, ids.CC, 'O21', '400.00')),
    clock.envelope(EventTypes.LoanDisbursed, ids.CA, loan),
    clock.envelope(EventTypes.CardIssued, ids.CA, card),
    clock.envelope(EventTypes.TransactionPosted, ids.CA, credit(new Date(clock.now).toISOString())),
    // Version 2 first, then a late version 1: the projection keeps the highest.
    clock.envelope(EventTypes.CoverageChanged, ids.CA, coverage(ids.CA, 2, ['O11', 'M11'], [['O21', 'M21']])),
    clock.envelope(EventTypes.CoverageChanged, ids.CA, coverage(ids.CA, 1, ['O31', 'M31'])),
    clock.envelope(EventTypes.CoverageChanged, ids.CB, coverage(ids.CB, 1, ['O31', 'M31'])),
    clock.envelope(EventTypes.CoverageChanged, ids.CC, coverage(ids.CC, 1, ['O21', 'M21'])),
  ];
  return { suffix, ids, customers, events };
}
