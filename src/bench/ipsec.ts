// IPsec benchmark as library functions (the CLI is `bench ipsec` in
// src/cli/bench.ts), issue #4:
//  - tunnel setup: a lab of N tunnels (ipsec-lab.ts: independent peer pairs,
//    or one hub with N spokes), PSK main mode + quick mode with DH group 2 or
//    14. After the links are up, ARP is resolved and ten warm-up tunnels are up
//    (not measured), one echo from each initiator's loopback to its peer's
//    loopback is interesting traffic that starts IKE, and the lab runs in 1 ms
//    virtual steps until both ends of every tunnel have installed their SAs
//    (each installed SA hands the lab a key record). Measured: wall time from
//    the first trigger to the end of that step. Afterwards, outside the
//    measured time, `show crypto isakmp sa` (QM_IDLE) and `show crypto ipsec
//    sa` (inbound and outbound ESP SAs) on every router must account for
//    exactly its tunnels.
//  - ESP end to end: one pair, an extended ping loopback to loopback (1400
//    bytes, one echo outstanding, virtual time as fast as the host allows),
//    with the ESP backend chosen by WANLAB_CRYPTO (wasm, native, auto) and
//    without crypto as the baseline. Packets are read from the SA counters and
//    the link interfaces' input counters; wall time is the ping command only.
// Both run inline (workers 0): ESP backends and DH engines are per process.

import { deviceFactories } from "../../actors/index.ts";
import { processEspCalibration, sizeBucket } from "../fastpath/esp/calibration.ts";
import { type DhBackend, type DhGroup, dhGroupStatus, isDhGroup, warmDhEngine } from "../protocols/ike/dh.ts";
import { benchIkeDh, type IkeDhBenchRow } from "../protocols/ike/dh-bench.ts";
import { Lab } from "../runtime/lab.ts";
import { IPSEC_LINK_INTERFACE, type IpsecLayout, type IpsecPair, ipsecLab } from "./ipsec-lab.ts";
import { type CryptoState, cryptoState, establishedTunnels, routerComplete, tunnelUp } from "./ipsec-show.ts";
import { fmt, renderTable } from "./table.ts";

const MS = 1_000_000;

/** User + system CPU time of the process in ms: less sensitive than wall time to other processes on a shared host. */
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Per-tunnel time of a real IKE daemon (strongSwan) on this kind of host, from issue #4. */
export const STRONGSWAN_MS_PER_TUNNEL = 42;
/** Issue #4's target with group 14 on one core. */
export const TUNNELS_TARGET_PER_SEC = 100;

// ---- tunnel setup -----------------------------------------------------------------

/** One tunnel-setup run. */
export interface IpsecTunnelOptions {
  /** Tunnels negotiated in the measured interval (default 50). */
  tunnels?: number;
  /** Independent peer pairs (default) or one hub with spokes. */
  layout?: IpsecLayout;
  /** DH group of every ISAKMP policy (default 14). */
  group?: DhGroup;
  /** Tunnels negotiated before the measurement, all at once, to warm the code up (default 10). */
  warmupTunnels?: number;
  /** Build the group's node:crypto DH engine before measuring (default true; see dh.ts). */
  warmDhEngine?: boolean;
  /** Virtual time per run step while waiting for the tunnels, in ms (default 1). */
  stepMs?: number;
  /** Give up when tunnels are still missing after this much virtual time, in ms (default 60,000: IKE retransmits every 10 s). */
  maxVirtualMs?: number;
  seed?: number;
  /** Wall clock in ms (default performance.now). */
  now?: () => number;
  /** CPU time of this process in ms (default from process.cpuUsage). */
  cpu?: () => number;
}

/** A router whose show commands do not add up to the tunnels it should hold. */
export interface IpsecRouterShortfall {
  device: string;
  expected: number;
  state: CryptoState;
}

