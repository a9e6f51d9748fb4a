// `show ip cef`, `show ip cef <prefix>` and `show ip cef exact-route` as IOS
// 15.x prints them. The table holds every FIB entry the RIB installed plus
// the entries IOS CEF always adds: the `no route` default when none is
// configured, 0.0.0.0/8 and 127.0.0.0/8 and the class D/E ranges as drop,
// 0.0.0.0/32, 224.0.0.0/24 and 255.255.255.255/32 as receive, and the
// network and broadcast addresses of each connected subnet as receive.
// exact-route asks the stack's load balancer without advancing it.

import { type FibPath, formatPrefix } from "../../dataplane/rib.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "./router-device.ts";

/** One row of the CEF table: what IOS shows in Next Hop and Interface, one pair per path. */
interface CefEntry {
  prefix: number;
  length: number;
  hops: Array<{ nextHop: string; interface: string }>;
  /** `show ip cef <prefix>` body lines. */
  detail: string[];
}

const ip = formatIpv4Address;

/** Entries CEF always has, whatever the RIB holds: [prefix, length, next hop text]. */
const SPECIAL: ReadonlyArray<[number, number, "drop" | "receive"]> = [
  [0x00000000, 8, "drop"],
  [0x00000000, 32, "receive"],
  [0x7f000000, 8, "drop"],
  [0xe0000000, 4, "drop"],
  [0xe0000000, 24, "receive"],
  [0xf0000000, 4, "drop"],
  [0xffffffff, 32, "receive"],
];

/** Every CEF entry in table order (by prefix, then length). */
function cefEntries(device: RouterDevice): CefEntry[] {
  const rib = device.stack.rib;
  const byKey = new Map<string, CefEntry>();
  const put = (e: CefEntry): void => {
    const key = `${e.prefix >>> 0}/${e.length}`;
    if (!byKey.has(key)) byKey.set(key, e);
  };
  for (const r of rib.routes()) {
    const pl = rib.pathList(r.pathList);
    const paths: FibPath[] = pl?.paths ?? [];
    if (pl?.kind === "receive") {
      const name = paths[0]?.interface ?? "";
      put({
        prefix: r.prefix,
        length: r.length,
        hops: [{ nextHop: "receive", interface: name }],
        detail: [`  receive for ${name}`],
      });
      continue;
    }
    put({
      prefix: r.prefix,
      length: r.length,
      hops: paths.map((p) => ({ nextHop: p.nextHop === null ? "attached" : ip(p.nextHop), interface: p.interface })),
      detail: paths.map((p) =>
        p.nextHop === null ? `  attached to ${p.interface}` : `  nexthop ${ip(p.nextHop)} ${p.interface}`,
      ),
    });
  }
  // Network and directed-broadcast addresses of connected subnets are received.
  for (const r of rib.routes()) {
    if (r.source !== "connected" || r.length > 30) continue;
    const name = r.paths[0]?.interface ?? "";
    const bcast = (r.prefix | ~maskFromLength(r.length)) >>> 0;
    for (const a of [r.prefix >>> 0, bcast]) {
      put({
        prefix: a,
        length: 32,
        hops: [{ nextHop: "receive", interface: name }],
        detail: [`  receive for ${name}`],
      });
    }
  }
  put({ prefix: 0, length: 0, hops: [{ nextHop: "no route", interface: "" }], detail: ["  no route"] });
  for (const [prefix, length, kind] of SPECIAL) {
    put({
      prefix,
      length,
      hops: [{ nextHop: kind, interface: "" }],
      detail: [kind === "drop" ? "  drop" : "  receive"],
    });
  }
  return [...byKey.values()].sort((a, b) => (a.prefix >>> 0) - (b.prefix >>> 0) || a.length - b.length);
}

/** `show ip cef`: the whole table, extra ECMP paths on continuation lines. */
export function renderShowIpCef(device: RouterDevice): string {
  const out = ["Prefix               Next Hop             Interface"];
  for (const e of cefEntries(device)) {
    const hops = e.hops.length > 0 ? e.hops : [{ nextHop: "drop", interface: "" }];
    hops.forEach((h, i) => {
      const first = i === 0 ? formatPrefix(e.prefix, e.length) : "";
      out.push(`${first.padEnd(21)}${h.nextHop.padEnd(21)}${h.interface}`.trimEnd());
    });
  }
  return `${out.join("\n")}\n`;
}

/** `show ip cef <address> [<mask>]`: the longest match (or the exact prefix), with every next hop. */
export function renderShowIpCefPrefix(device: RouterDevice, address: number, length?: number): string {
  const entries = cefEntries(device);
  const addr = address >>> 0;
  let found: CefEntry | undefined;
  for (const e of entries) {
    if (length !== undefined) {
      if (e.length === length && e.prefix >>> 0 === (addr & maskFromLength(length)) >>> 0) found = e;
      continue;
    }
    if (((addr ^ e.prefix) & maskFromLength(e.length)) !== 0) continue;
    if (found === undefined || e.length > found.length) found = e;
  }
  if (found === undefined) return "%Prefix not found\n";
  return `${[formatPrefix(found.prefix, found.length), ...found.detail].join("\n")}\n`;
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
  if (pl === undefined || pl.paths.length === 0) return `${head}no route\n`;
  if (pl.kind === "receive") return `${head}receive\n`;
  const path = stack.choosePath(pl, src >>> 0, dst >>> 0, false);
  if (pl.kind === "drop" || path.interface === "Null0") return `${head}Null0\n`;
  return `${head}IP adj out of ${path.interface}, addr ${ip(path.nextHop ?? dst)}\n`;
}
