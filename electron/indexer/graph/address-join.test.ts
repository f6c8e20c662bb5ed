// The address join against a Map: every probe finds the node a Map of address → node finds, strong
// references are counted per node and weak ones listed, dangling probes and the lowest duplicate
// are reported; on one thread and on two, with one partition and with many.
import { describe, expect, it } from 'vitest';
import type { RawSnapshot } from '../format/reader';
import { EDGE_KIND } from '../format/spec';
import { Xorshift } from '../format/synthetic-python';
import { Helper } from '../parallel/helper';
import { sharedFloat64, sharedUint8 } from '../parallel/shared';
import { joinAddresses } from './address-join';

const BASE = 7;
const NONE = 0xffffffff;

function heap(objects: number, edges: number, seed: number, duplicates: number[] = []) {
  const random = new Xorshift(seed);
  const rand = (n: number) => Math.floor(random.next() * n);
  const address = sharedFloat64(BASE + objects);
  for (let v = BASE; v < BASE + objects; v++) address[v] = 0x7f0000000000 + 16 * (v * 7919 + rand(5));
  for (const [v, like] of duplicates.map((d) => [d, d - 1 - rand(d - BASE)] as const))
    address[v] = address[like]!;
  const edgeTargetAddress = sharedFloat64(edges);
  const edgeKind = sharedUint8(edges);
  for (let e = 0; e < edges; e++) {
    // Mostly real targets (a popular few among them), some dangling, some weak.
    const r = rand(100);
    edgeTargetAddress[e] =
      r < 5 ? 0x10000 + 16 * rand(1000) : address[BASE + (r < 30 ? rand(3) : rand(objects))]!;
    edgeKind[e] = rand(10) === 0 ? EDGE_KIND.WEAK : EDGE_KIND.ATTR;
  }
  const raw = {
    nodeBase: BASE,
    objectCount: objects,
    address,
    edgeTargetAddress,
    edgeKind,
    edgeCount: edges,
  };
  return raw as unknown as RawSnapshot;
}

function expected(raw: RawSnapshot, extra: Float64Array) {
  const byAddress = new Map<number, number>();
  let duplicate = -1;
  for (let v = BASE; v < raw.address.length; v++) {
    if (byAddress.has(raw.address[v]!)) duplicate = duplicate < 0 ? v : duplicate;
    else byAddress.set(raw.address[v]!, v);
  }
  const targets = Array.from(raw.edgeTargetAddress, (a) => byAddress.get(a) ?? NONE);
  const strongIn = new Array<number>(raw.address.length).fill(0);
  const weakTargets: number[] = [];
  targets.forEach((t, e) => {
    if (t === NONE) return;
    if (raw.edgeKind[e] === EDGE_KIND.WEAK) weakTargets.push(t);
    else strongIn[t]!++;
  });
  return {
    targets,
    strongIn,
    weakTargets: weakTargets.sort((a, b) => a - b),
    extraNodes: Array.from(extra, (a) => byAddress.get(a) ?? NONE),
    dangling: targets.filter((t) => t === NONE).length,
    duplicate,
  };
}

async function joined(raw: RawSnapshot, extra: Float64Array, threads: 1 | 2) {
  const helper = Helper.create(1, threads === 2 ? 0 : Number.MAX_SAFE_INTEGER);
  try {
    expect(helper.threads).toBe(threads);
    const j = await joinAddresses(raw, extra, helper, async () => {});
    return {
      targets: Array.from(j.targets),
      strongIn: Array.from(j.strongIn),
      weakTargets: [...j.weakTargets].sort((a, b) => a - b),
      extraNodes: Array.from(j.extraNodes),
      dangling: j.dangling,
      duplicate: j.duplicate,
    };
  } finally {
    helper.close();
  }
}

describe('joinAddresses', () => {
  // 3,000 objects: one partition; 70,000: eight partitions of ~8,750.
  for (const objects of [3_000, 70_000]) {
    for (const threads of [1, 2] as const) {
      it(`matches a Map for ${objects} objects on ${threads} thread(s)`, async () => {
        const raw = heap(objects, objects * 2, objects + threads);
        const extra = sharedFloat64(500);
        for (let i = 0; i < extra.length; i++)
          extra[i] = i % 4 === 0 ? 8 * i : raw.address[BASE + ((i * 37) % objects)]!;
        const want = expected(raw, extra);
        expect(want.dangling).toBeGreaterThan(0);
        expect(want.weakTargets.length).toBeGreaterThan(0);
        expect(await joined(raw, extra, threads)).toEqual(want);
      });

      it(`reports the lowest duplicate address for ${objects} objects on ${threads} thread(s)`, async () => {
        const raw = heap(objects, 100, 3, [
          BASE + objects - 1,
          BASE + Math.floor(objects / 2),
          BASE + objects - 5,
        ]);
        const got = await joined(raw, sharedFloat64(0), threads);
        expect(got.duplicate).toBe(expected(raw, sharedFloat64(0)).duplicate);
        expect(got.duplicate).toBe(BASE + Math.floor(objects / 2));
      });
    }
  }
});
