// Byte units, written one way everywhere (app, CLI, reports, server): sizes are binary multiples,
// so they are labelled with the IEC names (KiB, MiB, GiB) that say so. "MB" would read as 10^6 to
// some users and 2^20 to others, and tracemalloc and the dumper's own messages already say KiB.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export type ByteUnit = (typeof UNITS)[number];

/** |bytes| scaled to the largest unit it reaches: 1536 → { value: 1.5, unit: 'KiB' }. */
export function scaleBytes(bytes: number): { value: number; unit: ByteUnit } {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return { value, unit: UNITS[unit] };
}
