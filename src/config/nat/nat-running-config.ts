// The NAT lines of `show running-config`, as IOS prints them just before the
// static routes: translation timeouts that differ from the defaults, pools,
// dynamic mappings, then static mappings (inside, then outside). Loading them
// back gives the same configuration.

import {
  DEFAULT_NAT_TIMEOUTS,
  NAT_TIMEOUT_KEYWORDS,
  type NatConfig,
  type NatPool,
  type StaticMapping,
  staticProtocolName,
} from "../../dataplane/nat/nat-config.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";

/** `ip nat pool ...` of one pool. */
export function poolLine(p: NatPool): string {
  const mask =
    p.maskForm === "netmask"
      ? `netmask ${formatIpv4Address(maskFromLength(p.prefixLength))}`
      : `prefix-length ${p.prefixLength}`;
  return `ip nat pool ${p.name} ${formatIpv4Address(p.start)} ${formatIpv4Address(p.end)} ${mask}`;
}

/** `ip nat inside source static ...` of one static mapping. */
export function staticLine(m: StaticMapping): string {
  const body =
    m.protocol === null
      ? `${formatIpv4Address(m.local)} ${formatIpv4Address(m.global)}`
      : `${staticProtocolName(m.protocol)} ${formatIpv4Address(m.local)} ${m.localPort} ${formatIpv4Address(m.global)} ${m.globalPort}`;
  return `ip nat inside source static ${body}${m.extendable ? " extendable" : ""}`;
}

/** Every global NAT line, in IOS's order. */
export function renderNatConfig(config: NatConfig): string[] {
  const lines: string[] = [];
  for (const [key, word] of Object.entries(NAT_TIMEOUT_KEYWORDS) as [keyof typeof NAT_TIMEOUT_KEYWORDS, string][]) {
    const value = config.timeouts[key];
    if (value !== DEFAULT_NAT_TIMEOUTS[key])
      lines.push(`ip nat translation ${word} ${value === null ? "never" : value}`);
  }
  for (const pool of [...config.pools.values()].sort((a, b) => a.name.localeCompare(b.name)))
    lines.push(poolLine(pool));
  for (const m of config.dynamic) {
    const target = m.target.kind === "pool" ? `pool ${m.target.pool}` : `interface ${m.target.interface}`;
    lines.push(`ip nat inside source ${m.source.kind} ${m.source.name} ${target}${m.overload ? " overload" : ""}`);
  }
  for (const m of config.statics) lines.push(staticLine(m));
  for (const m of config.outsideStatics)
    lines.push(
      `ip nat outside source static ${formatIpv4Address(m.global)} ${formatIpv4Address(m.local)}${m.addRoute ? " add-route" : ""}`,
    );
  return lines;
}
