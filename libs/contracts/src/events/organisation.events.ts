import { ArrayNotEmpty, IsArray, IsBoolean, IsIn, registerDecorator } from 'class-validator';
import { IsBoundedText, IsEntityId, IsRegionCode, MAX_ID_LENGTH } from '../field.decorators';

/** Wire names: never change. */
export const InstitutionLevel = { HeadOffice: 'head-office', Branch: 'branch', Outlet: 'outlet' } as const;
export type InstitutionLevel = (typeof InstitutionLevel)[keyof typeof InstitutionLevel];

export const ManagerRole = {
  RelationshipManager: 'relationship-manager',
  PrivateBanker: 'private-banker',
  LobbyManager: 'lobby-manager',
  InstitutionHead: 'institution-head',
} as const;
export type ManagerRole = (typeof ManagerRole)[keyof typeof ManagerRole];

/** Null exactly for the head office; every other institution names its parent. */
const IsParentInstitutionId = (): PropertyDecorator => (target, propertyKey) =>
  registerDecorator({
    name: 'isParentInstitutionId',
    target: target.constructor,
    propertyName: propertyKey as string,
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as InstitutionUpsertedPayload).level === InstitutionLevel.HeadOffice
          ? value === null
          : typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH,
      defaultMessage: () => '$property must be null for the head office and an institution id otherwise',
    },
  });

/** An institution as it now is (create or change); the subject is the institution id. */
export class InstitutionUpsertedPayload {
  @IsEntityId()
  institutionId!: string;

  @IsBoundedText(100)
  name!: string;

  @IsIn(Object.values(InstitutionLevel))
  level!: InstitutionLevel;

  /** Null for the head office, the parent institution otherwise (always present). */
  @IsParentInstitutionId()
  parentId!: string | null;

  @IsRegionCode()
  regionCode!: string;

  @IsBoolean()
  active!: boolean;
}

/** A relationship manager or other staff member as they now are; the subject is the manager id. */
export class ManagerUpsertedPayload {
  @IsEntityId()
  managerId!: string;

  @IsBoundedText(100)
  name!: string;

  /** The institution the manager belongs to. */
  @IsEntityId()
  institutionId!: string;

  @IsArray()
  @ArrayNotEmpty()
  @IsIn(Object.values(ManagerRole), { each: true })
  roles!: ManagerRole[];

  @IsBoolean()
  active!: boolean;
}
