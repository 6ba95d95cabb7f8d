import { ScopeColumns } from '@crm/security';

/**
 * Where this service records who covers the customer in `customerColumn`: any institution or manager
 * of its coverage (primary or secondary), and its private banker.
 */
export const customerScopeColumns = (schema: string, customerColumn: string): ScopeColumns => {
  const member = (column: string) => ({
    from: `"${schema}".coverage_member sm`,
    where: `sm.customer_id = ${customerColumn}`,
    column,
  });
  return {
    institutions: [member('sm.institution_id')],
    managers: [
      member('sm.manager_id'),
      {
        from: `"${schema}".customer_coverage sc`,
        where: `sc.customer_id = ${customerColumn}`,
        column: 'sc.private_banker_id',
      },
    ],
  };
};
