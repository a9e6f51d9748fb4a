// IOS GETVPN commands: `crypto gdoi group NAME` (config-gdoi-group) with
// `identity number`, `server address ipv4` (a member's key servers) and
// `server local` (gdoi-local-server: rekey settings, `authorization address
// ipv4`, `address ipv4`, `sa ipsec N` in gdoi-sa-ipsec with `profile`,
// `match address ipv4`, `replay`; `sa receive-only`), a member's `passive`,
// a crypto map's `gdoi` entries with `set group`, the exec `crypto gdoi gm
// group NAME ipsec direction` of seed 003's roll-out, and the shows. Every change reconciles the running GDOI (members
// register, key servers serve).

import type {
  GdoiGroupConfig,
  GdoiSaIpsecConfig,
  KeyServerConfig,
  RekeyCipher,
} from "../../protocols/gdoi/gdoi-config.ts";
import { newKeyServerConfig } from "../../protocols/gdoi/gdoi-config.ts";
import { type CryptoMap, emptyCryptoMapEntry } from "../../protocols/ipsec/crypto-config.ts";
import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { CryptoMapFrame } from "../crypto/crypto-commands.ts";
import { refreshIsakmpState } from "../crypto/crypto-commands.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { addCoopCommands } from "./coop-commands.ts";
import { addGdoiExecCommands } from "./gdoi-exec-commands.ts";
import { describeGdoiCommands } from "./gdoi-help.ts";
import { gdoiConfig, gdoiProtocolOf, reconcileGdoi } from "./gdoi-store.ts";
import {
  renderShowCryptoGdoi,
  renderShowCryptoGdoiGm,
  renderShowCryptoGdoiGmAcl,
  renderShowCryptoGdoiGmCounters,
  renderShowCryptoGdoiGmRekey,
  renderShowCryptoGdoiKsMembers,
  renderShowCryptoGdoiKsPolicy,
} from "./show-gdoi.ts";
import { renderShowCryptoGdoiGmReplay } from "./show-gdoi-replay.ts";

type Ctx = CommandContext<RouterDevice>;

/** Modes: the group, its `server local`, and a `sa ipsec N` under it. */
export const GDOI_GROUP_MODE = "config-gdoi-group";
export const GDOI_SERVER_MODE = "gdoi-local-server";
export const GDOI_SA_MODE = "gdoi-sa-ipsec";
/** `crypto map NAME gdoi fail-close`. */
export const GDOI_FAIL_CLOSE_MODE = "crypto-map-fail-close";

interface SaFrame {
  group: string;
  number: number;
}

function groupOf(ctx: Ctx): GdoiGroupConfig | undefined {
  const name = ctx.frames.find((f) => f.mode === GDOI_GROUP_MODE)?.data;
  return typeof name === "string" ? gdoiConfig(ctx.device).groups.get(name) : undefined;
}

/** Runs `fn` on the group of the current frame, then reconciles GDOI. */
function onGroup(fn: (g: GdoiGroupConfig, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const g = groupOf(ctx);
    if (g === undefined) return "% GDOI group no longer exists";
    const r = fn(g, a, ctx);
    reconcileGdoi(ctx.device);
    return r;
  };
}

/** Runs `fn` on the group's `server local` block. */
function onServer(fn: (s: KeyServerConfig, a: Args, ctx: Ctx) => HandlerResult) {
  return onGroup((g, a, ctx) => (g.server === null ? "% GDOI key server no longer exists" : fn(g.server, a, ctx)));
}

/** Runs `fn` on the `sa ipsec N` of the current frame. */
function onSa(fn: (sa: GdoiSaIpsecConfig, a: Args, ctx: Ctx) => HandlerResult) {
  return onServer((s, a, ctx) => {
    const f = ctx.data as SaFrame;
    const sa = s.sas.get(f.number);
    return sa === undefined ? "% GDOI SA no longer exists" : fn(sa, a, ctx);
  });
}

