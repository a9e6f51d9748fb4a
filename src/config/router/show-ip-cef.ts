// `show ip cef`, `show ip cef <prefix>` and `show ip cef exact-route` as IOS
// 15.x prints them, from the FIB's own entries: the routes the RIB installed
// and the entries CEF holds besides (the `no route` default, drop entries for
// martians and multicast ranges, receive entries for our addresses, the
// broadcasts and the connected networks; see dataplane/cef-special.ts).
// `show ip cef <address>` asks the FIB for the longest match, as forwarding
// does. exact-route asks the stack's load balancer without advancing it.

import { FIB_MISS } from "../../dataplane/fib.ts";
import { type FibEntry, formatPrefix, type PathList } from "../../dataplane/rib.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { cefNextHopOverride } from "./cef-next-hop-override.ts";
import type { RouterDevice } from "./router-device.ts";

/** One row of the CEF table: what IOS shows in Next Hop and Interface, one pair per path. */
interface CefRow {
  prefix: number;
  length: number;
  hops: Array<{ nextHop: string; interface: string }>;
  /** `show ip cef <prefix>` body lines. */
  detail: string[];
}

const ip = formatIpv4Address;

/** How IOS shows an entry with this path list. */
function rowOf(prefix: number, length: number, pl: PathList): CefRow {
  const name = pl.paths[0]?.interface ?? "";
  switch (pl.kind) {
    case "receive":
      return {
        prefix,
        length,
        hops: [{ nextHop: "receive", interface: name }],
        detail: [name === "" ? "  receive" : `  receive for ${name}`],
      };
    case "discard":
      return { prefix, length, hops: [{ nextHop: "drop", interface: "" }], detail: ["  drop"] };
    case "noRoute":
      return { prefix, length, hops: [{ nextHop: "no route", interface: "" }], detail: ["  no route"] };
    default:
      return {
        prefix,
        length,
        hops: pl.paths.map((p) => ({
          nextHop: p.nextHop === null ? "attached" : ip(p.nextHop),
          interface: p.interface,
        })),
        detail: pl.paths.map((p) =>
          p.nextHop === null ? `  attached to ${p.interface}` : `  nexthop ${ip(p.nextHop)} ${p.interface}`,
        ),
      };
  }
}

/** An entry's row; a network an NHRP shortcut overrides shows the shortcut's next hop (cef-next-hop-override.ts). */
function rowOfEntry(device: RouterDevice, e: FibEntry): CefRow {
  const o = e.pathList.kind === "forward" ? cefNextHopOverride(device, e.prefix, e.length) : undefined;
  if (o === undefined) return rowOf(e.prefix, e.length, e.pathList);
  return {
    prefix: e.prefix,
    length: e.length,
    hops: [{ nextHop: ip(o.nextHop), interface: o.interface }],
    detail: [`  nexthop ${ip(o.nextHop)} ${o.interface}`],
  };
}

/** `show ip cef`: the whole table, extra ECMP paths on continuation lines. */
export function renderShowIpCef(device: RouterDevice): string {
  const out = ["Prefix               Next Hop             Interface"];
  for (const e of device.stack.rib.fibEntries().map((e) => rowOfEntry(device, e))) {
    const hops = e.hops.length > 0 ? e.hops : [{ nextHop: "drop", interface: "" }];
    hops.forEach((h, i) => {
      const first = i === 0 ? formatPrefix(e.prefix, e.length) : "";
      out.push(`${first.padEnd(21)}${h.nextHop.padEnd(21)}${h.interface}`.trimEnd());
    });
  }
  return `${out.join("\n")}\n`;
}

/** `show ip cef <address> [<mask>]`: the FIB's longest match for the address (or the exact prefix), with every next hop. */
export function renderShowIpCefPrefix(device: RouterDevice, address: number, length?: number): string {
  const rib = device.stack.rib;
  const addr = address >>> 0;
  let found: CefRow | undefined;
  if (length !== undefined) {
    const e = rib
      .fibEntries()
      .find((x) => x.length === length && x.prefix >>> 0 === (addr & maskFromLength(length)) >>> 0);
    if (e !== undefined) found = rowOfEntry(device, e);
  } else {
    const index = rib.fib.lookup(addr);
    const pl = index === FIB_MISS ? undefined : rib.pathList(index);
    const e = pl === undefined ? undefined : longestEntry(rib.fibEntries(), addr);
    if (e !== undefined) found = rowOfEntry(device, e);
  }
  if (found === undefined) return "%Prefix not found\n";
  return `${[formatPrefix(found.prefix, found.length), ...found.detail].join("\n")}\n`;
}

/** The entry the FIB's lookup landed on (the longest prefix holding the address). */
function longestEntry(entries: FibEntry[], addr: number): FibEntry | undefined {
  let best: FibEntry | undefined;
  for (const e of entries) {
    if (((addr ^ e.prefix) & maskFromLength(e.length)) !== 0) continue;
    if (best === undefined || e.length > best.length) best = e;
  }
  return best;
}

/**
 * `show ip cef exact-route <src> <dst>`: the path CEF picks for this flow
 * (`10.0.1.1 -> 10.0.3.3 =>IP adj out of Serial0/1, addr 10.0.13.3`), asking
 * the load balancer without moving a per-packet pointer.
 */
export function renderShowIpCefExactRoute(device: RouterDevice, src: number, dst: number): string {
  const head = `${ip(src)} -> ${ip(dst)} =>`;
  const stack = device.stack;
  const pl = stack.lookupPathList(dst >>> 0);
  if (pl?.kind === "receive") return `${head}receive\n`;
  if (pl?.kind === "discard") return `${head}drop\n`;
  if (pl === undefined || pl.kind === "noRoute" || pl.paths.length === 0) return `${head}no route\n`;
  const path = stack.choosePath(pl, src >>> 0, dst >>> 0, false);
  if (pl.kind === "drop" || path.interface === "Null0") return `${head}Null0\n`;
  return `${head}IP adj out of ${path.interface}, addr ${ip(path.nextHop ?? dst)}\n`;
}
