// Which interfaces hold an address overlapping a new one. Two addresses
// overlap when their networks agree at the shorter of the two lengths (IOS's
// "% 10.1.1.0 overlaps with GigabitEthernet0/1"). A router with a handful of
// addresses scans them; past `indexFrom` addresses (a router with a thousand
// subinterfaces checks each `ip address` against all the others) they are
// indexed by key instead: an address a/l is filed under the network of each
// length k <= l that contains it (`within`: what lies inside a new, shorter
// network) and under its own network (`exact`: what contains a new, longer
// one), so a lookup is at most 33 map reads. The index costs about 30 maps per
// address, which on every small router of a 10,000-device lab was most of its
// memory, hence the scan below the threshold.

/** Below this many addresses a lookup scans them all. */
const INDEX_FROM = 32;

interface Filed<T> {
  owner: T;
  address: number;
  length: number;
}

/** Owners (interfaces) of addresses, for overlap lookups. */
export class AddressOverlapIndex<T> {
  private readonly filed: Array<Filed<T>> = [];
  private index: { within: Map<number, Map<T, number>>; exact: Map<number, Map<T, number>> } | null = null;

  constructor(private readonly indexFrom = INDEX_FROM) {}

  /** Files an owner's address. */
  add(owner: T, address: number, length: number): void {
    this.filed.push({ owner, address, length });
    if (this.index !== null) fileIn(this.index, owner, address, length, 1);
    else if (this.filed.length > this.indexFrom) {
      this.index = { within: new Map(), exact: new Map() };
      for (const f of this.filed) fileIn(this.index, f.owner, f.address, f.length, 1);
    }
  }

  /** Takes back one `add` of the same owner, address and length. */
  remove(owner: T, address: number, length: number): void {
    const i = this.filed.findIndex((f) => f.owner === owner && f.address === address && f.length === length);
    if (i < 0) return;
    this.filed.splice(i, 1);
    if (this.index !== null) fileIn(this.index, owner, address, length, -1);
  }

  /** The owners (other than `except`) of an address overlapping address/length, each once. */
  overlapping(address: number, length: number, except?: T): T[] {
    const found = new Set<T>();
    if (this.index === null) {
      // The index's order: what lies inside the new network, then what contains it, shortest first.
      for (const f of this.filed)
        if (f.length >= length && f.owner !== except && key(f.address, length) === key(address, length))
          found.add(f.owner);
      for (let k = 0; k < length; k++)
        for (const f of this.filed)
          if (f.length === k && f.owner !== except && key(f.address, k) === key(address, k)) found.add(f.owner);
      return [...found];
    }
    const take = (owners: Map<T, number> | undefined): void => {
      for (const o of owners?.keys() ?? []) if (o !== except) found.add(o);
    };
    take(this.index.within.get(key(address, length)));
    for (let k = 0; k < length; k++) take(this.index.exact.get(key(address, k)));
    return [...found];
  }
}

/** The network of `address` at `length`, with the length, as one number. */
function key(address: number, length: number): number {
  const network = length === 0 ? 0 : (address & (0xffffffff << (32 - length))) >>> 0;
  return network * 64 + length;
}

function fileIn<T>(
  index: { within: Map<number, Map<T, number>>; exact: Map<number, Map<T, number>> },
  owner: T,
  address: number,
  length: number,
  delta: 1 | -1,
): void {
  for (let k = 0; k <= length; k++) count(index.within, key(address, k), owner, delta);
  count(index.exact, key(address, length), owner, delta);
}

function count<T>(map: Map<number, Map<T, number>>, k: number, owner: T, delta: 1 | -1): void {
  let owners = map.get(k);
  if (owners === undefined) {
    if (delta < 0) return;
    map.set(k, (owners = new Map()));
  }
  const n = (owners.get(owner) ?? 0) + delta;
  if (n > 0) owners.set(owner, n);
  else owners.delete(owner);
  if (owners.size === 0) map.delete(k);
}
