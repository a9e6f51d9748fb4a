// Which interfaces hold an address overlapping a new one, by key rather than
// by scanning every interface (a router with a thousand subinterfaces checks
// each `ip address` against all the others). Two addresses overlap when their
// networks agree at the shorter of the two lengths (IOS's "% 10.1.1.0
// overlaps with GigabitEthernet0/1"). An address a/l is filed under the
// network of each length k <= l that contains it (`within`: what lies inside
// a new, shorter network) and under its own network (`exact`: what contains
// a new, longer one), so a lookup is at most 33 map reads; each key counts
// its owners, so filing and removing are constant time too.

/** Owners (interfaces) of addresses, indexed for overlap lookups. */
export class AddressOverlapIndex<T> {
  private readonly within = new Map<number, Map<T, number>>();
  private readonly exact = new Map<number, Map<T, number>>();

  /** Files an owner's address. */
  add(owner: T, address: number, length: number): void {
    for (let k = 0; k <= length; k++) count(this.within, key(address, k), owner, 1);
    count(this.exact, key(address, length), owner, 1);
  }

  /** Takes back one `add` of the same owner, address and length. */
  remove(owner: T, address: number, length: number): void {
    for (let k = 0; k <= length; k++) count(this.within, key(address, k), owner, -1);
    count(this.exact, key(address, length), owner, -1);
  }

  /** The owners (other than `except`) of an address overlapping address/length, each once. */
  overlapping(address: number, length: number, except?: T): T[] {
    const found = new Set<T>();
    const take = (owners: Map<T, number> | undefined): void => {
      for (const o of owners?.keys() ?? []) if (o !== except) found.add(o);
    };
    take(this.within.get(key(address, length)));
    for (let k = 0; k < length; k++) take(this.exact.get(key(address, k)));
    return [...found];
  }
}

/** The network of `address` at `length`, with the length, as one number. */
function key(address: number, length: number): number {
  const network = length === 0 ? 0 : (address & (0xffffffff << (32 - length))) >>> 0;
  return network * 64 + length;
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
