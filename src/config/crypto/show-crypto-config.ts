// The configuration-only crypto show commands, in IOS 15's layout (tabs where
// IOS prints tabs): `show crypto isakmp [default] policy`, `show crypto isakmp
// key`, `show crypto ipsec transform-set`, `show crypto map` and `show crypto
// dynamic-map`. They read CryptoConfig, the access lists and the interfaces;
// SA state (`show crypto isakmp sa`, `show crypto ipsec sa`) lives elsewhere.

import { formatAce } from "../../dataplane/acl.ts";
import {
  type CryptoConfig,
  type CryptoMap,
  type CryptoMapEntry,
  DEFAULT_ISAKMP_POLICIES,
  DEFAULT_PROTECTION_SUITE,
  DEFAULT_TRANSFORM_SETS,
  type IsakmpPolicy,
  type TransformSet,
} from "../../protocols/ipsec/crypto-config.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import {
  isakmpAuthenticationShow,
  isakmpEncryptionShow,
  isakmpGroupShow,
  isakmpHashShow,
  transformSetShowGroups,
} from "./crypto-text.ts";

function policyLines(p: IsakmpPolicy, isDefault: boolean, title?: string): string[] {
  return [
    title ?? `${isDefault ? "Default protection suite" : "Protection suite"} of priority ${p.priority}`,
    `\tencryption algorithm:\t${isakmpEncryptionShow(p.encryption)}`,
    `\thash algorithm:\t\t${isakmpHashShow(p.hash)}`,
    `\tauthentication method:\t${isakmpAuthenticationShow(p.authentication)}`,
    `\tDiffie-Hellman group:\t${isakmpGroupShow(p.group)}`,
    `\tlifetime:\t\t${p.lifetimeSec} seconds, no volume limit`,
  ];
}

/**
 * `show crypto isakmp policy`: the configured suites then, with defaults on, the default protection
 * suite the responder also checks (seed 002); with none configured, IOS's default suites.
 */
export function renderShowCryptoIsakmpPolicy(c: CryptoConfig): string {
  const lines = ["", "Global IKE policy"];
  const configured = [...c.isakmpPolicies.values()].sort((a, b) => a.priority - b.priority);
  if (configured.length > 0) {
    for (const p of configured) lines.push(...policyLines(p, false));
    const suite = c.responderPolicies().find((p) => p === DEFAULT_PROTECTION_SUITE);
    if (suite !== undefined) lines.push(...policyLines(suite, true, "Default protection suite"));
  } else if (c.defaultPolicyEnabled) {
    lines.push("Default IKE policy");
    for (const p of DEFAULT_ISAKMP_POLICIES) lines.push(...policyLines(p, true));
  }
  return `${lines.join("\n")}\n`;
}

/** `show crypto isakmp default policy`: IOS's default suites. */
export function renderShowCryptoIsakmpDefaultPolicy(): string {
  const lines = ["", "Default IKE policy"];
  for (const p of DEFAULT_ISAKMP_POLICIES) lines.push(...policyLines(p, true));
  return `${lines.join("\n")}\n`;
}

