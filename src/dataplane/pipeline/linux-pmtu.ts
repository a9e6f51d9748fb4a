// A Linux host's path MTU cache (RFC 1191 as the Linux kernel keeps it): a
// frag-needed names the next-hop MTU towards a destination, later DF
// datagrams to it larger than that are refused locally (`ping -M do`'s
// `local error: message too long, mtu=1400`) and the entry expires after 10
// minutes (net.ipv4.route.mtu_expires). Kept per IP stack, on the virtual clock.

import type { TimeNs } from "../../runtime/device.ts";
import type { IpStack } from "./ip-stack.ts";

/** net.ipv4.route.mtu_expires: 600 s. */
export const PMTU_EXPIRES_NS = 600e9;

const caches = new WeakMap<IpStack, Map<number, { mtu: number; expires: TimeNs }>>();

/** Records a learned path MTU towards `dst` (never below 68, the IPv4 minimum). */
export function learnPathMtu(stack: IpStack, dst: number, mtu: number, now: TimeNs): void {
  let cache = caches.get(stack);
  if (cache === undefined) {
    cache = new Map();
    caches.set(stack, cache);
  }
  cache.set(dst, { mtu: Math.max(68, mtu), expires: now + PMTU_EXPIRES_NS });
}

/** The learned path MTU towards `dst`, or undefined (none, or expired). */
export function learnedPathMtu(stack: IpStack, dst: number, now: TimeNs): number | undefined {
  const entry = caches.get(stack)?.get(dst);
  if (entry === undefined) return undefined;
  if (entry.expires <= now) {
    caches.get(stack)?.delete(dst);
    return undefined;
  }
  return entry.mtu;
}

/** The path MTU the host would use towards `dst`: the learned one, else the egress interface's IP MTU. */
export function pathMtu(stack: IpStack, dst: number, now: TimeNs): number | undefined {
  const learned = learnedPathMtu(stack, dst, now);
  const list = stack.lookupPathList(dst);
  const egress = list?.paths[0] === undefined ? undefined : stack.interface(list.paths[0].interface);
  const local = egress?.ipMtu;
  if (learned === undefined) return local;
  return local === undefined ? learned : Math.min(learned, local);
}
