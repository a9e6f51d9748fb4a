// IOS crypto configuration commands and their show/debug commands: ISAKMP
// policies (config-isakmp), pre-shared keys, keepalive, transform sets
// (cfg-crypto-trans), the global SA lifetime, crypto maps and dynamic maps
// (config-crypto-map), `crypto map NAME` on interfaces, and the
// configuration-only shows. Bad input is refused as IOS refuses it: a caret
// under the token the grammar cannot take (`group 3`, a second ESP cipher, a
// seventh transform set) or a `%` message.

import {
  type AhTransform,
  type CryptoMapEntry,
  defaultIsakmpPolicy,
  type EspIntegrityTransform,
  emptyCryptoMapEntry,
  type IsakmpAuthentication,
  type IsakmpGroup,
  type IsakmpHash,
  type TransformSet,
} from "../../protocols/ipsec/crypto-config.ts";
import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { INCOMPLETE_COMMAND, INVALID_INPUT } from "../cli/match.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { reconcileGdoi } from "../gdoi/gdoi-store.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { cryptoMapRefusal } from "../router/vti-rules.ts";
import { DEFAULT_IPSEC_LIFETIME_KB, DEFAULT_IPSEC_LIFETIME_SEC } from "./crypto-running-config.ts";
import { espEncryptionFromArgs, isakmpEncryptionFromArgs } from "./crypto-text.ts";
import {
  renderShowCryptoDynamicMap,
  renderShowCryptoIpsecTransformSet,
  renderShowCryptoIsakmpDefaultPolicy,
  renderShowCryptoIsakmpKey,
  renderShowCryptoIsakmpPolicy,
  renderShowCryptoMap,
} from "./show-crypto-config.ts";

type Ctx = CommandContext<RouterDevice>;

/** What a config-crypto-map frame points at: an entry of a crypto map or of a dynamic map. */
export interface CryptoMapFrame {
  readonly kind: "map" | "dynamic";
  readonly name: string;
  readonly sequence: number;
}

/** IOS's note on a new static crypto map entry (printed through the console, as it starts with `%`). */
export const NEW_CRYPTO_MAP_NOTE =
  "% NOTE: This new crypto map will remain disabled until a peer\n        and a valid access list have been configured.";

// ---- ISAKMP on/off -------------------------------------------------------------

const isakmpOn = new WeakMap<RouterDevice, boolean>();

/** True while some interface carries a crypto map that has entries, or a protected tunnel its map (ISAKMP listens then). */
export function isakmpActive(device: RouterDevice): boolean {
  return device.interfaces().some((i) => {
    const name = i.config.cryptoMap ?? i.config.tunnel?.protection?.map;
    return name !== undefined && (device.crypto.cryptoMaps.get(name)?.entries.length ?? 0) > 0;
  });
}

/** Opens or closes ISAKMP's ports, and logs `%CRYPTO-6-ISAKMP_ON_OFF` when ISAKMP turns on or off after a change. */
export function refreshIsakmpState(device: RouterDevice): void {
  const on = isakmpActive(device);
  device.ike?.setListening(on);
  reconcileGdoi(device); // a gdoi entry on an interface registers (or stops being a member)
  if (on === (isakmpOn.get(device) ?? false)) return;
  isakmpOn.set(device, on);
  device.log(`%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ${on ? "ON" : "OFF"}`);
}

// ---- helpers ---------------------------------------------------------------------

const str = (a: Args, name: string): string | undefined =>
  a[name] === undefined || a[name] === true ? undefined : String(a[name]);
const num = (a: Args, name: string): number | undefined => (typeof a[name] === "number" ? a[name] : undefined);

/** Column of the last word of a line (where IOS puts the caret for a bad last argument). */
function lastWordColumn(line: string): number {
  const m = /\S+\s*$/.exec(line);
  return m ? m.index : line.length;
}

function policyOf(ctx: Ctx) {
  return ctx.device.crypto.isakmpPolicies.get(Number(ctx.data));
}

function transformSetOf(ctx: Ctx): TransformSet | undefined {
  return ctx.device.crypto.transformSets.get(String(ctx.data));
}

function entryOf(ctx: Ctx): CryptoMapEntry | undefined {
  const f = ctx.data as CryptoMapFrame;
  const c = ctx.device.crypto;
  const map = f.kind === "map" ? c.cryptoMaps.get(f.name) : c.dynamicMaps.get(f.name);
  return map?.entries.find((e) => e.sequence === f.sequence);
}

