/** 00:00 CST of a day, as epoch ms. */
export const cst = (date: string, time = '00:00:00'): number => Date.parse(`${date}T${time}+08:00`);
