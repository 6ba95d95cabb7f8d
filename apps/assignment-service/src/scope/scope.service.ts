import { Injectable } from '@nestjs/common';
import { AuthenticatedUser, DataScope, DataScopeError, accessDenied, resolveDataScope } from '@crm/security';
import { OrganisationRepository } from '../organisation/organisation.repository';

/** Resolves a caller's data scope against this service's own copy of the institution tree. */
@Injectable()
export class ScopeService {
  constructor(private readonly organisation: OrganisationRepository) {}

  async scopeOf(user: AuthenticatedUser): Promise<DataScope> {
    try {
      return await resolveDataScope(user, (id) => this.organisation.subtreeOf(id));
    } catch (error) {
      if (error instanceof DataScopeError) throw accessDenied(error.message);
      throw error;
    }
  }
}
