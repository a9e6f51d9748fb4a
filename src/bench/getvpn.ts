// `bench getvpn` (issue #15's scale target): the generated GETVPN lab
// (src/bench/getvpn-lab: KS1 with a point-to-point link to each provider
// edge from pe.cfg, N group members from gm.cfg, 25 per PE) measured in two
// phases:
//  - registration: from boot until every member has logged
//    %GDOI-5-GM_REGS_COMPL (IKEv1 main mode with PSK, then GROUPKEY-PULL with
//    the key server), stepping the virtual clock a second at a time;
//  - one unicast rekey (signed with a 2048-bit RSA key, AES KEK): `crypto gdoi ks rekey` on KS1, then 100 ms virtual
//    steps until KS1 counts an acknowledgement from every member (`show crypto
//    gdoi ks members | count Rekey Acks Rcvd   : 1`; that poll's wall time
//    is left out).
// Wall times, virtual times, lab events and the process's peak RSS (Workers
// are threads of this process) are reported per size and worker count.

import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import type { LabSpec } from "../runtime/topology.ts";
import { loadScenario } from "../scenario/load.ts";
import { fmt, renderTable } from "./table.ts";

/** Members per provider edge (pe.cfg's access ports). */
export const MEMBERS_PER_PE = 25;
/** The benchmark's lab folder. */
export const GETVPN_LAB_DIR = new URL("./getvpn-lab", import.meta.url).pathname;

const SECOND = 1e9;
const REKEY_STEP_NS = 100_000_000;

/** The generated lab with `members` group members. */
export function getvpnLab(members: number, seed = 1): { spec: LabSpec; members: string[]; pes: number } {
  if (!(Number.isInteger(members) && members >= 1 && members <= 10000))
    throw new Error("bench getvpn needs 1 to 10,000 members");
  const pes = Math.ceil(members / MEMBERS_PER_PE);
  const { lab } = loadScenario(GETVPN_LAB_DIR, seed, undefined, undefined, { GM: members, PE: pes });
  const ks = lab.devices.find((d) => d.name === "KS1");
  if (ks === undefined) throw new Error("the GETVPN bench lab has no KS1");
  ks.config = ks.config.replace(/\nend\s*$/, `\n${keyServerLinks(pes)}end\n`);
  return { spec: lab, members: Array.from({ length: members }, (_, i) => `GM${i + 1}`), pes };
}

/**
 * KS1's side of the lab, one block per provider edge (a template cannot
 * repeat lines): GigabitEthernetK/0 on the K-th /30 of 100.126.0.0/16 (KS1
 * .1, PE .2) and a route to PE K's members, the K-th /25 of 100.64.0.0/16.
 */
export function keyServerLinks(pes: number): string {
  const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
  const links = (0x64 << 24) | (0x7e << 16);
  const members = (0x64 << 24) | (0x40 << 16);
  const out: string[] = [];
  for (let k = 1; k <= pes; k++) {
    const link = links + (k - 1) * 4;
    out.push(`interface GigabitEthernet${k}/0`, ` ip address ${dotted(link + 1)} 255.255.255.252`, " no shutdown", "!");
  }
  for (let k = 1; k <= pes; k++)
    out.push(`ip route ${dotted(members + (k - 1) * 128)} 255.255.255.128 ${dotted(links + (k - 1) * 4 + 2)}`);
  return `${out.join("\n")}\n!\n`;
}

export interface GetvpnBenchOptions {
  members: number;
  workers: number;
  seed?: number;
  /** Give up registering after this much virtual time (default 3,600 s: each member's first exchanges wait on ARP along the path and IKE backs off, so registrations come in waves about 60 s apart). */
  maxVirtualSec?: number;
  progress?: (text: string) => void;
}

export interface GetvpnBenchResult {
  members: number;
  workers: number;
  partitions: number;
  createMs: number;
  /** Wall and virtual time until every member registered (null: not all did). */
  registerMs: number | null;
  registerVirtualSec: number;
  registered: number;
  /** Wall and virtual time from `crypto gdoi ks rekey` until every member's ACK (null: not all came). */
  rekeyMs: number | null;
  rekeyVirtualSec: number;
  rekeyAcks: number;
  events: number;
  peakRssBytes: number;
}