const str = (a: Args, name: string): string | undefined =>
  a[name] === undefined || a[name] === true ? undefined : String(a[name]);

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "crypto map WORD:map gdoi fail-close",
    no: true,
    handler: (a, ctx) => {
      const c = ctx.device.crypto;
      const name = String(a.map);
      let map = c.cryptoMaps.get(name);
      if (ctx.negated) {
        if (map !== undefined) delete map.gdoiFailClose;
        return;
      }
      if (map === undefined) {
        map = { name, entries: [] };
        c.cryptoMaps.set(name, map);
      }
      map.gdoiFailClose ??= { activated: false };
      ctx.enter(GDOI_FAIL_CLOSE_MODE, name);
    },
  },
  {
    syntax: "crypto gdoi group WORD:group",
    no: true,
    handler: (a, ctx) => {
      const groups = gdoiConfig(ctx.device).groups;
      const name = String(a.group);
      if (ctx.negated) {
        groups.delete(name);
        reconcileGdoi(ctx.device);
        return;
      }
      if (!groups.has(name)) groups.set(name, { name, server: null, servers: [] });
      reconcileGdoi(ctx.device);
      ctx.enter(GDOI_GROUP_MODE, name);
    },
  },
  {
    syntax: "crypto map WORD:map <1-65535>:seq gdoi",
    no: true,
    handler: (a, ctx) => {
      const c = ctx.device.crypto;
      const name = String(a.map);
      const sequence = Number(a.seq);
      let map = c.cryptoMaps.get(name);
      if (ctx.negated) {
        if (map === undefined) return;
        map.entries = map.entries.filter((e) => e.sequence !== sequence);
        if (map.entries.length === 0 && map.localAddressInterface === undefined) c.cryptoMaps.delete(name);
        refreshIsakmpState(ctx.device);
        return;
      }
      if (map === undefined) {
        map = { name, entries: [] };
        c.cryptoMaps.set(name, map);
      }
      const existing = map.entries.find((e) => e.sequence === sequence);
      if (existing === undefined || existing.gdoi !== true) {
        // The sequence number becomes a gdoi entry (an ipsec-isakmp one there is replaced, as on IOS).
        map.entries = map.entries.filter((e) => e !== existing);
        map.entries.push({ ...emptyCryptoMapEntry(sequence), gdoi: true });
        map.entries.sort((x, y) => x.sequence - y.sequence);
      }
      refreshIsakmpState(ctx.device);
      ctx.enter("config-crypto-map", { kind: "map", name, sequence } satisfies CryptoMapFrame);
    },
  },
];

/** The map of the current `crypto map NAME gdoi fail-close` frame. */
function failCloseOf(ctx: Ctx): NonNullable<CryptoMap["gdoiFailClose"]> | undefined {
  return ctx.device.crypto.cryptoMaps.get(String(ctx.data))?.gdoiFailClose;
}

const failCloseSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "match address WORD:acl",
    no: "match address [WORD:acl]",
    handler: (a, ctx) => {
      const fc = failCloseOf(ctx);
      if (fc === undefined) return "% Crypto map no longer exists";
      if (ctx.negated) delete fc.matchAddress;
      else fc.matchAddress = String(a.acl);
    },
  },
  {
    syntax: "activate",
    no: true,
    handler: (_a, ctx) => {
      const fc = failCloseOf(ctx);
      if (fc === undefined) return "% Crypto map no longer exists";
      fc.activated = !ctx.negated;
    },
  },
];

const groupSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "identity number <0-2147483647>:number",
    no: "identity number [<0-2147483647>:number]",
    handler: onGroup((g, a, ctx) => {
      g.identity = ctx.negated ? undefined : Number(a.number);
    }),
  },
  {
    syntax: "server address ipv4 A.B.C.D:address",
    no: true,
    handler: onGroup((g, a, ctx) => {
      const address = parseIpv4Address(String(a.address))! >>> 0;
      const i = g.servers.indexOf(address);
      if (ctx.negated) {
        if (i >= 0) g.servers.splice(i, 1);
      } else if (i < 0) g.servers.push(address);
    }),
  },
  {
    syntax: "passive",
    no: true,
    handler: onGroup((g, _a, ctx) => {
      if (ctx.negated) delete g.passive;
      else g.passive = true;
    }),
  },
  {
    syntax: "server local",
    no: true,
    handler: onGroup((g, _a, ctx) => {
      if (ctx.negated) {
        g.server = null;
        return;
      }
      g.server ??= newKeyServerConfig();
      ctx.enter(GDOI_SERVER_MODE, g.name);
    }),
  },
];

const serverSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "rekey algorithm {3des | aes {128 | 192 | 256}:bits}:cipher",
    no: "rekey algorithm [3des | aes [128 | 192 | 256]]",
    handler: onServer((s, a, ctx) => {
      if (ctx.negated) delete s.rekeyAlgorithm;
      else s.rekeyAlgorithm = (a.cipher === "3des" ? "3des" : `aes ${a.bits}`) as RekeyCipher;
    }),
  },
  {
    syntax: "rekey authentication mypubkey rsa WORD:label",
    no: "rekey authentication [mypubkey [rsa [WORD:label]]]",
    handler: onServer((s, a, ctx) => {
      if (ctx.negated) delete s.rekeyAuthenticationKey;
      else s.rekeyAuthenticationKey = String(a.label);
    }),
  },
  {
    syntax: "rekey transport unicast",
    no: true,
    handler: onServer((s, _a, ctx) => {
      s.rekeyUnicast = !ctx.negated;
    }),
  },
  {
    // Multicast rekeys (when `rekey transport unicast` is not set) go to the group the list's first permit names.
    syntax: "rekey address ipv4 WORD:acl",
    no: "rekey address ipv4 [WORD:acl]",
    handler: onServer((s, a, ctx) => {
      if (ctx.negated) delete s.rekeyAddressAcl;
      else s.rekeyAddressAcl = String(a.acl);
    }),
  },
  {
    syntax: "rekey lifetime seconds <300-86400>:seconds",
    no: "rekey lifetime [seconds [<300-86400>:seconds]]",
    handler: onServer((s, a, ctx) => {
      if (ctx.negated) delete s.rekeyLifetimeSec;
      else s.rekeyLifetimeSec = Number(a.seconds);
    }),
  },
  {
    syntax: "rekey retransmit <10-60>:period number <1-10>:count",
    no: "rekey retransmit [<10-60>:period [number [<1-10>:count]]]",
    handler: onServer((s, a, ctx) => {
      if (ctx.negated) delete s.rekeyRetransmit;
      else s.rekeyRetransmit = { periodSec: Number(a.period), count: Number(a.count) };
    }),
  },
  {
    syntax: "address ipv4 {A.B.C.D:address | INTERFACE:ifc}",
    no: "address ipv4 [A.B.C.D:address | INTERFACE:ifc]",
    handler: onServer((s, a, ctx) => {
      if (ctx.negated) {
        delete s.address;
        return;
      }
      const address = str(a, "address");
      if (address !== undefined) s.address = { kind: "ip", ip: parseIpv4Address(address)! >>> 0 };
      else {
        const ifc = ctx.device.findInterface(String(a.ifc));
        if (ifc === undefined) return "% Invalid interface";
        s.address = { kind: "interface", name: ifc.name };
      }
    }),
  },
  {
    syntax: "authorization address ipv4 WORD:acl",
    no: "authorization address ipv4 [WORD:acl]",
    handler: onServer((s, a, ctx) => {
      if (ctx.negated) delete s.authorizationAcl;
      else s.authorizationAcl = String(a.acl);
    }),
  },
  {
    // Members learn it at their next registration or rekey (`crypto gdoi ks rekey`), as on IOS.
    syntax: "sa receive-only",
    no: true,
    handler: onServer((s, _a, ctx) => {
      if (ctx.negated) delete s.receiveOnly;
      else s.receiveOnly = true;
    }),
  },
  {
    syntax: "sa ipsec <1-65535>:number",
    no: true,
    handler: onServer((s, a, ctx) => {
      const number = Number(a.number);
      if (ctx.negated) {
        s.sas.delete(number);
        return;
      }
      if (!s.sas.has(number)) s.sas.set(number, { number });
      ctx.enter(GDOI_SA_MODE, { group: groupOf(ctx)!.name, number } satisfies SaFrame);
    }),
  },
];

const saSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "profile WORD:profile",
    no: "profile [WORD:profile]",
    handler: onSa((sa, a, ctx) => {
      if (ctx.negated) delete sa.profile;
      else sa.profile = String(a.profile);
    }),
  },
  {
    syntax: "match address ipv4 WORD:acl",
    no: "match address [ipv4 [WORD:acl]]",
    handler: onSa((sa, a, ctx) => {
      if (ctx.negated) delete sa.matchAcl;
      else sa.matchAcl = String(a.acl);
    }),
  },
  {
    syntax: "replay time window-size <1-100>:seconds",
    no: "replay time [window-size [<1-100>:seconds]]",
    handler: onSa((sa, a, ctx) => {
      if (ctx.negated) delete sa.replay;
      else sa.replay = { kind: "time", window: Number(a.seconds) };
    }),
  },
  {
    syntax: "replay counter window-size {64 | 128 | 256 | 512 | 1024}:packets",
    no: "replay counter [window-size [64 | 128 | 256 | 512 | 1024]]",
    handler: onSa((sa, a, ctx) => {
      if (ctx.negated) delete sa.replay;
      else sa.replay = { kind: "counter", window: Number(a.packets) };
    }),
  },
];

const mapEntrySpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "set group WORD:group",
    no: "set group [WORD:group]",
    handler: (a, ctx) => {
      const f = ctx.data as CryptoMapFrame;
      const entry =
        f.kind === "map"
          ? ctx.device.crypto.cryptoMaps.get(f.name)?.entries.find((e) => e.sequence === f.sequence)
          : undefined;
      if (entry === undefined) return "% Crypto map entry no longer exists";
      // IOS's grammar has `set group` in gdoi entries only.
      if (entry.gdoi !== true) return "% set group is only valid in a gdoi crypto map entry";
      if (ctx.negated) delete entry.gdoiGroup;
      else entry.gdoiGroup = String(a.group);
      reconcileGdoi(ctx.device);
    },
  },
];

const execSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "show crypto gdoi", handler: (_a, ctx) => renderShowCryptoGdoi(ctx.device) },
  {
    syntax: "show crypto gdoi group WORD:group",
    handler: (a, ctx) => renderShowCryptoGdoi(ctx.device, String(a.group)),
  },
  { syntax: "show crypto gdoi gm", handler: (_a, ctx) => renderShowCryptoGdoiGm(ctx.device) },
  { syntax: "show crypto gdoi gm acl", handler: (_a, ctx) => renderShowCryptoGdoiGmAcl(ctx.device) },
  { syntax: "show crypto gdoi gm rekey", handler: (_a, ctx) => renderShowCryptoGdoiGmRekey(ctx.device) },
  {
    syntax: "show crypto gdoi gm dataplane counters",
    handler: (_a, ctx) => renderShowCryptoGdoiGmCounters(ctx.device),
  },
  { syntax: "show crypto gdoi gm replay", handler: (_a, ctx) => renderShowCryptoGdoiGmReplay(ctx.device) },
  {
    syntax: "show crypto gdoi ks members [summary]:summary",
    handler: (a, ctx) => renderShowCryptoGdoiKsMembers(ctx.device, a.summary !== undefined),
  },
  { syntax: "show crypto gdoi ks policy", handler: (_a, ctx) => renderShowCryptoGdoiKsPolicy(ctx.device) },
  {
    syntax: "crypto gdoi gm group WORD:group ipsec direction {both | inbound {only | optional}:inbound}:direction",
    handler: (a, ctx) => {
      const direction = a.direction === "both" ? "both" : a.inbound === "only" ? "inbound only" : "inbound optional";
      const gdoi = gdoiProtocolOf(ctx.device);
      if (gdoi === undefined || !gdoi.members.overrideDirection(String(a.group), direction))
        return `% Group ${String(a.group)} is not registered on this group member`;
    },
  },
  {
    syntax: "crypto gdoi ks rekey [replace-now]:replace",
    handler: (a, ctx) => {
      const gdoi = gdoiProtocolOf(ctx.device);
      if (gdoi === undefined || gdoi.keyServer.groups.size === 0) return "% No GDOI key server group is configured";
      gdoi.keyServer.rekey(a.replace !== undefined);
      // A COOP secondary leaves rekeys to its primary (coop-key-server.ts).
      const secondary = [...gdoi.keyServer.groups.keys()].filter((g) => !gdoi.keyServer.isPrimary(g));
      if (secondary.length > 0)
        return secondary
          .map((g) => `% Group ${g}: this key server is a COOP secondary; the primary sends rekeys`)
          .join("\n");
    },
  },
];

/** `%GDOI-5-POLICY_CHANGE` when a key server's group ACL changed in a configuration session (IOS logs it at `end`). */
export function gdoiConfigEnded(device: RouterDevice): void {
  gdoiProtocolOf(device)?.keyServer.checkPolicyChange();
}

/** Registers the GETVPN commands on the router table. */
export function addGdoiCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(GDOI_GROUP_MODE);
  table.defineMode(GDOI_SERVER_MODE, { parent: GDOI_GROUP_MODE });
  table.defineMode(GDOI_SA_MODE, { parent: GDOI_SERVER_MODE });
  table.defineMode(GDOI_FAIL_CLOSE_MODE);
  table.add(GDOI_FAIL_CLOSE_MODE, ...failCloseSpecs);
  table.add("config", ...globalSpecs);
  table.add(GDOI_GROUP_MODE, ...groupSpecs);
  table.add(GDOI_SERVER_MODE, ...serverSpecs);
  table.add(GDOI_SA_MODE, ...saSpecs);
  table.add("config-crypto-map", ...mapEntrySpecs);
  table.add("exec", ...execSpecs);
  describeGdoiCommands(table);
  addCoopCommands(table);
  addGdoiExecCommands(table);
}
