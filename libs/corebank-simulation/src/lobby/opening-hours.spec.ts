import { isLobbyOpen, lobbyOpenOn } from './opening-hours';

const at = (time: string) => Date.parse(`2025-03-03T${time}+08:00`);

describe('lobby opening hours', () => {
  it('are 09:00 to 17:00 in the bank wall clock, closing time excluded', () => {
    expect(isLobbyOpen(at('08:59:59.999'))).toBe(false);
    expect(isLobbyOpen(at('09:00:00.000'))).toBe(true);
    expect(isLobbyOpen(at('16:59:59.999'))).toBe(true);
    expect(isLobbyOpen(at('17:00:00.000'))).toBe(false);
    expect(isLobbyOpen(at('23:30:00.000'))).toBe(false);
  });

  it('read the bank day, whatever the instant is written in', () => {
    // 01:30 UTC is 09:30 in Hangzhou; 10:00 UTC is 18:00 there.
    expect(isLobbyOpen(Date.parse('2025-03-03T01:30:00Z'))).toBe(true);
    expect(isLobbyOpen(Date.parse('2025-03-03T10:00:00Z'))).toBe(false);
    expect(lobbyOpenOn('2025-03-03')).toEqual({ opens: at('09:00:00'), closes: at('17:00:00') });
  });
});