/** Runs `fn` on the policy of the current config-isakmp frame. */
function onPolicy(fn: (p: NonNullable<ReturnType<typeof policyOf>>, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const p = policyOf(ctx);
    return p === undefined ? "% ISAKMP policy no longer exists" : fn(p, a, ctx);
  };
}

/** Runs `fn` on the entry of the current config-crypto-map frame. */
function onEntry(fn: (e: CryptoMapEntry, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const e = entryOf(ctx);
    return e === undefined ? "% Crypto map entry no longer exists" : fn(e, a, ctx);
  };
}

function insertEntry(entries: CryptoMapEntry[], entry: CryptoMapEntry): void {
  entries.push(entry);
  entries.sort((x, y) => x.sequence - y.sequence);
}

/** Reads `{seconds N | kilobytes N}` of a lifetime command (the value is absent in a `no` form). */
function lifetimeArgs(a: Args): { seconds?: number; kilobytes?: number } {
  const out: { seconds?: number; kilobytes?: number } = {};
  if (a.seconds !== undefined) out.seconds = num(a, "sec") ?? DEFAULT_IPSEC_LIFETIME_SEC;
  if (a.kilobytes !== undefined) out.kilobytes = num(a, "kb") ?? DEFAULT_IPSEC_LIFETIME_KB;
  return out;
}

// ---- global config ------------------------------------------------------------