/** `show crypto isakmp key`: keyring `default`, address (with `[mask]` unless a host), key. */
export function renderShowCryptoIsakmpKey(c: CryptoConfig): string {
  const lines = [`${"Keyring".padEnd(13)}${"Hostname/Address".padEnd(44)}Preshared Key`, ""];
  for (const k of c.isakmpKeys) {
    const host = k.mask >>> 0 === 0xffffffff;
    const where = host
      ? formatIpv4Address(k.address)
      : `${formatIpv4Address(k.address).padEnd(15)}[${formatIpv4Address(k.mask).padEnd(15)}]`;
    lines.push(`${"default".padEnd(13)}${where.padEnd(44)}${k.key}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The transform sets `show crypto ipsec transform-set` lists: the configured ones, then IOS's defaults (if on). */
function allTransformSets(c: CryptoConfig): TransformSet[] {
  return [...c.transformSets.values(), ...(c.defaultTransformSetsEnabled ? DEFAULT_TRANSFORM_SETS : [])];
}

/** `show crypto ipsec transform-set [NAME]`. */
export function renderShowCryptoIpsecTransformSet(c: CryptoConfig, name?: string): string {
  const sets = allTransformSets(c).filter((t) => name === undefined || t.name === name);
  const lines: string[] = [];
  for (const ts of sets) {
    const mode = `   will negotiate = { ${ts.mode === "tunnel" ? "Tunnel" : "Transport"},  },`;
    const groups = transformSetShowGroups(ts);
    groups.forEach((g, i) => {
      lines.push(i === 0 ? `Transform set ${ts.name}: ${g}` : `   ${g}`, mode);
    });
    lines.push("");
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** The `Transform sets={ ... }` block of a crypto map entry. */
function transformSetBlock(c: CryptoConfig, e: CryptoMapEntry): string[] {
  const lines = ["\tTransform sets={ "];
  for (const ts of c.transformSetsFor(e)) lines.push(`\t\t${ts.name}:  ${transformSetShowGroups(ts).join(" ")} , `);
  lines.push("\t}");
  return lines;
}

/** The part of an entry both `show crypto map` and `show crypto dynamic-map` print. */
function entryBody(device: RouterDevice, e: CryptoMapEntry, dynamic: boolean): string[] {
  const c = device.crypto;
  const lines: string[] = [];
  if (!dynamic && (e.peers.length === 0 || e.matchAddress === undefined)) {
    lines.push(
      "\tWARNING: This crypto map is in an incomplete state!",
      "\t\t(missing peer or access-list definitions)",
    );
  }
  if (e.description !== undefined) lines.push(`\tDescription: ${e.description}`);
  for (const p of e.peers) lines.push(`\tPeer = ${formatIpv4Address(p)}`);
  if (e.matchAddress !== undefined) {
    const acl = device.acls.get(e.matchAddress);
    lines.push(`\t${acl?.kind === "standard" ? "Standard" : "Extended"} IP access list ${e.matchAddress}`);
    for (const ace of acl?.entries ?? [])
      lines.push(`\t    access-list ${e.matchAddress} ${formatAce(acl!.kind, ace, "config")}`);
  }
  if (e.peers[0] !== undefined) lines.push(`\tCurrent peer: ${formatIpv4Address(e.peers[0])}`);
  const kb = e.lifetimeKb ?? c.ipsecLifetimeKb;
  const sec = e.lifetimeSec ?? c.ipsecLifetimeSec;
  lines.push(`\tSecurity association lifetime: ${kb} kilobytes/${sec} seconds`, "\tResponder-Only (Y/N): N");
  if (e.pfsGroup === undefined) lines.push("\tPFS (Y/N): N");
  else lines.push("\tPFS (Y/N): Y", `\tDH group:  group${e.pfsGroup}`);
  lines.push("\tMixed-mode : Disabled", ...transformSetBlock(c, e));
  return lines;
}

/** Interfaces carrying a crypto map, in IOS's interface order. */
export function interfacesUsingCryptoMap(device: RouterDevice, mapName: string): string[] {
  return device
    .interfaces()
    .filter((i) => i.config.cryptoMap === mapName)
    .map((i) => i.name);
}

function mapLines(device: RouterDevice, m: CryptoMap): string[] {
  const lines: string[] = [];
  if (m.localAddressInterface !== undefined) {
    const ifc = device.findInterface(m.localAddressInterface);
    const address = ifc?.config.address?.address ?? 0;
    lines.push(
      `Crypto Map IPv4 "${m.name}" idb: ${m.localAddressInterface} local address: ${formatIpv4Address(address)}`,
      "",
    );
  }
  m.entries.forEach((e, i) => {
    lines.push(`Crypto Map IPv4 "${m.name}" ${e.sequence} ipsec-isakmp`);
    if (e.dynamicMap !== undefined) lines.push(`\tDynamic map template tag: ${e.dynamicMap}`);
    else lines.push(...entryBody(device, e, false));
    if (i === m.entries.length - 1) {
      lines.push(`\tInterfaces using crypto map ${m.name}:`);
      for (const name of interfacesUsingCryptoMap(device, m.name)) lines.push(`\t\t${name}`);
    }
    lines.push("");
  });
  return lines;
}

/** `show crypto map [interface IF] [tag NAME]`: entries in sequence order, then the interfaces using the map. */
export function renderShowCryptoMap(
  device: RouterDevice,
  options: { interfaceName?: string; tag?: string } = {},
): string {
  let maps = [...device.crypto.cryptoMaps.values()];
  if (options.tag !== undefined) maps = maps.filter((m) => m.name === options.tag);
  if (options.interfaceName !== undefined) {
    const applied = device.findInterface(options.interfaceName)?.config.cryptoMap;
    maps = maps.filter((m) => m.name === applied);
  }
  const lines = maps.flatMap((m) => mapLines(device, m));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** `show crypto dynamic-map [tag NAME]`. */
export function renderShowCryptoDynamicMap(device: RouterDevice, tag?: string): string {
  const lines: string[] = [];
  for (const m of device.crypto.dynamicMaps.values()) {
    if (tag !== undefined && m.name !== tag) continue;
    for (const e of m.entries)
      lines.push(`Crypto Map Template"${m.name}" ${e.sequence}`, ...entryBody(device, e, true), "");
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
