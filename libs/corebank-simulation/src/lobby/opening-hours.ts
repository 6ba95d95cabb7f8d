import { MS_PER_HOUR, cstAt, cstDateOf, cstMidnight } from '../core/calendar';

/**
 * When an outlet's lobby is open, in the bank's wall clock (BANK_TIME_ZONE of the simulated bank, China
 * Standard Time): 09:00 to 17:00 every day, as most rural commercial bank outlets in Zhejiang keep,
 * weekends included. The queueing machine issues tickets only then.
 */
export const LOBBY_OPENING_HOURS = { opens: 9, closes: 17 } as const;

/** The instants a business day's lobby opens and closes: [opens, closes). */
export function lobbyOpenOn(day: string): { opens: number; closes: number } {
  return { opens: cstAt(day, LOBBY_OPENING_HOURS.opens), closes: cstAt(day, LOBBY_OPENING_HOURS.closes) };
}

export function isLobbyOpen(at: number): boolean {
  const hour = (at - cstMidnight(cstDateOf(at))) / MS_PER_HOUR;
  return hour >= LOBBY_OPENING_HOURS.opens && hour < LOBBY_OPENING_HOURS.closes;
}