const TRANSFORM_SYNTAX =
  "crypto ipsec transform-set WORD:name" +
  " [{ah-md5-hmac | ah-sha-hmac | ah-sha256-hmac | ah-sha384-hmac | ah-sha512-hmac}:ah]" +
  " [{esp-des | esp-3des | esp-aes [128 | 192 | 256]:keysize | esp-null}:espenc]" +
  " [{esp-md5-hmac | esp-sha-hmac | esp-sha256-hmac | esp-sha384-hmac | esp-sha512-hmac}:espauth]";

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "crypto isakmp policy <1-10000>:priority",
    no: true,
    handler: (a, ctx) => {
      const priority = Number(a.priority);
      const policies = ctx.device.crypto.isakmpPolicies;
      if (ctx.negated) {
        policies.delete(priority);
        return;
      }
      if (!policies.has(priority)) policies.set(priority, defaultIsakmpPolicy(priority));
      ctx.enter("config-isakmp", priority);
    },
  },
  {
    syntax: "crypto isakmp default policy",
    no: true,
    handler: (_a, ctx) => {
      ctx.device.crypto.defaultPolicyEnabled = !ctx.negated;
    },
  },
  {
    syntax: "crypto isakmp key [0 | 6]:type WORD:secret address A.B.C.D:address [A.B.C.D:mask]",
    no: true,
    handler: (a, ctx) => {
      const address = parseIpv4Address(String(a.address))!;
      const given = str(a, "mask");
      // `address 0.0.0.0` alone is the wildcard key; another address alone is a host.
      const mask = address === 0 ? 0 : given === undefined ? 0xffffffff : parseIpv4Address(given)!;
      const c = ctx.device.crypto;
      if (ctx.negated) {
        c.removeIsakmpKey(address, given === undefined && address !== 0 ? undefined : mask);
        return;
      }
      c.setIsakmpKey({ key: String(a.secret), address, mask, ...(a.type === "6" ? { encrypted: true } : {}) });
    },
  },
  {
    syntax: "crypto isakmp peer address A.B.C.D:address",
    no: true,
    handler: (a, ctx) => {
      const address = parseIpv4Address(String(a.address))!;
      const peers = ctx.device.crypto.isakmpPeers;
      if (ctx.negated) {
        peers.delete(address);
        return;
      }
      if (!peers.has(address)) peers.set(address, { address });
      ctx.enter("config-isakmp-peer", address);
    },
  },
  {
    syntax: "crypto isakmp aggressive-mode disable",
    no: true,
    handler: (_a, ctx) => {
      ctx.device.crypto.aggressiveModeDisabled = !ctx.negated;
    },
  },
  {
    syntax: "crypto isakmp keepalive <10-3600>:interval [<2-60>:retry] [periodic | on-demand]:mode",
    no: "crypto isakmp keepalive [<10-3600>:interval] [<2-60>:retry] [periodic | on-demand]:mode",
    handler: (a, ctx) => {
      const c = ctx.device.crypto;
      if (ctx.negated) {
        c.keepalive = null;
        return;
      }
      c.keepalive = {
        intervalSec: Number(a.interval),
        retrySec: num(a, "retry") ?? 2,
        mode: a.mode === "periodic" ? "periodic" : "on-demand",
      };
    },
  },
  {
    syntax: "crypto isakmp nat keepalive <5-3600>:interval",
    no: "crypto isakmp nat keepalive [<5-3600>:interval]",
    handler: (a, ctx) => {
      ctx.device.crypto.natKeepaliveSec = ctx.negated ? null : Number(a.interval);
    },
  },
  {
    syntax: "crypto ipsec nat-transparency udp-encapsulation",
    no: true,
    handler: (_a, ctx) => {
      ctx.device.crypto.natTransparency = !ctx.negated;
    },
  },
  {
    syntax: TRANSFORM_SYNTAX,
    no: "crypto ipsec transform-set WORD:name",
    handler: (a, ctx) => {
      const name = String(a.name);
      const sets = ctx.device.crypto.transformSets;
      if (ctx.negated) {
        sets.delete(name);
        return;
      }
      const ah = str(a, "ah") as AhTransform | undefined;
      const enc = str(a, "espenc");
      const auth = str(a, "espauth") as EspIntegrityTransform | undefined;
      if (ah === undefined && enc === undefined && auth === undefined)
        return { error: { kind: "incomplete", message: INCOMPLETE_COMMAND } };
      const ts: TransformSet = { name, mode: sets.get(name)?.mode ?? "tunnel" };
      if (ah !== undefined) ts.ah = ah;
      if (enc !== undefined) ts.espEncryption = espEncryptionFromArgs(enc, str(a, "keysize"));
      if (auth !== undefined) ts.espIntegrity = auth;
      sets.set(name, ts);
      ctx.enter("config-crypto-trans", name);
    },
  },
  {
    syntax: "crypto ipsec security-association lifetime {seconds <120-86400>:sec | kilobytes <2560-4294967295>:kb}",
    no: "crypto ipsec security-association lifetime {seconds [<120-86400>:sec] | kilobytes [<2560-4294967295>:kb]}",
    handler: (a, ctx) => {
      const c = ctx.device.crypto;
      const l = lifetimeArgs(a);
      if (l.seconds !== undefined) c.ipsecLifetimeSec = ctx.negated ? DEFAULT_IPSEC_LIFETIME_SEC : l.seconds;
      if (l.kilobytes !== undefined) c.ipsecLifetimeKb = ctx.negated ? DEFAULT_IPSEC_LIFETIME_KB : l.kilobytes;
    },
  },
  {
    syntax: "crypto ipsec default transform-set",
    no: true,
    handler: (_a, ctx) => {
      ctx.device.crypto.defaultTransformSetsEnabled = !ctx.negated;
    },
  },
  {
    syntax: "crypto map WORD:map <1-65535>:seq [ipsec-isakmp [dynamic WORD:dynamic]]",
    no: "crypto map WORD:map [<1-65535>:seq] [ipsec-isakmp [dynamic WORD:dynamic]]",
    handler: (a, ctx) => {
      const device = ctx.device;
      const c = device.crypto;
      const name = String(a.map);
      const seq = num(a, "seq");
      let map = c.cryptoMaps.get(name);
      if (ctx.negated) {
        if (map === undefined) return;
        if (seq === undefined) c.cryptoMaps.delete(name);
        else {
          map.entries = map.entries.filter((e) => e.sequence !== seq);
          if (map.entries.length === 0 && map.localAddressInterface === undefined) c.cryptoMaps.delete(name);
        }
        refreshIsakmpState(device);
        return;
      }
      if (map === undefined) {
        map = { name, entries: [] };
        c.cryptoMaps.set(name, map);
      }
      const sequence = seq!;
      const dynamic = str(a, "dynamic");
      const existing = map.entries.find((e) => e.sequence === sequence);
      if (dynamic !== undefined) {
        // A reference to a dynamic map stays in global config, as on IOS.
        if (existing !== undefined && existing.dynamicMap === undefined)
          map.entries = map.entries.filter((e) => e !== existing);
        if (existing?.dynamicMap !== undefined) existing.dynamicMap = dynamic;
        else insertEntry(map.entries, { ...emptyCryptoMapEntry(sequence), dynamicMap: dynamic });
        refreshIsakmpState(device);
        return;
      }
      if (existing === undefined || existing.dynamicMap !== undefined) {
        if (existing !== undefined) map.entries = map.entries.filter((e) => e !== existing);
        insertEntry(map.entries, emptyCryptoMapEntry(sequence));
        device.write(`${NEW_CRYPTO_MAP_NOTE}\n`);
      }
      refreshIsakmpState(device);
      ctx.enter("config-crypto-map", { kind: "map", name, sequence } satisfies CryptoMapFrame);
    },
  },
  {
    syntax: "crypto map WORD:map local-address INTERFACE:interface",
    no: "crypto map WORD:map local-address [INTERFACE:interface]",
    handler: (a, ctx) => {
      const c = ctx.device.crypto;
      const name = String(a.map);
      let map = c.cryptoMaps.get(name);
      if (ctx.negated) {
        if (map === undefined) return;
        map.localAddressInterface = undefined;
        if (map.entries.length === 0) c.cryptoMaps.delete(name);
        return;
      }
      if (map === undefined) {
        map = { name, entries: [] };
        c.cryptoMaps.set(name, map);
      }
      map.localAddressInterface = String(a.interface);
    },
  },
  {
    syntax: "crypto dynamic-map WORD:map <1-65535>:seq",
    no: "crypto dynamic-map WORD:map [<1-65535>:seq]",
    handler: (a, ctx) => {
      const c = ctx.device.crypto;
      const name = String(a.map);
      const seq = num(a, "seq");
      let map = c.dynamicMaps.get(name);
      if (ctx.negated) {
        if (map === undefined) return;
        map.entries = map.entries.filter((e) => seq !== undefined && e.sequence !== seq);
        if (map.entries.length === 0) c.dynamicMaps.delete(name);
        return;
      }
      if (map === undefined) {
        map = { name, entries: [] };
        c.dynamicMaps.set(name, map);
      }
      const sequence = seq!;
      if (!map.entries.some((e) => e.sequence === sequence)) insertEntry(map.entries, emptyCryptoMapEntry(sequence));
      ctx.enter("config-crypto-map", { kind: "dynamic", name, sequence } satisfies CryptoMapFrame);
    },
  },
];

