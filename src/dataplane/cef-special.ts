// The entries IOS CEF holds that are not routes: the default "no route"
// entry while no default route is installed, drop entries for the martian
// and multicast ranges, and receive entries for 0.0.0.0/32, the link-local
// multicast block, the limited broadcast, and the network and broadcast
// addresses of every connected subnet (as `show ip cef` on IOS 15 lists
// them). The RIB installs them in the FIB beside the routes, and forwarding
// honours them: receive delivers to the router, drop discards silently, no
// route answers unreachable as a miss would.

import { maskFromLength } from "../wire/ipv4-address.ts";
import type { FibPath, PathListKind } from "./rib.ts";

/** One special CEF entry. */
export interface CefSpecialEntry {
  prefix: number;
  length: number;
  kind: PathListKind;
  /** The interface a receive entry belongs to (connected subnets), none otherwise. */
  paths: FibPath[];
}

const FIXED: ReadonlyArray<[number, number, PathListKind]> = [
  [0x00000000, 0, "noRoute"],
  [0x00000000, 8, "discard"],
  [0x00000000, 32, "receive"],
  [0x7f000000, 8, "discard"],
  [0xe0000000, 4, "discard"],
  [0xe0000000, 24, "receive"],
  [0xf0000000, 4, "discard"],
  [0xffffffff, 32, "receive"],
];

/** The special entries for a set of connected subnets (prefix, length, interface). */
export function cefSpecialEntries(
  connected: ReadonlyArray<{ prefix: number; length: number; interface: string }>,
): CefSpecialEntry[] {
  const out: CefSpecialEntry[] = FIXED.map(([prefix, length, kind]) => ({ prefix, length, kind, paths: [] }));
  for (const c of connected) {
    if (c.length > 30) continue;
    const paths = [{ nextHop: null, interface: c.interface }];
    out.push({ prefix: c.prefix >>> 0, length: 32, kind: "receive", paths });
    out.push({ prefix: (c.prefix | ~maskFromLength(c.length)) >>> 0, length: 32, kind: "receive", paths });
  }
  return out;
}
