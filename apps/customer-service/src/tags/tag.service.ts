import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthenticatedUser } from '@crm/security';
import { CustomerException, CustomerExceptionCode } from '../common/customer.exception';
import { CustomerService } from '../customers/customer.service';
import { TagRepository } from './tag.repository';

/** Manual tags on a customer (analytics tags arrive by events). */
@Injectable()
export class TagService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomerService,
    private readonly tags: TagRepository,
  ) {}

  async addTag(user: AuthenticatedUser, customerId: string, tag: string): Promise<void> {
    await this.customers.requireInScope(user, customerId);
    await this.tags.addManual(this.dataSource.manager, customerId, tag, user.userId);
  }

  async removeTag(user: AuthenticatedUser, customerId: string, tag: string): Promise<void> {
    await this.customers.requireInScope(user, customerId);
    if (!(await this.tags.removeManual(this.dataSource.manager, customerId, tag))) {
      throw new CustomerException(
        CustomerExceptionCode.TagNotFound,
        `Customer ${customerId} has no manual tag ${tag}`,
      );
    }
  }
}
