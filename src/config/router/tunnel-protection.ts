// GRE over IPsec with IPsec profiles, as IOS does it: `crypto ipsec profile
// NAME` (`set transform-set`, `set pfs`, `set security-association lifetime`)
// and `tunnel protection ipsec profile NAME` on a tunnel interface. IOS
// builds a crypto map for the tunnel (`Tunnel0-head-0`): its peer is the
// tunnel destination, its local address the tunnel source, and its proxy
// identity the tunnel's own GRE flow (`permit gre host SRC host DST`), so
// the peers protect exactly their GRE and the transform set's transport mode
// applies. The map is rebuilt whenever the tunnel or the profile changes; it
// never shows in the running config (the profile and the tunnel line do).
// An mGRE tunnel (IPsec over DMVPN) has no destination: its map's one entry
// covers GRE from the source to any address and each NBMA peer GRE goes to
// gets its own ISAKMP SA and IPsec SA pair (crypto-map-dataplane.ts), so the
// hub holds one per spoke and spokes build theirs on demand. `shared` lets
// mGRE tunnels with the same source and profile use one map (the first
// tunnel's) and so one SA per peer, as IOS's shared tunnel protection does.

import { AccessList } from "../../dataplane/acl.ts";
import { parseAce } from "../../dataplane/acl-parse.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { tunnelOf } from "../../dataplane/tunnel/gre-tunnels.ts";
import { emptyCryptoMapEntry, type IpsecProfile, type IsakmpGroup } from "../../protocols/ipsec/crypto-config.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable } from "../cli/modes.ts";
import { refreshIsakmpState } from "../crypto/crypto-commands.ts";
import type { RouterDevice } from "./router-device.ts";
import { greTunnels } from "./tunnel-interfaces.ts";

type Ctx = CommandContext<RouterDevice>;

/** The name IOS gives the crypto map of a protected tunnel. */
export function protectionMapName(ifc: RouterInterface): string {
  return `${ifc.name}-head-0`;
}

/** Rebuilds the crypto map of every protected tunnel (and drops those of tunnels no longer protected). */
export function refreshTunnelProtection(device: RouterDevice): void {
  const maps = device.crypto.cryptoMaps;
  const wanted = new Set<string>();
  /** Shared protection: the map of the first tunnel with that source and profile. */
  const sharedMaps = new Map<string, string>();
  for (const ifc of device.interfaces()) {
    const protection = ifc.kind === "tunnel" ? ifc.config.tunnel?.protection : undefined;
    if (protection === undefined) continue;
    const config = ifc.config.tunnel!;
    if (protection.shared === true && config.source !== undefined) {
      const key = `${"interface" in config.source ? config.source.interface : config.source.address}|${protection.profile}`;
      const owner = sharedMaps.get(key);
      if (owner === undefined) sharedMaps.set(key, protectionMapName(ifc));
      protection.map = owner ?? protectionMapName(ifc);
      if (owner !== undefined) continue; // the first tunnel built it
    } else protection.map = protectionMapName(ifc);
    wanted.add(protection.map);
    const profile = device.crypto.ipsecProfiles.get(protection.profile);
    const source = config.source;
    const sourceIfc =
      source === undefined
        ? undefined
        : "interface" in source
          ? source.interface
          : device.interfaces().find((i) => i.config.address?.address === source.address)?.name;
    // The source's address even while that interface is still down (a physical port comes up after the
    // configuration has loaded; the map must be there by then).
    const src =
      tunnelOf(ifc)?.sourceAddress() ??
      (source === undefined
        ? undefined
        : "address" in source
          ? source.address
          : device.stack.interface(source.interface)?.config.address?.address);
    const dst = config.destination;
    const vti = config.mode === "ipsec-ipv4";
    const multipoint = config.mode === "gre-multipoint";
    const entries = [];
    if (profile !== undefined && ((src !== undefined && dst !== undefined) || multipoint)) {
      // GRE: the tunnel's own GRE flow; a VTI: everything (any/any), in ESP tunnel mode. mGRE: GRE to any
      // peer, from whatever the source's address is when a packet leaves (the data plane checks it then, so
      // the map does not wait for the source interface's address).
      const acl = new AccessList(protection.map, "extended");
      const words = vti
        ? ["permit", "ip", "any", "any"]
        : multipoint
          ? ["permit", "gre", "any", "any"]
          : ["permit", "gre", "host", formatIpv4Address(src!), "host", formatIpv4Address(dst!)];
      const ace = parseAce("extended", words);
      if (ace.ok) acl.add(ace.spec);
      entries.push({ ...profile.entry, sequence: 1, peers: multipoint ? [] : [dst!], matchAcl: acl });
    }
    maps.set(protection.map, {
      name: protection.map,
      entries,
      localAddressInterface: sourceIfc,
      tunnel: ifc.name,
      ...(vti ? { reinjectVia: ifc.name } : {}),
      ...(multipoint ? { multipoint: true as const } : {}),
    });
  }
  for (const [name, map] of maps) {
    if (map.tunnel === undefined || wanted.has(name)) continue;
    // Protection removed: the map goes, and its SAs with it (the peer hears DELETE).
    maps.delete(name);
    device.ike?.clearIpsec((flow) => flow.request.mapName === name);
  }
  refreshIsakmpState(device);
  greTunnels(device).scheduleEvaluation();
}

/**
 * Builds a protected tunnel's map if it is still empty but could now be built: the configuration named
 * the tunnel before its source interface had an address (IOS's running-config order: Tunnel0 before
 * GigabitEthernet0/0), so the map waited for the address. A no-op once built.
 */
