import { dayBounds, firstIdAt } from './day-bounds';

describe('day bounds as message ids', () => {
  it('orders a UUIDv7 of a millisecond at or after the first id of that millisecond', () => {
    expect(firstIdAt(0x0123456789ab)).toBe('01234567-89ab-7000-8000-000000000000');
    const ms = Date.parse('2026-12-03T00:00:00Z');
    const sameMs = `${firstIdAt(ms).slice(0, 14)}7abc-9def-0123456789ab`;
    expect(sameMs >= firstIdAt(ms)).toBe(true);
    expect(firstIdAt(ms - 1) < firstIdAt(ms)).toBe(true);
  });

  it('spans one UTC day', () => {
    const { start, end } = dayBounds('2024-02-29');
    expect(new Date(start).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });
});