// ---- config-isakmp ---------------------------------------------------------------

const isakmpSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "encryption {des | 3des | aes [128 | 192 | 256]:keysize}:cipher",
    no: "encryption [des | 3des | aes [128 | 192 | 256]]",
    default: "encryption [des | 3des | aes [128 | 192 | 256]]",
    handler: onPolicy((p, a, ctx) => {
      p.encryption =
        ctx.negated || ctx.defaulted
          ? defaultIsakmpPolicy(0).encryption
          : isakmpEncryptionFromArgs(String(a.cipher), str(a, "keysize"));
    }),
  },
  {
    syntax: "hash {md5 | sha | sha256 | sha384 | sha512}:alg",
    no: "hash [md5 | sha | sha256 | sha384 | sha512]",
    default: "hash [md5 | sha | sha256 | sha384 | sha512]",
    handler: onPolicy((p, a, ctx) => {
      p.hash = ctx.negated || ctx.defaulted ? defaultIsakmpPolicy(0).hash : (String(a.alg) as IsakmpHash);
    }),
  },
  {
    syntax: "authentication {pre-share | rsa-sig}:method",
    no: "authentication [pre-share | rsa-sig]",
    default: "authentication [pre-share | rsa-sig]",
    handler: onPolicy((p, a, ctx) => {
      p.authentication =
        ctx.negated || ctx.defaulted
          ? defaultIsakmpPolicy(0).authentication
          : (String(a.method) as IsakmpAuthentication);
    }),
  },
  {
    syntax: "group {1 | 2 | 5 | 14 | 15 | 16}:dh",
    no: "group [1 | 2 | 5 | 14 | 15 | 16]",
    default: "group [1 | 2 | 5 | 14 | 15 | 16]",
    handler: onPolicy((p, a, ctx) => {
      p.group = ctx.negated || ctx.defaulted ? defaultIsakmpPolicy(0).group : (Number(a.dh) as IsakmpGroup);
    }),
  },
  {
    syntax: "lifetime <60-86400>:seconds",
    no: "lifetime [<60-86400>:seconds]",
    default: "lifetime [<60-86400>:seconds]",
    handler: onPolicy((p, a, ctx) => {
      p.lifetimeSec = ctx.negated || ctx.defaulted ? defaultIsakmpPolicy(0).lifetimeSec : Number(a.seconds);
    }),
  },
];

