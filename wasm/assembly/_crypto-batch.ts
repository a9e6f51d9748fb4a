// Shared batch-table checks for the crypto modules. A batch call gets a table of
// u32 fields per item (pointers and lengths into this module's linear memory);
// every item is checked before any byte is written, so a bad table changes nothing.
// Buffers must lie wholly between the module's static data (__heap_base) and the
// end of memory, so a caller can neither read past memory nor overwrite key state.

/** Status returned by a batch call when the item table itself is out of bounds. */
export const BAD_TABLE: i32 = -0x10000;

/** First byte callers may use for tables and buffers (after static data), 16-aligned. */
export function scratchBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** True when [ptr, ptr + len) lies in caller memory (above static data, below the end). */
@inline
export function inBounds(ptr: u32, len: u32): bool {
  const end = <u64>ptr + <u64>len;
  return <u64>ptr >= <u64>scratchBase() && end <= (<u64>memory.size() << 16);
}

/** True when a table of n items of `words` u32 fields at `table` is readable. */
export function tableInBounds(table: u32, n: i32, words: i32): bool {
  if (n < 0 || (table & 3) != 0) return false;
  return inBounds(table, <u32>(<u64>n * <u64>words * 4 > 0xffffffff ? 0xffffffff : n * words * 4));
}

/** Reads field `f` of item `i` of a table whose items are `words` u32 fields. */
@inline
export function field(table: u32, i: i32, words: i32, f: i32): u32 {
  return load<u32>(<usize>table + (<usize>(i * words + f) << 2));
}
