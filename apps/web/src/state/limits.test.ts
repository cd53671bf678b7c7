import { describe, expect, it } from 'vitest';
import { seatLimitFromDetail, seatLimitText } from './limits';

describe('seat limit', () => {
  it("reads the limit from the server's HOLD_LIMIT detail", () => {
    const detail = 'You can have at most 8 seats of this event, counting those you bought';
    expect(seatLimitFromDetail(detail)).toBe(8);
    expect(seatLimitFromDetail('You can have at most 1 seat of this event')).toBe(1);
  });

  it('finds none in a detail that states no limit', () => {
    expect(seatLimitFromDetail('Hold limit reached')).toBeNull();
    expect(seatLimitFromDetail('at most 0 seats')).toBeNull();
  });

  it('says it in words', () => {
    expect(seatLimitText(8)).toBe('Up to 8 seats per buyer, counting those you bought.');
    expect(seatLimitText(1)).toBe('Up to 1 seat per buyer, counting those you bought.');
  });
});