// ---- cfg-crypto-trans ------------------------------------------------------------

const transformSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "mode {tunnel | transport}:mode",
    no: "mode [tunnel | transport]",
    default: "mode [tunnel | transport]",
    handler: (a, ctx) => {
      const ts = transformSetOf(ctx);
      if (ts === undefined) return "% Transform set no longer exists";
      ts.mode = ctx.negated || ctx.defaulted ? "tunnel" : a.mode === "transport" ? "transport" : "tunnel";
    },
  },
];

// ---- config-crypto-map -----------------------------------------------------------

const EXTENDED_ACL_NUMBER = (n: number): boolean => (n >= 100 && n <= 199) || (n >= 2000 && n <= 2699);

const mapEntrySpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "set peer A.B.C.D:peer",
    no: "set peer [A.B.C.D:peer]",
    handler: onEntry((e, a, ctx) => {
      const peer = str(a, "peer") === undefined ? undefined : parseIpv4Address(String(a.peer))!;
      if (ctx.negated) {
        e.peers = peer === undefined ? [] : e.peers.filter((p) => p !== peer);
        return;
      }
      if (!e.peers.includes(peer!)) e.peers.push(peer!);
    }),
  },
  {
    syntax: "set transform-set WORD:t1 [WORD:t2 [WORD:t3 [WORD:t4 [WORD:t5 [WORD:t6]]]]]",
    no: "set transform-set [LINE]",
    handler: onEntry((e, a, ctx) => {
      e.transformSets = ctx.negated
        ? []
        : ["t1", "t2", "t3", "t4", "t5", "t6"].map((k) => str(a, k)).filter((n): n is string => n !== undefined);
    }),
  },
  {
    syntax: "match address WORD:acl",
    no: "match address [WORD:acl]",
    handler: onEntry((e, a, ctx) => {
      if (ctx.negated) {
        e.matchAddress = undefined;
        return;
      }
      const acl = String(a.acl);
      // Numbered lists must be extended (100-199, 2000-2699), as IOS's grammar has it.
      if (/^\d+$/.test(acl) && !EXTENDED_ACL_NUMBER(Number(acl))) {
        return { error: { kind: "invalid", column: lastWordColumn(ctx.line), message: INVALID_INPUT } };
      }
      e.matchAddress = acl;
    }),
  },
  {
    syntax: "set pfs [group1 | group2 | group5 | group14 | group15 | group16]:group",
    no: "set pfs [group1 | group2 | group5 | group14 | group15 | group16]",
    handler: onEntry((e, a, ctx) => {
      e.pfsGroup = ctx.negated ? undefined : (Number(String(a.group ?? "group1").slice(5)) as IsakmpGroup);
    }),
  },
  {
    syntax: "set security-association lifetime {seconds <120-86400>:sec | kilobytes <2560-4294967295>:kb}",
    no: "set security-association lifetime {seconds [<120-86400>:sec] | kilobytes [<2560-4294967295>:kb]}",
    handler: onEntry((e, a, ctx) => {
      const l = lifetimeArgs(a);
      if (l.seconds !== undefined) e.lifetimeSec = ctx.negated ? undefined : l.seconds;
      if (l.kilobytes !== undefined) e.lifetimeKb = ctx.negated ? undefined : l.kilobytes;
    }),
  },
  {
    syntax: "description LINE:text",
    no: "description [LINE:text]",
    handler: onEntry((e, a, ctx) => {
      e.description = ctx.negated ? undefined : String(a.text);
    }),
  },
  {
    // What the entry protects is classified on its plaintext header (output QoS: src/dataplane/pipeline/output-classification.ts).
    syntax: "qos pre-classify",
    no: true,
    handler: onEntry((e, _a, ctx) => {
      e.qosPreClassify = ctx.negated ? undefined : true;
    }),
  },
];

// ---- interfaces ------------------------------------------------------------------

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "crypto map WORD:map",
    no: "crypto map [WORD:map]",
    handler: (a, ctx) => {
      const ifc = ctx.device.stack.interface(String(ctx.data));
      if (ifc === undefined) return "% Interface no longer exists";
      if (!ctx.negated) {
        const refused = cryptoMapRefusal(ctx.device, ifc, String(a.map));
        if (refused !== null) return refused;
      }
      ifc.config.cryptoMap = ctx.negated ? undefined : String(a.map);
      refreshIsakmpState(ctx.device);
    },
  },
];

