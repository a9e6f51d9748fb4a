// GETVPN shows in IOS's layout (seeds 000 and 003): `show crypto gdoi` (group
// information, the member's registration, the downloaded ACL, then KEK POLICY
// and TEK POLICY sections that `| s KEK` and `| s TEK` pick out), `show crypto
// gdoi gm`, `gm acl`, `gm dataplane counters`, `ks members [summary]` and
// `ks policy`. Everything printed is the state the key server and members
// hold now; remaining lifetimes count down on the virtual clock.

import { formatAce } from "../../dataplane/acl.ts";
import type { GroupAclEntry, GroupSaDirection } from "../../dataplane/ipsec/group-sa-dataplane.ts";
import type { MemberGroupState as GroupMemberState } from "../../protocols/gdoi/group-member.ts";
import { GDOI_VERSION, type KsGroup } from "../../protocols/gdoi/key-server.ts";
import { keyLengths, transformText } from "../../protocols/ike/v1/phase2-proposal.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiConfig, gdoiProtocolOf } from "./gdoi-store.ts";
import { ksGroupLines } from "./show-gdoi-ks-group.ts";

const ip = formatIpv4Address;
const SEC = 1_000_000_000;

function hms(sec: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(sec / 3600))}:${two(Math.floor((sec % 3600) / 60))}:${two(sec % 60)}`;
}

function remaining(device: RouterDevice, since: number, lifetimeSec: number): number {
  return Math.max(0, lifetimeSec - Math.floor((device.now() - since) / SEC));
}

const PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: "ip",
  1: "icmp",
  6: "tcp",
  17: "udp",
  47: "gre",
  50: "esp",
};

function side(s: GroupAclEntry["src"]): string {
  const addr =
    s.mask === 0 ? "any" : s.mask === 0xffffffff ? `host ${ip(s.address)}` : `${ip(s.address)} ${ip(~s.mask >>> 0)}`;
  return s.port === 0 ? addr : `${addr} port = ${s.port}`;
}

/** A downloaded entry as `show crypto gdoi gm acl` prints it (`access-list   deny udp any port = 848 any`). */
export function groupAceText(e: GroupAclEntry): string {
  const proto = PROTOCOL_NAMES[e.protocol] ?? String(e.protocol);
  return `access-list   ${e.action} ${proto} ${side(e.src)} ${side(e.dst)}`;
}

function memberGroups(device: RouterDevice): GroupMemberState[] {
  return [...(gdoiProtocolOf(device)?.members.groups.values() ?? [])];
}

function ksGroups(device: RouterDevice): KsGroup[] {
  return [...(gdoiProtocolOf(device)?.keyServer.groups.values() ?? [])];
}

/** `IPSec SA Direction` as IOS prints it: Both, Inbound Only, Inbound Optional. */
function directionText(d: GroupSaDirection): string {
  return d.replace(/(^| )(\w)/g, (_m, sp: string, c: string) => sp + c.toUpperCase());
}

/** A member's direction (receive-only, passive, the exec override), or the key server's receive-only. */
function groupDirection(device: RouterDevice, group: string): string {
  const gdoi = gdoiProtocolOf(device);
  const s = gdoi?.members.groups.get(group);
  if (s !== undefined) return directionText(gdoi!.members.direction(s));
  return gdoiConfig(device).groups.get(group)?.server?.receiveOnly === true ? "Inbound Only" : "Both";
}

function gmBlock(device: RouterDevice, s: GroupMemberState): string[] {
  const reRegister = s.reRegisterAt === null ? 0 : Math.max(0, Math.floor((s.reRegisterAt - device.now()) / SEC));
  const ks = s.keyServer === null ? "0.0.0.0" : ip(s.keyServer);
  return [
    `Group Member Information For Group ${s.group}:`,
    `    IPSec SA Direction       : ${groupDirection(device, s.group)}`,
    `    ACL Received From KS     : gdoi_group_${s.group}_temp_acl`,
    "",
    `    Group member             : ${ip(s.local).padEnd(15)} vrf: None`,
    `       Local addr/port       : ${ip(s.local)}/848`,
    `       Remote addr/port      : ${ks}/848`,
    "       fvrf/ivrf             : None/None",
    `       Version               : ${GDOI_VERSION}`,
    `       Registration status   : ${s.status}`,
    `       Registered with       : ${s.status === "Registered" ? ks : "0.0.0.0"}`,
    `       Re-registers in       : ${reRegister} sec`,
    `       Succeeded registration: ${s.succeeded}`,
    `       Attempted registration: ${s.attempted}`,
    `       Last rekey from       : ${s.lastRekeyFrom === null ? "0.0.0.0" : ip(s.lastRekeyFrom)}`,
    `       Last rekey seq num    : ${s.lastRekeySeq}`,
    s.policy?.kek?.unicast === false
      ? `       Multicast rekey rcvd  : ${s.multicastRekeysReceived}`
      : `       Unicast rekey received: ${s.unicastRekeysReceived}`,
    `       Rekey ACKs sent       : ${s.rekeyAcksSent}`,
    `       Rekey Rcvd(hh:mm:ss)  : ${s.rekeyReceivedAt === null ? "never" : hms(Math.floor((device.now() - s.rekeyReceivedAt) / SEC))}`,
    "       DP Error Monitoring   : OFF",
  ];
}

function aclBlock(device: RouterDevice, s: GroupMemberState): string[] {
  const g = device.ipsec?.groups.group(s.group);
  const lines = [`Group Name: ${s.group}`];
  if (g !== undefined) {
    lines.push(` ACL Downloaded From KS ${ip(g.keyServer)}:`);
    for (const e of g.acl) lines.push(`   ${groupAceText(e)}`);
  }
  lines.push(" ACL Configured Locally:");
  // The member's exception ACL: the `match address` of the gdoi entry that names the group (deny entries only).
  const ifc = device.stack.interface(s.interfaceName);
  const map = ifc?.config.cryptoMap === undefined ? undefined : device.crypto.cryptoMaps.get(ifc.config.cryptoMap);
  const entry = map?.entries.find((e) => e.gdoi === true && e.gdoiGroup === s.group);
  const local = entry?.matchAddress === undefined ? undefined : device.acls.get(entry.matchAddress);
  if (map !== undefined && local !== undefined) {
    lines.push(`  Map Name: ${map.name}`);
    for (const e of local.entries)
      if (e.action === "deny") lines.push(`   access-list ${local.name}  ${formatAce(local.kind, e, "config")}`);
  }
  return lines;
}

function kekBlock(device: RouterDevice, s: GroupMemberState): string[] {
  const k = s.policy?.kek;
  if (k === undefined || k === null || s.kekInstalledAt === null) return [];
  const aes = k.cipher.startsWith("aes");
  const lines = [
    "KEK POLICY:",
    `    Rekey Transport Type     : ${k.unicast ? "Unicast" : "Multicast"}`,
    ...(k.multicastGroup === undefined ? [] : [`    Multicast Destination    : ${ip(k.multicastGroup)}`]),
    `    Lifetime (secs)          : ${remaining(device, s.kekInstalledAt, k.lifetimeSec)}`,
    `    Encrypt Algorithm        : ${aes ? "AES" : "3DES"}`,
    `    Key Size                 : ${aes ? k.cipher.slice(4) : "192"}`,
  ];
  if (k.sigKeyBytes > 0)
    lines.push("    Sig Hash Algorithm       : HMAC_AUTH_SHA", `    Sig Key Length (bits)    : ${k.sigKeyBytes * 8}`);
  return lines;
}

function tekBlock(device: RouterDevice, s: GroupMemberState): string[] {
  const g = device.ipsec?.groups.group(s.group);
  if (g === undefined || g.teks.length === 0) return [];
  const lines = ["TEK POLICY for the current KS-Policy ACEs Downloaded:", `  ${s.interfaceName}:`];
  for (const t of g.teks) {
    const lengths = keyLengths(t.transform, "esp");
    lines.push(
      "    IPsec SA:",
      `        spi: 0x${t.spi.toString(16).toUpperCase().padStart(8, "0")}(${t.spi})`,
      `        transform: ${transformText(t.transform)}`,
      `        sa timing:remaining key lifetime (sec): (${remaining(device, t.installedAt, t.lifetimeSec)})`,
      t.tbarWindowSec === null
        ? "        Anti-Replay : Disabled"
        : `        Anti-Replay(Time Based) : ${t.tbarWindowSec} sec interval`,
      "        tag method : disabled",
      `        alg key size: ${lengths.encryption} (bytes)`,
      `        sig key size: ${lengths.integrity} (bytes)`,
      "        encaps: ENCAPS_TUNNEL",
    );
  }
  return lines;
}

function text(lines: string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** `show crypto gdoi [group NAME]`: a key server's groups in seed 002's layout (show-gdoi-ks-group.ts). */
export function renderShowCryptoGdoi(device: RouterDevice, only?: string): string {
  const out: string[] = [];
  const members = new Map(memberGroups(device).map((s) => [s.group, s]));
  for (const c of gdoiConfig(device).groups.values()) {
    if (only !== undefined && c.name !== only) continue;
    const s = members.get(c.name);
    const ks = ksGroups(device).find((g) => g.name === c.name);
    if (s === undefined && ks === undefined) continue;
    const transport = c.server === null ? "" : c.server.rekeyUnicast ? " (Unicast)" : " (Multicast)";
    out.push(
      "GROUP INFORMATION",
      "",
      `    Group Name               : ${c.name}${ks === undefined ? "" : transport}`,
      `    Group Identity           : ${c.identity ?? 0}`,
      "    Crypto Path              : ipv4",
      "    Key Management Path      : ipv4",
      `    ${(ks === undefined ? "Rekeys received" : "Rekeys sent").padEnd(25)}: ${ks?.rekeysSent ?? (s === undefined ? 0 : s.unicastRekeysReceived + s.multicastRekeysReceived)}`,
      ...(ks === undefined || c.server === null
        ? [`    IPSec SA Direction       : ${groupDirection(device, c.name)}`]
        : ksGroupLines(device, ks, c.server, groupDirection(device, c.name))),
      "",
      `     Group Server list       : ${c.server !== null ? "Local" : c.servers.map(ip).join(", ")}`,
      "",
    );
    if (s !== undefined) {
      out.push(...gmBlock(device, s), "", ...aclBlock(device, s).slice(1), "");
      const kek = kekBlock(device, s);
      if (kek.length > 0) out.push(...kek, "");
      out.push(...tekBlock(device, s), "");
    }
    if (ks !== undefined) out.push(...ksPolicyBlock(device, ks), "");
  }
  return text(out);
}

/** `show crypto gdoi gm`. */
export function renderShowCryptoGdoiGm(device: RouterDevice): string {
  return text(memberGroups(device).flatMap((s) => [...gmBlock(device, s), ""]));
}

/** `show crypto gdoi gm rekey`: the rekeys a member took, and where multicast ones come to. */
export function renderShowCryptoGdoiGmRekey(device: RouterDevice): string {
  const out: string[] = [];
  const pad = (label: string) => `    ${label.padEnd(45)}: `;
  for (const s of memberGroups(device)) {
    const k = s.policy?.kek;
    out.push(
      `Group ${s.group} (${k?.unicast === false ? "Multicast" : "Unicast"})`,
      `${pad("Number of Rekeys received (cumulative)")}${s.unicastRekeysReceived + s.multicastRekeysReceived}`,
      `${pad("Number of Rekeys received after registration")}${s.rekeysSinceRegistration}`,
      k?.unicast === false
        ? `${pad("Multicast destination address")}${k.multicastGroup === undefined ? "0.0.0.0" : ip(k.multicastGroup)}`
        : `${pad("Number of Rekey Acks sent")}${s.rekeyAcksSent}`,
      "",
    );
  }
  return text(out);
}

/** `show crypto gdoi gm acl`. */
export function renderShowCryptoGdoiGmAcl(device: RouterDevice): string {
  return text(memberGroups(device).flatMap((s) => aclBlock(device, s)));
}

/**
 * `show crypto gdoi gm dataplane counters`. IOS's tagged/untagged lines (TBAR's metadata) and
 * internal-error lines are left out until something here can count them.
 */
export function renderShowCryptoGdoiGmCounters(device: RouterDevice): string {
  const out: string[] = [];
  for (const s of memberGroups(device)) {
    const c = device.ipsec?.groups.group(s.group)?.counters;
    const n = (label: string, v: number) => `${label.padEnd(25)}: ${String(v).padEnd(9)}`;
    out.push(
      "",
      `Data-plane statistics for group ${s.group}:`,
      `    ${n("#pkts encrypt", c?.encrypt ?? 0)}${n("#pkts decrypt", c?.decrypt ?? 0).trimEnd()}`,
      `    ${n("#pkts no sa (send)", c?.noSaSend ?? 0)}${n("#pkts invalid sa (rcv)", c?.invalidSaRcv ?? 0).trimEnd()}`,
      `    ${n("#pkts encaps fail (send)", c?.encapsFailSend ?? 0)}${n("#pkts decap fail (rcv)", c?.decapFailRcv ?? 0).trimEnd()}`,
      `    ${n("#pkts invalid prot (rcv)", c?.invalidProtRcv ?? 0)}${n("#pkts verify fail (rcv)", c?.verifyFailRcv ?? 0).trimEnd()}`,
    );
  }
  return text(out);
}

/** `show crypto gdoi ks members [summary]`. */
export function renderShowCryptoGdoiKsMembers(device: RouterDevice, summary: boolean): string {
  const out: string[] = [];
  const gdoi = gdoiProtocolOf(device);
  for (const g of ksGroups(device)) {
    const c = gdoiConfig(device).groups.get(g.name)?.server;
    const ksAddress = (m: number) =>
      ip((c === undefined || c === null ? undefined : gdoi?.keyServer.serverAddress(c)) ?? m);
    if (!summary)
      out.push("", "Group Member Information : ", "", `Number of rekeys sent for group ${g.name} : ${g.rekeysSent}`);
    for (const m of g.members.values()) {
      const ks = ksAddress(0);
      if (summary) {
        out.push(
          `Group Member ID    : ${ip(m.address).padEnd(20)}GM Version: ${m.version}`,
          ` Group ID          : ${g.identity}`,
          ` Group Name        : ${g.name}`,
          ` GM State          : ${m.state}`,
          ` Key Server ID     : ${ks}`,
          "",
        );
        continue;
      }
      out.push(
        "",
        `Group Member ID    : ${ip(m.address)}  GM Version: ${m.version}`,
        ` Group ID          : ${g.identity}`,
        ` Group Name        : ${g.name}`,
        ` Key Server ID     : ${ks}`,
        ` Rekeys sent       : ${m.rekeysSent}`,
        ` Rekeys retries    : ${m.rekeyRetries}`,
        ` Rekey Acks Rcvd   : ${m.rekeyAcksReceived}`,
        ` Rekey Acks missed : ${m.rekeyAcksMissed}`,
        "",
        ` Sent seq num : ${seqColumns(m.sentSeq)}`,
        `Rcvd seq num :  ${seqColumns(m.ackedSeq)}`,
      );
    }
  }
  return text(out);
}

/** The last four sequence numbers (oldest first, 0 for none yet), in IOS's 8-wide columns. */
function seqColumns(seqs: readonly number[]): string {
  const four = [...seqs.slice(-4)];
  while (four.length < 4) four.push(0);
  return four
    .map((n) => String(n).padEnd(8))
    .join("")
    .trimEnd();
}

function ksPolicyBlock(device: RouterDevice, g: KsGroup): string[] {
  const gdoi = gdoiProtocolOf(device);
  const c = gdoiConfig(device).groups.get(g.name)?.server;
  const index = ksGroups(device).indexOf(g);
  const handle = 2147483650 + index;
  const lines = [
    `For group ${g.name} (handle: ${handle}) server (handle: ${handle}):`,
    "",
    `  # of teks : ${g.teks.length}  Seq num : ${g.seq}`,
  ];
  if (g.kek !== null && c !== undefined && c !== null) {
    const cipher = c.rekeyAlgorithm ?? "3des";
    const aes = cipher.startsWith("aes");
    const keyBytes = aes ? Number(cipher.slice(4)) / 8 : 24;
    const life = c.rekeyLifetimeSec ?? 86400;
    const pair =
      c.rekeyAuthenticationKey === undefined ? undefined : device.crypto.pki.keys.signingPair(c.rekeyAuthenticationKey);
    const sigBytes = pair?.publicDer.length ?? 0;
    const sigSize = pair === undefined ? 0 : pair.key.bits / 8;
    const spi = [...g.kek.spi]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("")
      .toUpperCase();
    const multicast = gdoi?.keyServer.multicastAddress(c);
    lines.push(
      `  KEK POLICY (transport type : ${c.rekeyUnicast ? "Unicast" : "Multicast"})`,
      ...(multicast === null || multicast === undefined
        ? []
        : [`    multicast destination address : ${ip(multicast.group)}`]),
      `    spi : 0x${spi}`,
      `    management alg     : disabled    encrypt alg       : ${(aes ? "AES" : "3DES").padEnd(10)}`,
      `    crypto iv length   : ${String(aes ? 16 : 8).padEnd(12)}key size          : ${String(keyBytes).padEnd(8)}`,
      `    orig life(sec): ${String(life).padEnd(12)}remaining life(sec): ${String(remaining(device, g.kek.createdAt, life)).padEnd(10)}`,
      `    sig hash algorithm : ${sigBytes > 0 ? "enabled " : "disabled"}    sig key length    : ${String(sigBytes).padEnd(8)}`,
      `    sig size           : ${String(sigSize).padEnd(10)}`,
      `    sig key name       : ${c.rekeyAuthenticationKey ?? ""}`,
    );
  }
  for (const t of g.teks) {
    const lengths = keyLengths(t.transform, "esp");
    const left = gdoi?.keyServer.remainingSec(t) ?? 0;
    const window = t.replay?.kind === "counter" ? t.replay.window : 0;
    lines.push(
      "",
      `    spi                : 0x${t.spi.toString(16).toUpperCase().padStart(8, "0")}`,
      `    access-list        : ${t.acl}`,
      `    transform          : ${transformText(t.transform)}`,
      `    alg key size       : ${String(lengths.encryption).padEnd(14)}sig key size          : ${String(lengths.integrity).padEnd(10)}`,
      `    orig life(sec)     : ${String(t.lifetimeSec).padEnd(14)}remaining life(sec)   : ${String(left).padEnd(10)}`,
      `    tek life(sec)      : ${String(t.lifetimeSec).padEnd(14)}elapsed time(sec)     : ${String(t.lifetimeSec - left).padEnd(10)}`,
      `    override life (sec): ${"0".padEnd(14)}antireplay window size: ${String(window).padEnd(4)}`,
    );
  }
  return lines;
}

/** `show crypto gdoi ks policy`. */
export function renderShowCryptoGdoiKsPolicy(device: RouterDevice): string {
  const groups = ksGroups(device);
  if (groups.length === 0) return "";
  return text(["Key Server Policy:", ...groups.flatMap((g) => [...ksPolicyBlock(device, g), ""])]);
}