/** Figures from one tunnel-setup run. */
export interface IpsecTunnelResult {
  layout: IpsecLayout;
  /** Tunnels measured (not counting the warm-up). */
  tunnels: number;
  /** Routers in the lab. */
  routers: number;
  group: DhGroup;
  /** Measured tunnels established on both ends, from the routers' show commands. */
  tunnelsUp: number;
  /** Wall time from the first trigger to the end of the run step in which the last SA was installed. */
  wallMs: number;
  /** CPU time of the process in the same interval (the runtime's own threads included). */
  cpuMs: number;
  /** Virtual time of that interval. */
  virtualMs: number;
  /** Virtual time from the first trigger to the last IPsec SA installed. */
  lastSaMs: number;
  /** Runtime events (frames delivered plus timers fired) in that interval. */
  events: number;
  tunnelsPerSec: number;
  msPerTunnel: number;
  /** How IKE exponentiated for this group after the run, and its DH operations so far in the process. */
  dhBackend: DhBackend;
  dhOperations: number;
  /** Time spent building the DH engine before the run (0 if already built or not asked for). */
  dhEngineSetupMs: number;
  /** Lab construction, start, ARP and the warm-up tunnels (not measured). */
  buildMs: number;
  /** Routers whose show commands fall short at the end (empty when every tunnel is up). */
  shortfalls: IpsecRouterShortfall[];
}

/** Sends one echo without waiting for an answer (timeout 0: the command ends at once). */
async function poke(lab: Lab, device: string, to: string, source?: string): Promise<void> {
  await lab.command(device, `ping ${to}${source === undefined ? "" : ` source ${source}`} repeat 1 timeout 0`);
}

/** Each end of a tunnel installs both SAs of the pair and exports a key record for each. */
const KEY_RECORDS_PER_TUNNEL = 4;

/** Builds a lab, then measures how fast every tunnel comes up when all are triggered at once. */
export async function benchIpsecTunnels(options: IpsecTunnelOptions = {}): Promise<IpsecTunnelResult> {
  const count = options.tunnels ?? 50;
  const layout = options.layout ?? "pairs";
  const group = options.group ?? 14;
  const warmupCount = options.warmupTunnels ?? 10;
  const now = options.now ?? (() => performance.now());
  const cpu = options.cpu ?? processCpuMs;
  const stepNs = (options.stepMs ?? 1) * MS;
  const maxNs = (options.maxVirtualMs ?? 60_000) * MS;
  if (!(Number.isInteger(count) && count >= 1)) throw new Error("--tunnels must be at least 1");
  if (!isDhGroup(group)) throw new Error(`DH group ${group} is not one IOS offers (1, 2, 5, 14, 15, 16)`);
  let dhEngineSetupMs = 0;
  if (options.warmDhEngine ?? true) {
    const t = now();
    warmDhEngine(group);
    dhEngineSetupMs = now() - t;
  }
  const tBuild = now();
  const generated = ipsecLab({ tunnels: warmupCount + count, layout, group, seed: options.seed });
  // Each router hands the lab a key record for every IPsec SA it installs: the signal that a tunnel is up at that end.
  let espRecords = 0;
  let lastSaAt = 0;
  const lab = await Lab.create(generated.spec, {
    workers: 0,
    factories: deviceFactories,
    keys: (atNs, record) => {
      if (record.kind !== "esp") return;
      espRecords++;
      lastSaAt = atNs;
    },
  });
  /** Runs until `target` key records have arrived, or the virtual time limit passes. */
  const runUntilRecords = async (target: number, from: number): Promise<void> => {
    while (espRecords < target && lab.now - from < maxNs) await lab.run(stepNs);
  };
  try {
    await lab.run(2_000 * MS);
    for (const { device, address } of generated.arp) await poke(lab, device, address);
    await lab.run(100 * MS);
    const warmup = generated.tunnels.slice(0, warmupCount);
    const measured = generated.tunnels.slice(warmupCount);
    for (const t of warmup) await poke(lab, t.initiator, t.responderLan, "Loopback0");
    await runUntilRecords(KEY_RECORDS_PER_TUNNEL * warmupCount, lab.now);
    if (espRecords < KEY_RECORDS_PER_TUNNEL * warmupCount)
      throw new Error(`the ${warmupCount} warm-up tunnel(s) did not come up`);
    const buildMs = now() - tBuild;

    const recordsBefore = espRecords;
    const eventsBefore = lab.events;
    const virtualBefore = lab.now;
    const c0 = cpu();
    const t0 = now();
    for (const t of measured) await poke(lab, t.initiator, t.responderLan, "Loopback0");
    await runUntilRecords(recordsBefore + KEY_RECORDS_PER_TUNNEL * count, virtualBefore);
    const wallMs = now() - t0;
    const cpuMs = cpu() - c0;
    const virtualMs = (lab.now - virtualBefore) / MS;
    const events = lab.events - eventsBefore;
    const lastSaMs = (lastSaAt - virtualBefore) / MS;

    // Check with the show commands, outside the measured time: every router holds exactly its tunnels.
    const expected = new Map<string, number>();
    const initiators = new Set<string>();
    const responders = new Set<string>();
    for (const t of generated.tunnels) {
      expected.set(t.initiator, (expected.get(t.initiator) ?? 0) + 1);
      expected.set(t.responder, (expected.get(t.responder) ?? 0) + 1);
      initiators.add(t.initiator);
      responders.add(t.responder);
    }
    const shortfalls: IpsecRouterShortfall[] = [];
    const established = { initiators: 0, responders: 0 };
    for (const [device, want] of expected) {
      const state = await cryptoState(lab, device);
      if (!routerComplete(state, want)) shortfalls.push({ device, expected: want, state });
      if (initiators.has(device)) established.initiators += establishedTunnels(state);
      if (responders.has(device)) established.responders += establishedTunnels(state);
    }
    const tunnelsUp = Math.max(0, Math.min(established.initiators, established.responders) - warmupCount);
    const status = dhGroupStatus(group);
    return {
      layout,
      tunnels: count,
      routers: generated.spec.devices.length,
      group,
      tunnelsUp,
      wallMs,
      cpuMs,
      virtualMs,
      lastSaMs,
      events,
      tunnelsPerSec: (tunnelsUp * 1000) / wallMs,
      msPerTunnel: tunnelsUp === 0 ? Infinity : wallMs / tunnelsUp,
      dhBackend: status.backend,
      dhOperations: status.operations,
      dhEngineSetupMs,
      buildMs,
      shortfalls,
    };
  } finally {
    lab.close();
  }
}