// ---- exec ------------------------------------------------------------------------

const DEBUG_TEXT = { isakmp: "Crypto ISAKMP debugging is", ipsec: "Crypto IPSEC debugging is" } as const;

function setCryptoDebug(ctx: Ctx, what: "isakmp" | "ipsec", on: boolean): string {
  if (what === "isakmp") ctx.device.debug.cryptoIsakmp = on;
  else ctx.device.debug.cryptoIpsec = on;
  return `${DEBUG_TEXT[what]} ${on ? "on" : "off"}`;
}

const execSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "show crypto isakmp policy", handler: (_a, ctx) => renderShowCryptoIsakmpPolicy(ctx.device.crypto) },
  { syntax: "show crypto isakmp default policy", handler: () => renderShowCryptoIsakmpDefaultPolicy() },
  { syntax: "show crypto isakmp key", handler: (_a, ctx) => renderShowCryptoIsakmpKey(ctx.device.crypto) },
  {
    syntax: "show crypto ipsec transform-set [tag WORD:name | WORD:name]",
    handler: (a, ctx) => renderShowCryptoIpsecTransformSet(ctx.device.crypto, str(a, "name")),
  },
  {
    syntax: "show crypto map [interface INTERFACE:interface] [tag WORD:tag]",
    handler: (a, ctx) => {
      const interfaceName = str(a, "interface");
      if (interfaceName !== undefined && ctx.device.findInterface(interfaceName) === undefined)
        return "% Invalid interface";
      return renderShowCryptoMap(ctx.device, { interfaceName, tag: str(a, "tag") });
    },
  },
  {
    syntax: "show crypto dynamic-map [tag WORD:tag]",
    handler: (a, ctx) => renderShowCryptoDynamicMap(ctx.device, str(a, "tag")),
  },
  {
    syntax: "debug crypto {isakmp | ipsec}:what",
    no: true,
    handler: (a, ctx) => setCryptoDebug(ctx, a.what === "ipsec" ? "ipsec" : "isakmp", !ctx.negated),
  },
  {
    syntax: "undebug crypto {isakmp | ipsec}:what",
    handler: (a, ctx) => setCryptoDebug(ctx, a.what === "ipsec" ? "ipsec" : "isakmp", false),
  },
];

// ---- config-isakmp-peer ------------------------------------------------------------

const peerSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "set aggressive-mode password WORD:password",
    no: "set aggressive-mode password [WORD:password]",
    handler: (a, ctx) => {
      const peer = ctx.device.crypto.isakmpPeers.get(Number(ctx.data));
      if (peer === undefined) return "% The ISAKMP peer no longer exists";
      if (ctx.negated) delete peer.aggressivePassword;
      else peer.aggressivePassword = String(a.password);
    },
  },
  {
    syntax: "set aggressive-mode client-endpoint ipv4-address A.B.C.D:endpoint",
    no: "set aggressive-mode client-endpoint [ipv4-address A.B.C.D:endpoint]",
    handler: (a, ctx) => {
      const peer = ctx.device.crypto.isakmpPeers.get(Number(ctx.data));
      if (peer === undefined) return "% The ISAKMP peer no longer exists";
      if (ctx.negated) delete peer.aggressiveClientEndpoint;
      else peer.aggressiveClientEndpoint = parseIpv4Address(String(a.endpoint))!;
    },
  },
];

/** Defines the crypto sub-modes and registers every crypto command on the router table. */
export function addCryptoCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode("config-isakmp");
  table.defineMode("config-crypto-trans", { prompt: "cfg-crypto-trans" });
  table.defineMode("config-crypto-map");
  table.defineMode("config-isakmp-peer");
  table.add("config-isakmp-peer", ...peerSpecs);
  table.add("config", ...globalSpecs);
  table.add("config-isakmp", ...isakmpSpecs);
  table.add("config-crypto-trans", ...transformSpecs);
  table.add("config-crypto-map", ...mapEntrySpecs);
  table.add("config-if", ...interfaceSpecs);
  table.add("config-subif", ...interfaceSpecs);
  table.add("exec", ...execSpecs);
}
