// Device names for generated labs: a prefix and a number padded to the width of
// the largest one (R01..R12), so name order (which decides device ids and worker
// placement) is also numeric order and neighbours tend to share a worker.

/** Name of device `n` (1-based) out of `count`: `R1`..`R8`, `R01`..`R12`, `R0001`..`R1000`. */
export function deviceName(prefix: string, n: number, count: number): string {
  return `${prefix}${String(n).padStart(String(count).length, "0")}`;
}

/** Dotted quad of a 32-bit address. */
export function dottedQuad(addr: number): string {
  return [addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255].join(".");
}