// ---- ESP end to end -----------------------------------------------------------------

/** What protects the traffic: an ESP backend, or no crypto map at all (the baseline). */
export type EspMode = "none" | "wasm" | "native" | "auto";

/** One ESP run. */
export interface IpsecEspOptions {
  mode: EspMode;
  /** Echo requests in the measured ping (default 20,000; each is two ESP packets). */
  echoes?: number;
  /** Datagram size in bytes (default 1400: fits in one ESP packet at MTU 1500). */
  size?: number;
  /** Echoes before the measurement: tunnel set-up, JIT, `auto` calibration (default 500). */
  warmupEchoes?: number;
  seed?: number;
  /** Wall clock in ms (default performance.now). */
  now?: () => number;
  /** CPU time of this process in ms (default from process.cpuUsage). */
  cpu?: () => number;
}

/** Figures from one ESP run. */
export interface IpsecEspResult {
  mode: EspMode;
  echoes: number;
  size: number;
  replies: number;
  /** Frames received on the two routers' link interfaces during the ping (both directions). */
  linkPackets: number;
  /** ESP packets sealed by the initiator (requests) and the responder (replies); 0 without crypto. */
  encaps: { initiator: number; responder: number };
  /** ESP packets opened by each side; 0 without crypto. */
  decaps: { initiator: number; responder: number };
  /** Send and receive errors on both routers' SAs during the ping. */
  errors: number;
  wallMs: number;
  /** CPU time of the process during the ping. */
  cpuMs: number;
  virtualMs: number;
  /** Link packets per wall-clock second. */
  packetsPerSec: number;
  /** For `auto`: the backend its calibration picked for this packet size (null otherwise). */
  autoChoice: "wasm" | "native" | null;
}

