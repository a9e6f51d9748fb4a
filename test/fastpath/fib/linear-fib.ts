// Test helper: the linear-scan LPM reference the fast-path FIB suites compare with,
// and address sets that probe every route's edges.

const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);

/** Linear-scan reference: the longest matching prefix wins, -1 when none does. */
export class LinearFib {
  readonly routes = new Map<string, [number, number, number]>();
  insert(p: number, l: number, v: number): void {
    const n = (p & mask(l)) >>> 0;
    this.routes.set(`${n}/${l}`, [n, l, v]);
  }
  remove(p: number, l: number): boolean {
    return this.routes.delete(`${(p & mask(l)) >>> 0}/${l}`);
  }
  lookup(a: number): number {
    let best = -1;
    let r = -1;
    for (const [n, l, v] of this.routes.values()) if (l > best && (a & mask(l)) >>> 0 === n) [best, r] = [l, v];
    return r;
  }
}

/** First, last, one-before and one-past address of every prefix, plus the extra addresses. */
export function edgeAddresses(routes: Iterable<[number, number]>, extra: number[] = []): Uint32Array {
  const set = new Set<number>(extra.map((a) => a >>> 0));
  for (const [p, l] of routes) {
    const first = (p & mask(l)) >>> 0;
    const last = (first + 2 ** (32 - l) - 1) >>> 0;
    for (const a of [first, last, first - 1, last + 1]) set.add(a >>> 0);
  }
  return Uint32Array.from(set);
}
