import { describe, expect, it } from 'vitest';
import {
  WARN_MS,
  announcement,
  canAskMoreTime,
  holdPhase,
  showWarning,
  warningText,
} from './hold-timer';

describe('holdPhase', () => {
  const now = 1_000_000;
  it('is none without holds', () => expect(holdPhase(null, now)).toBe('none'));
  it('counts above the warning, warns from 60 s, expires at 0', () => {
    expect(holdPhase(now + WARN_MS + 1, now)).toBe('counting');
    expect(holdPhase(now + WARN_MS, now)).toBe('warning');
    expect(holdPhase(now + 1, now)).toBe('warning');
    expect(holdPhase(now, now)).toBe('expired');
    expect(holdPhase(now - 5, now)).toBe('expired');
  });
});

describe('the warning and more time', () => {
  it('shows the banner while warning unless more time was granted', () => {
    expect(showWarning('warning', { state: 'idle' })).toBe(true);
    expect(showWarning('warning', { state: 'refused', message: 'no' })).toBe(true);
    expect(showWarning('warning', { state: 'granted' })).toBe(false);
    expect(showWarning('counting', { state: 'idle' })).toBe(false);
    expect(showWarning('expired', { state: 'idle' })).toBe(false);
  });

  it('offers more time once', () => {
    expect(canAskMoreTime({ state: 'idle' })).toBe(true);
    expect(canAskMoreTime({ state: 'asking' })).toBe(false);
    expect(canAskMoreTime({ state: 'granted' })).toBe(false);
    expect(canAskMoreTime({ state: 'refused', message: 'no' })).toBe(false);
  });

  it('says the minutes left, rounded up', () => {
    expect(warningText(60_000)).toBe('Your seats are held for 1 more minute');
    expect(warningText(1_000)).toBe('Your seats are held for 1 more minute');
    expect(warningText(90_000)).toBe('Your seats are held for 2 more minutes');
  });

  it('announces only the warning and the expiry', () => {
    expect(announcement('counting', 120_000)).toBe('');
    expect(announcement('none', 0)).toBe('');
    expect(announcement('warning', 59_000)).toBe('Your seats are held for 1 more minute.');
    expect(announcement('expired', 0)).toBe('Your hold has expired.');
  });
});
