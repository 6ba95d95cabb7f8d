export * from './business-calendar';
export * from './calendar-dates';
export * from './time-units';