/** Runs one size with one worker count. */
export async function benchGetvpn(o: GetvpnBenchOptions): Promise<GetvpnBenchResult> {
  const g = getvpnLab(o.members, o.seed ?? 1);
  const n = g.members.length;
  let peak = process.memoryUsage().rss;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const t0 = performance.now();
  const lab = await Lab.create(g.spec, { workers: o.workers, factories: deviceFactories });
  const result: GetvpnBenchResult = {
    members: n,
    workers: o.workers,
    partitions: lab.partitions,
    createMs: performance.now() - t0,
    registerMs: null,
    registerVirtualSec: 0,
    registered: 0,
    rekeyMs: null,
    rekeyVirtualSec: 0,
    rekeyAcks: 0,
    events: 0,
    peakRssBytes: 0,
  };
  try {
    // The key that signs rekeys (seed 003 generates it on the key server), before any member registers.
    for (const line of ["configure terminal", "crypto key generate rsa label GETVPN-KEY modulus 2048", "end"])
      await lab.command("KS1", line);
    // Registration: each member logs GM_REGS_COMPL once (syslog lines start with the device's name).
    const t1 = performance.now();
    const registered = new Set<string>();
    let seen = 0;
    const maxNs = (o.maxVirtualSec ?? 3600) * SECOND;
    while (lab.now < maxNs && registered.size < n) {
      await lab.run(SECOND);
      sample();
      for (; seen < lab.syslog.length; seen++) {
        const text = lab.syslog[seen]!.text;
        if (text.includes("%GDOI-5-GM_REGS_COMPL")) registered.add(text.slice(0, text.indexOf(":")));
      }
      o.progress?.(`${lab.now / SECOND} s virtual: ${registered.size}/${n} registered`);
    }
    result.registered = registered.size;
    if (registered.size < n) return result;
    result.registerMs = performance.now() - t1;
    result.registerVirtualSec = lab.now / SECOND;

    // One unicast rekey, until KS1 has every member's acknowledgement.
    const t2 = performance.now();
    const v2 = lab.now;
    let pollMs = 0;
    await lab.command("KS1", "crypto gdoi ks rekey");
    while (lab.now - v2 < 60 * SECOND) {
      await lab.run(REKEY_STEP_NS);
      sample();
      const p0 = performance.now();
      const out = (await lab.command("KS1", "show crypto gdoi ks members | count Rekey Acks Rcvd   : 1")).output;
      pollMs += performance.now() - p0;
      result.rekeyAcks = Number(/= (\d+)/.exec(out)?.[1] ?? 0);
      o.progress?.(`rekey: ${result.rekeyAcks}/${n} acknowledged`);
      if (result.rekeyAcks === n) {
        result.rekeyMs = performance.now() - t2 - pollMs;
        result.rekeyVirtualSec = (lab.now - v2) / SECOND;
        break;
      }
    }
    return result;
  } finally {
    result.events = lab.events;
    sample();
    result.peakRssBytes = peak;
    lab.close();
  }
}

/** The report table. */
export function renderGetvpnReport(rows: readonly GetvpnBenchResult[]): string {
  return renderTable(
    "GETVPN (src/bench/getvpn-lab): every member registers with KS1 (PSK main mode + GROUPKEY-PULL), then one unicast rekey acknowledged by all",
    [
      "members",
      "workers",
      "create ms",
      "register wall s",
      "register virtual s",
      "rekey wall ms",
      "rekey virtual s",
      "acks",
      "events",
      "peak RSS MB",
    ],
    rows.map((r) => [
      r.members,
      r.workers,
      Math.round(r.createMs),
      r.registerMs === null ? `- (${r.registered} registered)` : fmt(r.registerMs / 1000, 2),
      r.registerVirtualSec,
      r.rekeyMs === null ? null : Math.round(r.rekeyMs),
      r.rekeyMs === null ? null : fmt(r.rekeyVirtualSec, 1),
      r.rekeyAcks,
      r.events,
      Math.round(r.peakRssBytes / 2 ** 20),
    ]),
  );
}