async function linkPacketsIn(lab: Lab, device: string): Promise<number> {
  const { output } = await lab.command(device, `show interfaces ${IPSEC_LINK_INTERFACE}`);
  const m = output.match(/^\s+(\d+) packets input,/m);
  if (m === null) throw new Error(`${device}: no input counter in show interfaces ${IPSEC_LINK_INTERFACE}`);
  return Number(m[1]);
}

interface EspSnapshot {
  initiatorIn: number;
  responderIn: number;
  initiator: CryptoState | null;
  responder: CryptoState | null;
}

async function espSnapshot(lab: Lab, pair: IpsecPair, crypto: boolean): Promise<EspSnapshot> {
  return {
    initiatorIn: await linkPacketsIn(lab, pair.initiator),
    responderIn: await linkPacketsIn(lab, pair.responder),
    initiator: crypto ? await cryptoState(lab, pair.initiator) : null,
    responder: crypto ? await cryptoState(lab, pair.responder) : null,
  };
}

/** Two routers, loopback to loopback through a crypto map (or in the clear): measures one long ping. */
export async function benchIpsecEsp(options: IpsecEspOptions): Promise<IpsecEspResult> {
  const { mode } = options;
  const echoes = options.echoes ?? 20_000;
  const size = options.size ?? 1400;
  const now = options.now ?? (() => performance.now());
  const cpu = options.cpu ?? processCpuMs;
  const crypto = mode !== "none";
  const previous = process.env.WANLAB_CRYPTO;
  // Routers read the backend choice when they start, inline in this process.
  if (crypto) process.env.WANLAB_CRYPTO = mode;
  const generated = ipsecLab({ tunnels: 1, crypto, seed: options.seed });
  const pair = generated.tunnels[0]!;
  const lab = await Lab.create(generated.spec, { workers: 0, factories: deviceFactories });
  try {
    await lab.run(2_000 * MS);
    await poke(lab, pair.initiator, pair.responderLink);
    await poke(lab, pair.responder, pair.initiatorLink);
    await lab.run(100 * MS);
    const ping = `ping ${pair.responderLan} source Loopback0 size ${size}`;
    await lab.command(pair.initiator, `${ping} repeat ${options.warmupEchoes ?? 500} timeout 2`);
    const before = await espSnapshot(lab, pair, crypto);
    if (crypto && !(tunnelUp(before.initiator!) && tunnelUp(before.responder!)))
      throw new Error(`ESP bench (${mode}): the tunnel did not come up during the warm-up`);
    const virtualBefore = lab.now;
    const c0 = cpu();
    const t0 = now();
    const { output } = await lab.command(pair.initiator, `${ping} repeat ${echoes} timeout 2`);
    const wallMs = now() - t0;
    const cpuMs = cpu() - c0;
    const virtualMs = (lab.now - virtualBefore) / MS;
    const after = await espSnapshot(lab, pair, crypto);
    const m = output.match(/Success rate is \d+ percent \((\d+)\/(\d+)\)/);
    if (m === null) throw new Error(`ping gave no success rate:\n${output}`);
    const delta = (f: (s: CryptoState) => number, side: "initiator" | "responder"): number =>
      crypto ? f(after[side]!) - f(before[side]!) : 0;
    const linkPackets = after.initiatorIn - before.initiatorIn + after.responderIn - before.responderIn;
    const errors =
      delta((s) => s.sendErrors + s.recvErrors, "initiator") + delta((s) => s.sendErrors + s.recvErrors, "responder");
    let autoChoice: IpsecEspResult["autoChoice"] = null;
    if (mode === "auto") {
      const bucket = sizeBucket(size);
      // The crypto-map data plane seals and opens one packet per call: the one-at-a-time row decides.
      autoChoice =
        processEspCalibration()
          .results()
          .find((r) => r.bucket === bucket && r.batch === 1)?.choice ?? null;
    }
    return {
      mode,
      echoes,
      size,
      replies: Number(m[1]),
      linkPackets,
      encaps: { initiator: delta((s) => s.encaps, "initiator"), responder: delta((s) => s.encaps, "responder") },
      decaps: { initiator: delta((s) => s.decaps, "initiator"), responder: delta((s) => s.decaps, "responder") },
      errors,
      wallMs,
      cpuMs,
      virtualMs,
      packetsPerSec: (linkPackets * 1000) / wallMs,
      autoChoice,
    };
  } finally {
    lab.close();
    if (previous === undefined) delete process.env.WANLAB_CRYPTO;
    else process.env.WANLAB_CRYPTO = previous;
  }
}

