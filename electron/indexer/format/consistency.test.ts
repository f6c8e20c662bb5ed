import { describe, expect, it } from 'vitest';
import { consistencyOf } from './consistency';

describe('consistencyOf (INFO.walkExclusive / gilHeld)', () => {
  it('tells the four cases apart', () => {
    expect(consistencyOf({ walkExclusive: true, gilHeld: false })).toBe('exclusive');
    expect(consistencyOf({ walkExclusive: false, gilHeld: true })).toBe('held');
    expect(consistencyOf({ walkExclusive: false, gilHeld: false })).toBe('shared');
    expect(consistencyOf({ objects: 3, edges: 2 })).toBe('unknown');
  });

  it('is unknown without INFO or with out-of-spec values, shared when gilHeld is missing', () => {
    expect(consistencyOf(null)).toBe('unknown');
    expect(consistencyOf({ walkExclusive: 'yes', gilHeld: true })).toBe('unknown');
    expect(consistencyOf({ walkExclusive: false })).toBe('shared');
    expect(consistencyOf({ walkExclusive: false, gilHeld: 1 })).toBe('shared');
  });
});
