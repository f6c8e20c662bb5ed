import { describe, expect, it } from 'vitest';
import { exactBytes, formatBytes, formatCount, formatPercent, formatTime } from './format';

describe('formatBytes', () => {
  it('keeps small sizes in bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    // Averages are fractional; bytes are not.
    expect(formatBytes(690.28)).toBe('690 B');
  });
  it('scales by 1024 with precision falling as the number grows', () => {
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(15 * 1024 + 512)).toBe('15.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.00 TiB');
  });
  it('handles negative deltas and non-numbers', () => {
    expect(formatBytes(-2048)).toBe('-2.00 KiB');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('exact values', () => {
  it('groups thousands regardless of locale', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(exactBytes(1)).toBe('1 byte');
    expect(exactBytes(2048)).toBe('2,048 bytes');
  });
  it('renders percents that distinguish tiny rows from zero', () => {
    expect(formatPercent(0, 100)).toBe('0 %');
    expect(formatPercent(1, 1_000_000)).toBe('<0.01 %');
    expect(formatPercent(1, 3)).toBe('33.3 %');
    expect(formatPercent(1, 0)).toBe('—');
  });
  it('prints times in UTC', () => {
    expect(formatTime(0)).toBe('1970-01-01 00:00:00 UTC');
    expect(formatTime(null)).toBe('—');
  });
});