// ---- the whole benchmark ------------------------------------------------------------

/** What `bench ipsec` runs. */
export interface IpsecBenchOptions {
  /** Tunnels per tunnel-setup run (default 50). */
  tunnels?: number;
  /** DH groups, one run each with peer pairs (default 2 and 14). */
  groups?: DhGroup[];
  /** DH groups of the hub-and-spokes runs (default 14). */
  hubGroups?: DhGroup[];
  /** Echoes per ESP run (default 20,000). */
  echoes?: number;
  /** ESP datagram size (default 1400). */
  size?: number;
  /** ESP runs, side by side (default none, wasm, native, auto). */
  modes?: EspMode[];
  /** Interleaved rounds of every run; best and median are reported (default 3). */
  rounds?: number;
  /** Minimum wall time per DH micro-measurement in ms (default 200). */
  dhMinMs?: number;
  /** Called before each run (progress on stderr). */
  progress?: (what: string) => void;
}

/** The rounds of one configuration, fastest first, with the best and the median round. */
export interface IpsecRounds<T> {
  best: T;
  median: T;
  /** Every round, fastest first. */
  rounds: T[];
}

/** Everything `bench ipsec` measured. */
export interface IpsecBenchReport {
  dh: IkeDhBenchRow[];
  tunnels: Array<IpsecRounds<IpsecTunnelResult>>;
  esp: Array<IpsecRounds<IpsecEspResult>>;
  /** Work that was not done as it should have been (tunnels down, lost echoes, counter mismatches), from any round. */
  problems: string[];
}

/** What an ESP run should show: every echo answered, each packet sealed once and opened once. */
export function espProblems(r: IpsecEspResult): string[] {
  const p: string[] = [];
  const tag = `ESP ${r.mode}`;
  if (r.replies !== r.echoes) p.push(`${tag}: ${r.replies}/${r.echoes} echoes answered`);
  if (r.linkPackets !== r.echoes + r.replies)
    p.push(`${tag}: ${r.linkPackets} packets on the link for ${r.echoes} echoes and ${r.replies} replies`);
  if (r.mode !== "none") {
    if (r.encaps.initiator !== r.echoes)
      p.push(`${tag}: ${r.encaps.initiator} packets encapsulated for ${r.echoes} echoes`);
    if (r.decaps.responder !== r.encaps.initiator)
      p.push(`${tag}: responder decapsulated ${r.decaps.responder} of ${r.encaps.initiator}`);
    if (r.encaps.responder !== r.replies)
      p.push(`${tag}: responder encapsulated ${r.encaps.responder} for ${r.replies} replies`);
    if (r.decaps.initiator !== r.encaps.responder)
      p.push(`${tag}: initiator decapsulated ${r.decaps.initiator} of ${r.encaps.responder}`);
    if (r.errors !== 0) p.push(`${tag}: ${r.errors} send/receive errors`);
  }
  return p;
}

/** What a tunnel-setup run should show: every tunnel up, every router holding exactly its tunnels. */
export function tunnelProblems(r: IpsecTunnelResult): string[] {
  if (r.tunnelsUp === r.tunnels && r.shortfalls.length === 0) return [];
  const show = (f: IpsecRouterShortfall) =>
    `${f.device} (expects ${f.expected}): ${f.state.qmIdle} QM_IDLE + ${f.state.otherIsakmp} other ISAKMP SAs, ${f.state.inboundEsp}/${f.state.outboundEsp} ESP SAs in/out`;
  const some = r.shortfalls.slice(0, 3).map(show).join("; ");
  return [
    `${r.layout} group ${r.group}: ${r.tunnelsUp}/${r.tunnels} tunnels up after ${fmt(r.virtualMs, 0)} virtual ms, ${r.shortfalls.length} router(s) short${some === "" ? "" : `: ${some}`}`,
  ];
}

