export * from './account.events';
export * from './alert.events';
export * from './assignment.events';
export * from './card.events';
export * from './customer.events';
export * from './loan.events';
export * from './organisation.events';
export * from './transaction.events';