export function ensureProtectionMap(device: RouterDevice, ifc: RouterInterface): void {
  const protection = ifc.config.tunnel?.protection;
  const map = protection === undefined ? undefined : device.crypto.cryptoMaps.get(protection.map);
  if (map === undefined || map.entries.length > 0) return;
  if (tunnelOf(ifc)?.sourceAddress() === undefined || !device.crypto.ipsecProfiles.has(protection!.profile)) return;
  refreshTunnelProtection(device);
}

/** Bytes of an ESP/AH integrity check value. */
function icvLength(integrity: string | undefined): number {
  if (integrity === undefined) return 0;
  if (integrity.includes("sha512")) return 32;
  if (integrity.includes("sha384")) return 24;
  if (integrity.includes("sha256")) return 16;
  return 12; // HMAC-MD5-96, HMAC-SHA-1-96
}

/**
 * A VTI's IP MTU: the largest datagram the profile's first transform set fits
 * into `transportMtu` in ESP tunnel mode (RFC 4303): outer IPv4 (20), SPI and
 * sequence (8), IV, the datagram with the 2-byte trailer padded to the cipher
 * block, ICV; AH (RFC 4302) adds 12 bytes and its ICV. esp-aes esp-sha-hmac
 * over 1500 bytes gives 1438.
 */
export function vtiIpMtu(device: RouterDevice, ifc: RouterInterface, transportMtu: number): number | undefined {
  const protection = ifc.config.tunnel?.protection;
  const profile = protection === undefined ? undefined : device.crypto.ipsecProfiles.get(protection.profile);
  const ts = profile === undefined ? undefined : device.crypto.transformSetsFor(profile.entry)[0];
  if (ts === undefined) return undefined;
  const enc = ts.espEncryption;
  const aes = enc?.startsWith("esp-aes") === true;
  const des = enc === "esp-des" || enc === "esp-3des";
  const block = aes ? 16 : des ? 8 : 4;
  const iv = aes ? 16 : des ? 8 : 0;
  const esp = enc !== undefined || ts.espIntegrity !== undefined;
  const ah = ts.ah === undefined ? 0 : 12 + icvLength(ts.ah);
  if (!esp) return transportMtu - 20 - ah;
  const room = transportMtu - 20 - 8 - iv - icvLength(ts.espIntegrity) - ah;
  return Math.floor(room / block) * block - 2;
}

/** The profile a config-ipsec-profile command edits. */
function onProfile(fn: (profile: IpsecProfile, a: Args, ctx: Ctx) => string | void) {
  return (a: Args, ctx: Ctx): string | void => {
    const profile = ctx.device.crypto.ipsecProfiles.get(String(ctx.data));
    if (profile === undefined) return "% IPSec profile no longer exists";
    const result = fn(profile, a, ctx);
    refreshTunnelProtection(ctx.device);
    return result;
  };
}

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "crypto ipsec profile WORD:name",
    no: true,
    handler: (a, ctx) => {
      const name = String(a.name);
      const profiles = ctx.device.crypto.ipsecProfiles;
      if (ctx.negated) {
        const user = ctx.device.interfaces().find((i) => i.config.tunnel?.protection?.profile === name);
        if (user !== undefined) return `% IPSec profile ${name} is in use by ${user.name}`;
        profiles.delete(name);
        return;
      }
      if (!profiles.has(name)) profiles.set(name, { name, entry: emptyCryptoMapEntry(1) });
      ctx.enter("ipsec-profile", name);
    },
  },
];

const profileSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "set transform-set WORD:t1 [WORD:t2 [WORD:t3 [WORD:t4 [WORD:t5 [WORD:t6]]]]]",
    no: "set transform-set [LINE]",
    handler: onProfile((p, a, ctx) => {
      p.entry.transformSets = ctx.negated
        ? []
        : ["t1", "t2", "t3", "t4", "t5", "t6"].map((k) => a[k]).filter((n): n is string => typeof n === "string");
    }),
  },
  {
    syntax: "set pfs [group1 | group2 | group5 | group14 | group15 | group16]:group",
    no: "set pfs [group1 | group2 | group5 | group14 | group15 | group16]",
    handler: onProfile((p, a, ctx) => {
      p.entry.pfsGroup = ctx.negated ? undefined : (Number(String(a.group ?? "group1").slice(5)) as IsakmpGroup);
    }),
  },
  {
    syntax: "set security-association lifetime {seconds <120-86400>:sec | kilobytes <2560-4294967295>:kb}",
    no: "set security-association lifetime {seconds [<120-86400>:sec] | kilobytes [<2560-4294967295>:kb]}",
    handler: onProfile((p, a, ctx) => {
      if (a.seconds !== undefined) p.entry.lifetimeSec = ctx.negated ? undefined : Number(a.sec);
      if (a.kilobytes !== undefined) p.entry.lifetimeKb = ctx.negated ? undefined : Number(a.kb);
    }),
  },
];

/** `tunnel protection ipsec profile NAME [shared]` (config-if, tunnels only: tunnel-commands.ts refuses it elsewhere). */
export function setTunnelProtection(
  device: RouterDevice,
  ifc: RouterInterface,
  profile: string | null,
  shared = false,
): string | void {
  const config = ifc.config.tunnel;
  if (config === undefined) return;
  if (profile === null) config.protection = undefined;
  else {
    if (!device.crypto.ipsecProfiles.has(profile)) return `% IPSec profile ${profile} does not exist`;
    config.protection = { profile, map: protectionMapName(ifc), ...(shared ? { shared: true as const } : {}) };
  }
  refreshTunnelProtection(device);
}

/** Registers `crypto ipsec profile` and its sub-mode. */
export function addIpsecProfileCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode("ipsec-profile");
  table.add("config", ...globalSpecs);
  table.add("ipsec-profile", ...profileSpecs);
}
