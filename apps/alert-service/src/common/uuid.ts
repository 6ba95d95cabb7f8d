const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an id from a path or a message can name a row keyed by uuid (anything else is simply not found). */
export const isUuid = (value: string): boolean => UUID.test(value);
