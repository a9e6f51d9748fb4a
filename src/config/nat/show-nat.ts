// `show ip nat translations [verbose]` and `show ip nat statistics` in IOS
// 15's layout: the translation columns (protocol and inside global together
// take 22 characters, the next two 18, each followed by a space, wider values
// pushing the rest along), `---` for what an entry does not have, the
// verbose block (create/use/timeout/left, flags, entry-id), and the
// statistics block (totals, interfaces, hits and misses, dynamic mappings
// with their pools, IOS XE's drop counters).

import {
  entryTimeoutSec,
  type NatDataplane,
  type NatEntry,
  type OutsideStaticMapping,
  poolAddresses,
  protocolName,
} from "../../dataplane/nat/index.ts";
import type { TimeNs } from "../../runtime/device.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { uptimeText } from "../ios-clock.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** One line of the translation table, columns as IOS pads them. */
function row(
  pro: string,
  insideGlobal: string,
  insideLocal: string,
  outsideLocal: string,
  outsideGlobal: string,
): string {
  return `${`${pro} ${insideGlobal}`.padEnd(22)} ${insideLocal.padEnd(18)} ${outsideLocal.padEnd(18)} ${outsideGlobal}`;
}

const end = (address: number, port: number, withPort: boolean): string =>
  withPort ? `${formatIpv4Address(address)}:${port}` : formatIpv4Address(address);

/** The table line of an entry. */
export function translationLine(e: NatEntry): string {
  const pro = e.extended || e.outsideLocal !== null ? protocolName(e.protocol) : "---";
  const ports = e.extended;
  const ig = end(e.insideGlobal, e.insideGlobalPort, ports);
  const il = end(e.insideLocal, e.insideLocalPort, ports);
  if (e.outsideLocal === null || e.outsideGlobal === null) return row(pro, ig, il, "---", "---");
  return row(
    pro,
    ig,
    il,
    end(e.outsideLocal, e.outsideLocalPort, ports),
    end(e.outsideGlobal, e.outsideGlobalPort, ports),
  );
}

/** The table line of an outside static mapping: only the outside columns. */
export function outsideStaticLine(m: OutsideStaticMapping): string {
  return row("---", "---", "---", formatIpv4Address(m.local), formatIpv4Address(m.global));
}

/** IOS-like listing order: by inside global address, flows before the address entry, then protocol, port, outside end. */
function compareEntries(a: NatEntry, b: NatEntry): number {
  return (
    a.insideGlobal - b.insideGlobal ||
    Number(!a.extended) - Number(!b.extended) ||
    a.protocol - b.protocol ||
    a.insideGlobalPort - b.insideGlobalPort ||
    (a.outsideGlobal ?? -1) - (b.outsideGlobal ?? -1) ||
    a.outsideGlobalPort - b.outsideGlobalPort ||
    a.id - b.id
  );
}

function verboseLines(nat: NatDataplane, e: NatEntry, now: TimeNs): string[] {
  const sec = entryTimeoutSec(e, nat.config.timeouts);
  let timing = `    create ${uptimeText(now - e.createdAt)}, use ${uptimeText(now - e.lastUsedAt)} timeout:${sec === null ? 0 : sec * 1000},`;
  if (sec !== null) timing += ` left ${uptimeText(Math.max(0, e.lastUsedAt + sec * 1e9 - now))},`;
  if (e.mapping !== null) timing += ` Map-Id(In): ${e.mapping.id},`;
  const flags: string[] = [];
  if (e.origin === "static" && e.outsideLocal === null) flags.push("static");
  if (e.extended) flags.push("extended");
  if (e.timingOut) flags.push("timing-out");
  if (e.staticMapping?.extendable === true) flags.push("extendable");
  return [
    timing,
    "    flags:",
    `${flags.length > 0 ? flags.join(", ") : "none"}, use_count: ${e.children}, entry-id: ${e.id}, lc_entries: 0`,
  ];
}

