// The CEF forwarding table contract: IPv4 longest-prefix match from an address
// to a path-list index. The router owns the path lists (next hop, interface,
// ECMP members) in TypeScript; a FIB only maps prefixes to their index, so a
// TypeScript table and the Wasm DIR-24-8 table are interchangeable.

/** Result of a lookup that matched nothing. */
export const FIB_MISS = -1;

/** IPv4 longest-prefix-match table. Addresses and prefixes are uint32 numbers (host order). */
export interface Fib {
  /** Adds or replaces prefix/length -> pathList (0 <= pathList < 2^31). Host bits of prefix are ignored. */
  insert(prefix: number, length: number, pathList: number): void;
  /** Removes exactly prefix/length; false if it was not there. */
  remove(prefix: number, length: number): boolean;
  /** Path list of the longest matching prefix, or FIB_MISS. */
  lookup(address: number): number;
  /** Looks up addresses[0..count) into out[0..count). */
  lookupBatch(addresses: Uint32Array, out: Int32Array, count: number): void;
  /** Number of prefixes held. */
  readonly size: number;
  /** Removes every prefix. */
  clear(): void;
}
