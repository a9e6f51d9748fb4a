// CEF load sharing across the paths of one path list. Per-destination (the IOS
// default) hashes source and destination addresses together with a per-router
// unique id, as the IOS "universal" algorithm does, so one flow always takes one
// path while two routers on a chain do not polarise onto the same choice.
// Per-packet sharing is a round robin kept per path list. `show ip cef
// exact-route src dst` calls the same selectPath, so it always tells the truth.

/** CEF load-sharing mode of an egress path list (`ip load-sharing per-packet`). */
export type LoadSharing = "per-destination" | "per-packet";

/** Mixes 32 bits (murmur3 finaliser); avalanche so adjacent addresses spread. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Per-destination hash of (src, dst) salted with the router's universal id (uint32). */
export function flowHash(src: number, dst: number, universalId: number): number {
  const a = mix32((src ^ universalId) >>> 0);
  const b = mix32((dst + Math.imul(universalId, 0x9e3779b9)) >>> 0);
  return mix32((a ^ Math.imul(b, 0x27d4eb2d) ^ (b >>> 15)) >>> 0);
}

/** Path index 0..pathCount-1 that per-destination sharing picks for a flow. */
export function perDestinationIndex(src: number, dst: number, universalId: number, pathCount: number): number {
  if (pathCount <= 1) return 0;
  return flowHash(src, dst, universalId) % pathCount;
}

/** Derives a router's universal id from a stable per-router seed string (e.g. its name). */
export function universalIdFrom(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return mix32(h);
}

/** Load-sharing state of one router: its universal id and per-path-list round-robin counters. */
export class LoadBalancer {
  private readonly roundRobin = new Map<number, number>();

  /** universalId: per-router uint32 (see universalIdFrom). */
  constructor(readonly universalId: number) {}

  /**
   * Chooses a path index for a packet. Per-packet mode advances the path list's
   * round-robin counter; per-destination mode is a pure function of the flow.
   */
  selectPath(
    pathListIndex: number,
    pathCount: number,
    src: number,
    dst: number,
    mode: LoadSharing = "per-destination",
  ): number {
    if (pathCount <= 1) return 0;
    if (mode === "per-destination") return perDestinationIndex(src, dst, this.universalId, pathCount);
    const next = this.roundRobin.get(pathListIndex) ?? 0;
    this.roundRobin.set(pathListIndex, (next + 1) % pathCount);
    return next % pathCount;
  }

  /** Path index `show ip cef exact-route` reports, without advancing any counter. */
  exactRoute(
    pathListIndex: number,
    pathCount: number,
    src: number,
    dst: number,
    mode: LoadSharing = "per-destination",
  ): number {
    if (pathCount <= 1) return 0;
    if (mode === "per-destination") return perDestinationIndex(src, dst, this.universalId, pathCount);
    return (this.roundRobin.get(pathListIndex) ?? 0) % pathCount;
  }

  /** Forgets the round-robin position of a path list (after it changed). */
  resetPathList(pathListIndex: number): void {
    this.roundRobin.delete(pathListIndex);
  }
}