/** `show ip nat translations [icmp|tcp|udp] [verbose]`. */
export function renderShowIpNatTranslations(
  nat: NatDataplane,
  now: TimeNs,
  opts: { verbose?: boolean; protocol?: number } = {},
): string {
  const entries = nat.table
    .all()
    .filter((e) => opts.protocol === undefined || e.protocol === opts.protocol)
    .sort(compareEntries);
  const lines = [row("Pro", "Inside global", "Inside local", "Outside local", "Outside global")];
  // Outside static mappings are address entries: listed unless a protocol was asked for.
  const outside = opts.protocol === undefined ? nat.config.outsideStatics : [];
  for (const m of outside) {
    lines.push(outsideStaticLine(m));
  }
  for (const e of entries) {
    lines.push(translationLine(e));
    if (opts.verbose) lines.push(...verboseLines(nat, e, now));
  }
  lines.push(`Total number of translations: ${outside.length + entries.length}`);
  return `${lines.join("\n")}\n`;
}

/** Interface names as IOS lists them under a heading: indented, comma-separated, wrapped before 80 columns. */
function interfaceList(names: string[]): string[] {
  const out: string[] = [];
  let line = "";
  for (const name of names) {
    if (line === "") line = `  ${name}`;
    else if (line.length + 2 + name.length > 79) {
      out.push(line);
      line = `  ${name}`;
    } else line += `, ${name}`;
  }
  if (line !== "") out.push(line);
  return out;
}

/** `show ip nat statistics`. */
export function renderShowIpNatStatistics(device: RouterDevice, nat: NatDataplane): string {
  const now = device.now();
  const all = nat.table.all();
  const statics = all.filter((e) => e.origin === "static" && e.outsideLocal === null).length;
  const extended = all.filter((e) => e.extended).length;
  const s = nat.stats;
  const lines = [
    `Total active translations: ${all.length + nat.config.outsideStatics.length} (${statics + nat.config.outsideStatics.length} static, ${all.length - statics} dynamic; ${extended} extended)`,
  ];
  if (s.peak > 0) lines.push(`Peak translations: ${s.peak}, occurred ${uptimeText(now - s.peakAt)} ago`);
  const role = (r: "inside" | "outside") =>
    device
      .interfaces()
      .filter((i) => i.config.nat === r)
      .map((i) => i.name);
  lines.push(
    "Outside interfaces:",
    ...interfaceList(role("outside")),
    "Inside interfaces:",
    ...interfaceList(role("inside")),
  );
  lines.push(
    `Hits: ${s.hits}  Misses: ${s.misses}`,
    `CEF Translated packets: ${s.hits}, CEF Punted packets: ${s.misses}`,
    `Expired translations: ${s.expired}`,
  );
  lines.push("Dynamic mappings:");
  if (nat.config.dynamic.length > 0) lines.push("-- Inside Source");
  for (const m of nat.config.dynamic) {
    const target = m.target.kind === "pool" ? `pool ${m.target.pool}` : `interface ${m.target.interface}`;
    const source = m.source.kind === "list" ? "access-list" : "route-map";
    lines.push(`[Id: ${m.id}] ${source} ${m.source.name} ${target} refcount ${nat.refcount(m)}`);
    const pool = m.target.kind === "pool" ? nat.config.pools.get(m.target.pool) : undefined;
    if (pool === undefined) continue;
    const total = poolAddresses(pool).length;
    const used = new Set(
      all
        .filter((e) => e.mapping?.target.kind === "pool" && e.mapping.target.pool === pool.name)
        .map((e) => e.insideGlobal),
    ).size;
    lines.push(
      ` pool ${pool.name}: netmask ${formatIpv4Address(maskFromLength(pool.prefixLength))}`,
      `        start ${formatIpv4Address(pool.start)} end ${formatIpv4Address(pool.end)}`,
      `        type generic, total addresses ${total}, allocated ${used} (${total === 0 ? 0 : Math.floor((used * 100) / total)}%), misses ${nat.poolMisses.get(pool.name) ?? 0}`,
    );
  }
  lines.push(
    `In-to-out drops: ${s.inToOutDrops}  Out-to-in drops: ${s.outToInDrops}`,
    `Pool stats drop: ${s.poolDrops}  Mapping stats drop: ${s.mappingDrops}`,
    "",
    "Total doors: 0",
    "Appl doors: 0",
    "Normal doors: 0",
    "Queued Packets: 0",
  );
  return `${lines.join("\n")}\n`;
}
