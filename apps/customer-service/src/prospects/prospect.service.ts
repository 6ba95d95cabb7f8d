import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerKind, isChineseResidentId, isUnifiedSocialCreditCode } from '@crm/contracts';
import { RequestValidationException } from '@crm/http';
import {
  AuditLogWriter,
  AuthenticatedUser,
  DataScopeResolver,
  FieldCipher,
  PII_FIELDS,
  Permission,
  PiiPresenter,
  hasPermission,
} from '@crm/security';
import { CustomerRepository } from '../customers/customer.repository';
import { CustomerException, CustomerExceptionCode, customerNotFound } from '../common/customer.exception';
import { CreateProspectDto, MatchProspectDto, ProspectDto, UpdateProspectDto } from './prospect.dto';
import { ProspectColumns, ProspectRepository, ProspectRow } from './prospect.repository';

/**
 * Setting an ID or phone number or a birth date (the fields pii:read reveals) needs pii:write; a
 * prospect's name, gender, region and note do not, so managers without it still record prospects.
 */
function requirePiiWrite(user: AuthenticatedUser, dto: UpdateProspectDto): void {
  const fields = PII_FIELDS.filter((field) => dto[field] !== undefined);
  if (fields.length > 0 && !hasPermission(user, Permission.PiiWrite)) {
    throw new CustomerException(
      CustomerExceptionCode.PiiWriteRequired,
      `Setting ${fields.join(', ')} needs the ${Permission.PiiWrite} permission`,
    );
  }
}

@Injectable()
export class ProspectService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly prospects: ProspectRepository,
    private readonly customers: CustomerRepository,
    private readonly scopes: DataScopeResolver,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditLogWriter,
  ) {}

  async create(user: AuthenticatedUser, dto: CreateProspectDto): Promise<ProspectDto> {
    requirePiiWrite(user, dto);
    const id = randomUUID();
    await this.scopes.resolve(user);
    await this.dataSource.transaction(async (manager) => {
      await this.prospects.insert(manager, {
        id,
        kind: dto.kind,
        name: dto.name,
        institution_id: user.institutionId,
        manager_id: user.managerId ?? null,
        created_by: user.userId,
        ...this.columns(dto),
      });
      await this.auditWrite(manager, user, id, 'prospect.create', dto);
    });
    return this.get(user, id);
  }

  async get(user: AuthenticatedUser, id: string): Promise<ProspectDto> {
    const row = await this.require(user, id);
    const presenter = new PiiPresenter(user);
    const dto = this.present(row, presenter);
    if (presenter.auditRequired) {
      await this.audit.record({
        actor: user,
        action: 'prospect.pii.read',
        resourceType: 'prospect',
        resourceId: id,
        outcome: 'allowed',
        details: { fields: presenter.revealedFields },
      });
    }
    return dto;
  }

  async update(user: AuthenticatedUser, id: string, dto: UpdateProspectDto): Promise<ProspectDto> {
    requirePiiWrite(user, dto);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.require(user, id, manager);
      if (dto.idNumber !== undefined) {
        const valid =
          row.kind === CustomerKind.Corporate
            ? isUnifiedSocialCreditCode(dto.idNumber)
            : isChineseResidentId(dto.idNumber);
        if (!valid) {
          throw new RequestValidationException([
            { field: 'idNumber', message: `idNumber is not a valid identifier for a ${row.kind} prospect` },
          ]);
        }
      }
      await this.prospects.update(manager, id, this.columns(dto));
      await this.auditWrite(manager, user, id, 'prospect.update', dto);
    });
    return this.get(user, id);
  }

  async match(user: AuthenticatedUser, id: string, dto: MatchProspectDto): Promise<ProspectDto> {
    const scope = await this.scopes.resolve(user);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.require(user, id, manager);
      if (row.matched_customer_id) {
        throw new CustomerException(
          CustomerExceptionCode.ProspectAlreadyMatched,
          `Prospect ${id} is already matched to customer ${row.matched_customer_id}`,
        );
      }
      const [customer] = await this.customers.findInScope([dto.customerId], scope, manager);
      if (!customer) throw customerNotFound(dto.customerId);
      await this.prospects.recordMatch(manager, id, dto.customerId, user.userId);
      await this.audit.record(
        {
          actor: user,
          action: 'prospect.match',
          resourceType: 'prospect',
          resourceId: id,
          customerId: dto.customerId,
          outcome: 'allowed',
          details: { method: 'manual' },
        },
        manager,
      );
    });
    return this.get(user, id);
  }

  private async require(user: AuthenticatedUser, id: string, manager?: EntityManager): Promise<ProspectRow> {
    const scope = await this.scopes.resolve(user);
    const row = await this.prospects.findInScope(id, scope, manager);
    if (!row)
      throw new CustomerException(
        CustomerExceptionCode.ProspectNotFound,
        `No prospect ${id} in your data scope`,
      );
    return row;
  }

  private columns(dto: UpdateProspectDto): ProspectColumns {
    return {
      name: dto.name,
      gender: dto.gender,
      birth_date: dto.birthDate,
      region_code: dto.regionCode,
      note: dto.note,
      ...(dto.idNumber !== undefined
        ? {
            id_number_enc: this.cipher.encrypt(dto.idNumber),
            id_number_hash: this.cipher.blindIndex(dto.idNumber, 'id-number'),
          }
        : {}),
      ...(dto.phone !== undefined
        ? {
            phone_enc: this.cipher.encrypt(dto.phone),
            phone_hash: this.cipher.blindIndex(dto.phone, 'phone'),
          }
        : {}),
    };
  }

  private auditWrite(
    manager: EntityManager,
    user: AuthenticatedUser,
    id: string,
    action: string,
    dto: UpdateProspectDto,
  ): Promise<string> {
    return this.audit.record(
      {
        actor: user,
        action,
        resourceType: 'prospect',
        resourceId: id,
        outcome: 'allowed',
        details: {
          changedFields: Object.keys(dto)
            .filter((k) => (dto as Record<string, unknown>)[k] !== undefined)
            .sort(),
        },
      },
      manager,
    );
  }

  private present(row: ProspectRow, presenter: PiiPresenter): ProspectDto {
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      gender: row.gender,
      birthDate: presenter.birthDate(row.birth_date),
      regionCode: row.region_code,
      idNumber: presenter.idNumber(row.id_number_enc ? this.cipher.decrypt(row.id_number_enc) : null),
      phone: presenter.phone(row.phone_enc ? this.cipher.decrypt(row.phone_enc) : null),
      note: row.note,
      institutionId: row.institution_id,
      managerId: row.manager_id,
      createdBy: row.created_by,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      match: row.matched_customer_id
        ? {
            customerId: row.matched_customer_id,
            matchedAt: row.matched_at!.toISOString(),
            method: row.match_method!,
            matchedBy: row.matched_by,
          }
        : null,
    };
  }
}
