import { ArrayNotEmpty, IsArray, IsIn } from 'class-validator';
import {
  IsBoundedText,
  IsCalendarDate,
  IsChineseMobile,
  IsEntityId,
  IsRegionCode,
  IsTimestamp,
  RequiredWhen,
} from '../field.decorators';
import { IsChineseResidentId, IsUnifiedSocialCreditCode } from '../identity';

/** Wire names: never change. */
export const CustomerKind = { Individual: 'individual', Corporate: 'corporate' } as const;
export type CustomerKind = (typeof CustomerKind)[keyof typeof CustomerKind];

export const Gender = { Male: 'male', Female: 'female' } as const;
export type Gender = (typeof Gender)[keyof typeof Gender];

/** GB/T 4754-2017 industry sections (门类), the level a CRM segments corporate customers by. */
export const IndustrySections = {
  A: 'agriculture, forestry, animal husbandry and fishery',
  B: 'mining',
  C: 'manufacturing',
  D: 'electricity, heat, gas and water',
  E: 'construction',
  F: 'wholesale and retail',
  G: 'transport, storage and post',
  H: 'accommodation and catering',
  I: 'information transmission, software and IT services',
  J: 'finance',
  K: 'real estate',
  L: 'leasing and business services',
  M: 'scientific research and technical services',
  N: 'water conservancy, environment and public facilities',
  O: 'resident services and repair',
  P: 'education',
  Q: 'health and social work',
  R: 'culture, sports and entertainment',
  S: 'public administration and social organisations',
  T: 'international organisations',
} as const;
export type IndustrySection = keyof typeof IndustrySections;

const isIndividual = (p: CustomerProfile) => p.kind === CustomerKind.Individual;
const isCorporate = (p: CustomerProfile) => p.kind === CustomerKind.Corporate;

/** The customer master data core banking holds; every customer event carries all of it (event-carried state). */
export class CustomerProfile {
  @IsEntityId()
  customerId!: string;

  @IsIn(Object.values(CustomerKind))
  kind!: CustomerKind;

  /** Legal name: a person's name or a company's registered name. */
  @IsBoundedText(200)
  name!: string;

  @RequiredWhen('kind is individual', isIndividual)
  @IsChineseResidentId()
  idNumber?: string;

  @RequiredWhen('kind is individual', isIndividual)
  @IsIn(Object.values(Gender))
  gender?: Gender;

  @RequiredWhen('kind is individual', isIndividual)
  @IsCalendarDate()
  birthDate?: string;

  @RequiredWhen('kind is corporate', isCorporate)
  @IsUnifiedSocialCreditCode()
  unifiedSocialCreditCode?: string;

  @RequiredWhen('kind is corporate', isCorporate)
  @IsIn(Object.keys(IndustrySections))
  industry?: IndustrySection;

  @IsChineseMobile()
  phone!: string;

  /** Where the customer lives or the company is registered. */
  @IsRegionCode()
  regionCode!: string;

  /** The institution where the customer was registered (their 开户机构). */
  @IsEntityId()
  homeInstitutionId!: string;
}

export class CustomerRegisteredPayload extends CustomerProfile {
  @IsCalendarDate()
  registeredOn!: string;
}

/** Profile fields an update may name as changed. */
export const CUSTOMER_PROFILE_FIELDS = [
  'name',
  'idNumber',
  'gender',
  'birthDate',
  'unifiedSocialCreditCode',
  'industry',
  'phone',
  'regionCode',
  'homeInstitutionId',
] as const;
export type CustomerProfileField = (typeof CUSTOMER_PROFILE_FIELDS)[number];

/** The full profile after the change, and which fields changed. */
export class CustomerUpdatedPayload extends CustomerProfile {
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(CUSTOMER_PROFILE_FIELDS, { each: true })
  changedFields!: CustomerProfileField[];

  @IsTimestamp()
  updatedAt!: string;
}