/** Sorts rounds by a rate (higher is better) and keeps the best and the median. */
function summarize<T>(rounds: T[], rate: (r: T) => number): IpsecRounds<T> {
  const sorted = [...rounds].sort((a, b) => rate(b) - rate(a));
  return { best: sorted[0]!, median: sorted[Math.floor((sorted.length - 1) / 2)]!, rounds: sorted };
}

/** Runs the DH micro benchmark, then the tunnel-setup runs and the ESP runs, each in interleaved rounds. */
export async function benchIpsec(options: IpsecBenchOptions = {}): Promise<IpsecBenchReport> {
  const groups = options.groups ?? [2, 14];
  const hubGroups = options.hubGroups ?? [14];
  const modes = options.modes ?? ["none", "wasm", "native", "auto"];
  const rounds = options.rounds ?? 3;
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error("--rounds must be at least 1");
  const progress = options.progress ?? (() => {});
  progress(`DH groups ${groups.join(", ")}`);
  const dh = benchIkeDh({
    groups: [...new Set([...groups, ...hubGroups])].sort((a, b) => a - b),
    minMs: options.dhMinMs,
  });
  // A discarded run first: the first lab of a process runs visibly colder (JIT) than the next ones.
  progress("tunnels: warm-up run (not reported)");
  await benchIpsecTunnels({ tunnels: 20, group: groups[0] ?? hubGroups[0] ?? 14 });
  const runs: Array<[IpsecLayout, DhGroup]> = [
    ...groups.map((g): [IpsecLayout, DhGroup] => ["pairs", g]),
    ...hubGroups.map((g): [IpsecLayout, DhGroup] => ["hub", g]),
  ];
  const tunnelRounds: IpsecTunnelResult[][] = runs.map(() => []);
  const espRounds: IpsecEspResult[][] = modes.map(() => []);
  // Rounds interleave the configurations, so a burst of load elsewhere on the host hits them alike.
  for (let round = 1; round <= rounds; round++) {
    for (const [i, [layout, group]] of runs.entries()) {
      progress(
        `round ${round}/${rounds}: tunnels, ${options.tunnels ?? 50} ${layout === "hub" ? "spokes of a hub" : "peer pairs"}, group ${group}`,
      );
      tunnelRounds[i]!.push(await benchIpsecTunnels({ tunnels: options.tunnels, layout, group }));
    }
  }
  for (let round = 1; round <= rounds; round++) {
    for (const [i, mode] of modes.entries()) {
      progress(`round ${round}/${rounds}: ESP, ${mode === "none" ? "no crypto" : `WANLAB_CRYPTO=${mode}`}`);
      espRounds[i]!.push(await benchIpsecEsp({ mode, echoes: options.echoes, size: options.size }));
    }
  }
  const problems = [
    ...new Set([...tunnelRounds.flat().flatMap(tunnelProblems), ...espRounds.flat().flatMap(espProblems)]),
  ];
  return {
    dh,
    tunnels: tunnelRounds.map((r) => summarize(r, (t) => t.tunnelsPerSec)),
    esp: espRounds.map((r) => summarize(r, (e) => e.packetsPerSec)),
    problems,
  };
}

