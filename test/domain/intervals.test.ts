import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findOverlappingPairs, overlaps } from '../../src/domain';
import { invalidPath } from './fixtures';

const at = (h: number) => new Date(Date.UTC(2025, 0, 15, h));
const iv = (id: string, start: number, end: number) => ({ id, start: new Date(start), end: new Date(end) });

describe('overlaps', () => {
  it('back-to-back sessions do not overlap', () => {
    expect(overlaps({ start: at(10), end: at(11) }, { start: at(11), end: at(12) })).toBe(false);
    expect(overlaps({ start: at(11), end: at(12) }, { start: at(10), end: at(11) })).toBe(false);
  });

  it('sessions sharing any instant overlap, including containment and equality', () => {
    expect(overlaps({ start: at(10), end: at(12) }, { start: at(11), end: at(13) })).toBe(true);
    expect(overlaps({ start: at(9), end: at(13) }, { start: at(10), end: at(11) })).toBe(true);
    expect(overlaps({ start: at(10), end: at(11) }, { start: at(10), end: at(11) })).toBe(true);
  });

  it('rejects invalid and empty intervals with the argument in the path', () => {
    expect(invalidPath(() => overlaps({ start: new Date(NaN), end: at(11) }, { start: at(10), end: at(11) }))).toEqual(['a', 'start']);
    expect(invalidPath(() => overlaps({ start: at(10), end: at(11) }, { start: at(11), end: at(11) }))).toEqual(['b', 'end']);
    expect(invalidPath(() => overlaps(null as never, { start: at(10), end: at(11) }))).toEqual(['a']);
  });
});

describe('findOverlappingPairs', () => {
  it('returns each overlapping pair once as [earlier, later]', () => {
    const pairs = findOverlappingPairs([iv('c', 11, 12), iv('a', 9, 11), iv('b', 10, 12), iv('d', 12, 13)]);
    expect(pairs.map(([x, y]) => `${x.id}${y.id}`).sort()).toEqual(['ab', 'bc']);
  });

  it('orders ties by end, then input order', () => {
    const pairs = findOverlappingPairs([iv('long', 0, 10), iv('short', 0, 5), iv('twin1', 0, 5)]);
    expect(pairs.map(([x, y]) => `${x.id}<${y.id}`).sort()).toEqual(['short<long', 'short<twin1', 'twin1<long']);
  });

  it('keeps the caller objects and their extra fields', () => {
    const a = { ...iv('a', 0, 2), room: 'pool' };
    const b = { ...iv('b', 1, 3), room: 'gym' };
    const [[x, y]] = findOverlappingPairs([b, a]) as [[typeof a, typeof b]];
    expect(x).toBe(a);
    expect(y).toBe(b);
  });

  it('rejects zero-length, inverted and invalid intervals with the index in the path', () => {
    expect(invalidPath(() => findOverlappingPairs([iv('a', 0, 1), iv('b', 5, 5)]))).toEqual([1, 'end']);
    expect(invalidPath(() => findOverlappingPairs([iv('a', 0, 1), iv('b', 1, 2), iv('c', 6, 5)]))).toEqual([2, 'end']);
    expect(invalidPath(() => findOverlappingPairs([{ start: new Date('nope'), end: new Date(1) }]))).toEqual([0, 'start']);
    expect(invalidPath(() => findOverlappingPairs([iv('a', 0, 1), { start: new Date(1), end: new Date('nope') }]))).toEqual([1, 'end']);
    expect(invalidPath(() => findOverlappingPairs([{ start: 0, end: 1 } as never]))).toEqual([0, 'start']);
    expect(invalidPath(() => findOverlappingPairs('nope' as never))).toEqual([]);
  });

  const brute = (items: Array<{ start: Date; end: Date }>) => {
    const order = (i: number, j: number) => {
      const a = items[i]!;
      const b = items[j]!;
      return a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime() || i - j;
    };
    const pairs: string[] = [];
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        if (items[i]!.start < items[j]!.end && items[j]!.start < items[i]!.end) pairs.push(order(i, j) < 0 ? `${i}-${j}` : `${j}-${i}`);
      }
    }
    return pairs.sort();
  };
  const intervalsArb = (maxTime: number, maxLength: number) =>
    fc.array(
      fc.tuple(fc.integer({ min: 0, max: maxTime }), fc.integer({ min: 1, max: 6 })).map(([s, len]) => ({ start: new Date(s), end: new Date(s + len) })),
      { maxLength },
    );

  it('equals the brute-force pairs on random inputs with many equal endpoints', () => {
    fc.assert(
      fc.property(intervalsArb(12, 40), (items) => {
        const index = new Map(items.map((item, i) => [item, i]));
        const ours = findOverlappingPairs(items)
          .map(([a, b]) => `${index.get(a)}-${index.get(b)}`)
          .sort();
        expect(ours).toEqual(brute(items));
      }),
      { numRuns: 500 },
    );
  });

  it('equals the brute-force pairs on inputs large enough for the radix sort', () => {
    fc.assert(
      fc.property(intervalsArb(5000, 1500), (items) => {
        const index = new Map(items.map((item, i) => [item, i]));
        const ours = findOverlappingPairs(items)
          .map(([a, b]) => `${index.get(a)}-${index.get(b)}`)
          .sort();
        expect(ours).toEqual(brute(items));
      }),
      { numRuns: 20 },
    );
  });

  it('equals the brute-force pairs when start times span more than one radix digit', () => {
    // Clusters 2^28 units (ms, minutes or quarter hours) apart: 33-bit keys in that unit,
    // sorted in three passes, with overlaps inside each cluster.
    const clustered = fc.constantFrom(1, 60_000, 900_000).chain((unit) =>
      fc.array(
        fc.tuple(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 200 })).map(([cluster, offset, len]) => {
          const start = (cluster * 2 ** 28 + offset - 2 ** 32) * unit;
          return { start: new Date(start), end: new Date(start + len * unit) };
        }),
        { minLength: 512, maxLength: 1000 },
      ),
    );
    fc.assert(
      fc.property(clustered, (items) => {
        const index = new Map(items.map((item, i) => [item, i]));
        const ours = findOverlappingPairs(items)
          .map(([a, b]) => `${index.get(a)}-${index.get(b)}`)
          .sort();
        expect(ours).toEqual(brute(items));
      }),
      // Shrinking inputs of 512+ intervals against a quadratic oracle takes minutes: report the first failure.
      { numRuns: 15, endOnFailure: true },
    );
  });

  it('returns every pair when there are more pairs than one chunk of the sweep holds', () => {
    // 1,500 intervals of up to 60 ms in one second: tens of thousands of pairs, a chunk holds 8,192.
    const items = Array.from({ length: 1500 }, (_, i) => iv(`i${i}`, (i * 7919) % 1000, ((i * 7919) % 1000) + 1 + (i % 60)));
    const index = new Map(items.map((item, i) => [item, i]));
    const ours = findOverlappingPairs(items)
      .map(([a, b]) => `${index.get(a)}-${index.get(b)}`)
      .sort();
    expect(ours.length).toBeGreaterThan(3 * 8192);
    expect(ours).toEqual(brute(items));
  });

  it('sorts keys wider than 32 bits and before 1970 correctly', () => {
    const items = Array.from({ length: 1000 }, (_, i) => iv(`i${i}`, -1e13 + i * 2e10, -1e13 + i * 2e10 + 3e10));
    const pairs = findOverlappingPairs(items.slice().reverse());
    expect(pairs).toHaveLength(999);
    expect(pairs.every(([a, b]) => a.start < b.start)).toBe(true);
  });
});
