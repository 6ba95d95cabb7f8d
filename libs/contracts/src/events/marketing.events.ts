import { ArrayMaxSize, IsArray, IsIn, IsInt, Min, ValidateIf } from 'class-validator';
import { IsBoundedText, IsEntityId, IsTimestamp } from '../field.decorators';

/** Channels a customer can consent to or opt out of marketing on (营销渠道授权). Wire names: never change. */
export const ConsentChannel = {
  Sms: 'sms',
  Phone: 'phone',
  AppPush: 'app-push',
  Email: 'email',
} as const;
export type ConsentChannel = (typeof ConsentChannel)[keyof typeof ConsentChannel];
export const CONSENT_CHANNELS: readonly ConsentChannel[] = Object.values(ConsentChannel);

export const ConsentStatus = { OptedIn: 'opted-in', OptedOut: 'opted-out' } as const;
export type ConsentStatus = (typeof ConsentStatus)[keyof typeof ConsentStatus];

/** Where the customer expressed the choice. Wire names. */
export const ConsentSource = {
  Branch: 'branch',
  PhoneCall: 'phone-call',
  MobileApp: 'mobile-app',
  SmsReply: 'sms-reply',
  OnlineBanking: 'online-banking',
  System: 'system',
} as const;
export type ConsentSource = (typeof ConsentSource)[keyof typeof ConsentSource];

/**
 * Channels a campaign reaches a customer by. Outbound ones are sent by channel gateways or done by a
 * manager; inbound ones (lobby, counter, mobile-banking banner) present an offer when the customer shows
 * up there. Wire names: never change.
 */
export const MarketingChannel = {
  Sms: 'sms',
  AppPush: 'app-push',
  Email: 'email',
  PhoneCall: 'phone-call',
  ManagerTask: 'manager-task',
  Lobby: 'lobby',
  Counter: 'counter',
  MobileBanner: 'mobile-banner',
} as const;
export type MarketingChannel = (typeof MarketingChannel)[keyof typeof MarketingChannel];
export const MARKETING_CHANNELS: readonly MarketingChannel[] = Object.values(MarketingChannel);

/**
 * The consent a marketing channel needs, or null where the customer came to the bank themselves (an
 * offer in the lobby, at the counter or in the app they opened is not an unsolicited contact). A manager
 * task is a call or visit, so it needs phone consent.
 */
export const CONSENT_REQUIRED_BY: Readonly<Record<MarketingChannel, ConsentChannel | null>> = {
  [MarketingChannel.Sms]: ConsentChannel.Sms,
  [MarketingChannel.AppPush]: ConsentChannel.AppPush,
  [MarketingChannel.Email]: ConsentChannel.Email,
  [MarketingChannel.PhoneCall]: ConsentChannel.Phone,
  [MarketingChannel.ManagerTask]: ConsentChannel.Phone,
  [MarketingChannel.Lobby]: null,
  [MarketingChannel.Counter]: null,
  [MarketingChannel.MobileBanner]: null,
};

/**
 * A customer's marketing consent on one channel changed (customer-service, through its outbox).
 * Carries the state, not a delta: a consumer keeps the latest `changedAt` per (customer, channel).
 */
export class ConsentChangedPayload {
  @IsEntityId()
  customerId!: string;

  @IsIn(CONSENT_CHANNELS)
  channel!: ConsentChannel;

  @IsIn(Object.values(ConsentStatus))
  status!: ConsentStatus;

  @IsIn(Object.values(ConsentSource))
  source!: ConsentSource;

  @IsTimestamp()
  changedAt!: string;
}

/**
 * campaign-service asks a channel gateway (SMS, push, e-mail) or a manager's task list to contact a
 * customer. Published once per contact through the outbox; `contactId` is the idempotency key a gateway
 * deduplicates on. The message is the campaign's template for the channel; gateways resolve the phone
 * number or address from customer-service, so no personal data travels here.
 */
export class ContactRequestedPayload {
  @IsEntityId()
  contactId!: string;

  @IsEntityId()
  campaignId!: string;

  @IsEntityId()
  customerId!: string;

  @IsIn(MARKETING_CHANNELS)
  channel!: MarketingChannel;

  /** The products offered (core-banking product codes). */
  @IsArray()
  @ArrayMaxSize(20)
  @IsEntityId({ each: true })
  productCodes!: string[];

  @IsBoundedText(1000)
  message!: string;

  /** The institution whose campaign this is. */
  @IsEntityId()
  institutionId!: string;

  /** The manager who does it, for phone calls and manager tasks; null for gateway channels. */
  @ValidateIf((_, v) => v !== null)
  @IsEntityId()
  managerId!: string | null;

  /** When the contact is due: the policy's allowed time, never inside quiet hours. */
  @IsTimestamp()
  dueAt!: string;
}

/** What the customer queued for (业务类型). Wire names. */
export const LobbyService = {
  Cash: 'cash',
  Account: 'account',
  Wealth: 'wealth',
  Loan: 'loan',
  Card: 'card',
  Other: 'other',
} as const;
export type LobbyService = (typeof LobbyService)[keyof typeof LobbyService];

/** The lobby queueing system issued a ticket at an outlet (叫号机). */
export class QueueTicketIssuedPayload {
  @IsEntityId()
  ticketId!: string;

  /** The outlet. */
  @IsEntityId()
  institutionId!: string;

  /** Known when the customer took the ticket with a card or ID; null for a walk-in. */
  @ValidateIf((_, v) => v !== null)
  @IsEntityId()
  customerId!: string | null;

  @IsIn(Object.values(LobbyService))
  service!: LobbyService;

  /** As printed on the ticket, e.g. `A017`. */
  @IsBoundedText(16)
  ticketNumber!: string;

  /** Tickets ahead of this one when it was issued. */
  @IsInt()
  @Min(0)
  waitingAhead!: number;

  @IsTimestamp()
  issuedAt!: string;
}