/** The report as plain-text tables: best and median rounds; ratios and targets use the median. */
export function renderIpsecReport(r: IpsecBenchReport): string {
  const dhMsOf = (t: IpsecTunnelResult): number | null =>
    r.dh.find((d) => d.group === t.group && d.backend === t.dhBackend && d.available)?.tunnelMs ?? null;
  const parts: string[] = [];
  const roundsText = (n: number) => `${n} round${n > 1 ? "s" : ""} interleaved, best and median`;
  if (r.tunnels.length > 0) {
    parts.push(
      renderTable(
        `IPsec tunnel setup: all tunnels triggered at once (peer pairs, or spokes of one hub), IKEv1 main mode + quick mode, PSK, AES-256/SHA-256, ESP AES-256/SHA-1, inline (one core), ${roundsText(r.tunnels[0]!.rounds.length)}; target >= ${TUNNELS_TARGET_PER_SEC}/s with group 14, strongSwan ~${STRONGSWAN_MS_PER_TUNNEL} ms/tunnel`,
        [
          "layout",
          "group",
          "routers",
          "up",
          "wall ms",
          "cpu ms",
          "virtual ms",
          "tunnels/s best",
          "tunnels/s median",
          "ms/tunnel median",
          "DH ms/tunnel",
          "DH share",
          "DH backend",
          "vs strongSwan",
          "vs target",
        ],
        r.tunnels.map(({ best, median, rounds }) => {
          const dhMs = dhMsOf(median);
          const worstUp = Math.min(...rounds.map((t) => t.tunnelsUp));
          return [
            median.layout,
            median.group,
            median.routers,
            `${worstUp}/${median.tunnels}`,
            fmt(median.wallMs, 1),
            fmt(median.cpuMs, 0),
            fmt(median.virtualMs, 0),
            fmt(best.tunnelsPerSec, 0),
            fmt(median.tunnelsPerSec, 0),
            fmt(median.msPerTunnel, 2),
            fmt(dhMs, 2),
            dhMs === null ? "-" : `${fmt((100 * dhMs) / median.msPerTunnel, 0)}%`,
            median.dhBackend,
            `${fmt(STRONGSWAN_MS_PER_TUNNEL / median.msPerTunnel, 1)}x`,
            `${fmt((100 * median.tunnelsPerSec) / TUNNELS_TARGET_PER_SEC, 0)}%`,
          ];
        }),
      ),
    );
    parts.push(
      renderTable(
        "IKE Diffie-Hellman alone (benchIkeDh): one tunnel = 2 key pairs + 2 shared secrets",
        [
          "group",
          "bits",
          "backend",
          "key pair ms",
          "secret ms",
          "DH ms/tunnel",
          "DH-only tunnels/s",
          "engine setup ms",
        ],
        r.dh.map((d) => [
          d.group,
          d.bits,
          d.available ? d.backend : `${d.backend} (unavailable)`,
          fmt(d.keyPairMs, 3),
          fmt(d.sharedSecretMs, 3),
          fmt(d.tunnelMs, 2),
          fmt(d.tunnelsPerSecond, 0),
          fmt(d.setupMs, 0),
        ]),
      ),
    );
  }
  if (r.esp.length > 0) {
    const base = r.esp.find((e) => e.median.mode === "none")?.median;
    const wasm = r.esp.find((e) => e.median.mode === "wasm")?.median;
    const e0 = r.esp[0]!.median;
    parts.push(
      renderTable(
        `ESP end to end: 2 routers, ping loopback to loopback, ${fmt(e0.echoes)} echoes of ${e0.size} bytes (one outstanding), virtual time as fast as possible, inline, ${roundsText(r.esp[0]!.rounds.length)}`,
        [
          "crypto",
          "replies",
          "link packets",
          "encaps I/R",
          "decaps I/R",
          "wall ms",
          "cpu ms",
          "virtual ms",
          "packets/s best",
          "packets/s median",
          "vs no crypto",
          "vs wasm",
        ],
        r.esp.map(({ best, median: e }) => [
          e.mode === "none" ? "none (baseline)" : e.autoChoice === null ? e.mode : `${e.mode} (-> ${e.autoChoice})`,
          `${e.replies}/${e.echoes}`,
          e.linkPackets,
          e.mode === "none" ? "-" : `${e.encaps.initiator}/${e.encaps.responder}`,
          e.mode === "none" ? "-" : `${e.decaps.initiator}/${e.decaps.responder}`,
          fmt(e.wallMs, 1),
          fmt(e.cpuMs, 0),
          fmt(e.virtualMs, 0),
          fmt(best.packetsPerSec, 0),
          fmt(e.packetsPerSec, 0),
          base === undefined ? "-" : `${fmt(e.packetsPerSec / base.packetsPerSec, 2)}x`,
          wasm === undefined || e.mode === "none" ? "-" : `${fmt(e.packetsPerSec / wasm.packetsPerSec, 2)}x`,
        ]),
      ),
    );
  }
  for (const p of r.problems) parts.push(`PROBLEM: ${p}\n`);
  return parts.join("\n");
}
