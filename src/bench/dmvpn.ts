// The DMVPN scale benchmark as a library function (the CLI is src/cli/bench.ts):
// scenarios/dmvpn-1000 at n spokes (dmvpn-lab.ts) runs on the virtual clock and
// the wall time is taken at each milestone of a hub-and-spoke network coming up:
//   ipsec       (--ipsec group14) the hub holds an ISAKMP SA in QM_IDLE with
//               every spoke (crypto comes first: a spoke registers only
//               through its SA with the hub);
//   registered  every spoke's NHS is up (%DMVPN-5-NHRP_NHS_UP, 1 s steps);
//   routing     the hub has n EIGRP neighbours and every router its routes
//               (the hub n spoke LANs and its summary, each spoke the default),
//               through the shared convergence loop (convergence.ts); with
//               --routing ospf (point-to-multipoint) n FULL adjacencies on
//               Tunnel0 and 2n tunnel routes everywhere (every other router's
//               LAN and tunnel address, each a /32);
//   shortcuts   `pairs` seeded random spoke pairs (a, b): a pings b's LAN once
//               (through the hub, which redirects), then holds an NHRP route
//               (H; with OSPF the route through the hub with its next hop
//               overridden, %) to it and pings it again with every echo answered (looked
//               at every 2 s of virtual time, for up to 10 s).
// Wall times are cumulative from Lab.create and leave out the benchmark's own
// show commands. Run it in a fresh process per size and placement for a peak
// RSS that means something.

import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import { hashSeed, SeededRandom } from "../runtime/random.ts";
import type { ConvergenceProbe } from "./convergence.ts";
import { runUntilConverged } from "./convergence.ts";
import { type DmvpnIpsec, type DmvpnRouting, dmvpnLab } from "./dmvpn-lab.ts";

export type DmvpnBenchPhase = "ipsec" | "registering" | "routing" | "shortcuts";

/** Where a run is, for a progress bar. */
export interface DmvpnProgress {
  phase: DmvpnBenchPhase;
  done: number;
  total: number;
  virtualSec: number;
}

export interface DmvpnBenchOptions {
  spokes: number;
  workers: number;
  seed?: number;
  ipsec?: DmvpnIpsec;
  routing?: DmvpnRouting;
  /** Spoke pairs that must each ping through a shortcut (default 100, fewer if the lab has fewer). */
  pairs?: number;
  /** Give up after this much virtual time (default 900 s). */
  maxVirtualSec?: number;
  progress?: (p: DmvpnProgress) => void;
}

export interface DmvpnBenchResult {
  spokes: number;
  pes: number;
  workers: number;
  partitions: number;
  ipsec: DmvpnIpsec;
  routing: DmvpnRouting;
  /** Configuration lines the routers refused (a lab that means what it says has none). */
  configErrors: number;
  createMs: number;
  /** Cumulative wall time to each milestone (null: not reached), and virtual time at it. */
  ipsecMs: number | null;
  ipsecVirtualSec: number;
  /** ISAKMP SAs in QM_IDLE on the hub when last looked at. */
  hubSas: number;
  registeredMs: number | null;
  registeredVirtualSec: number;
  routingMs: number | null;
  routingVirtualSec: number;
  shortcutsMs: number | null;
  shortcutsVirtualSec: number;
  registered: number;
  neighbours: number;
  routersComplete: number;
  pairs: number;
  pairsOk: number;
  /** Wall time in the benchmark's own show commands (left out of the milestones). */
  pollWallMs: number;
  events: number;
  peakRssBytes: number;
}

const SECOND = 1e9;

/** Each hub-spoke adjacency is logged at both ends (no other router runs EIGRP). */
const EIGRP_PROBE: ConvergenceProbe = {
  isUp: (t) => t.includes("%DUAL-5-NBRCHANGE") && t.includes(" is up:"),
  isDown: (t) => t.includes("%DUAL-5-NBRCHANGE") && t.includes(" is down:"),
  routeCountCommand: "show ip route eigrp | count ^D",
};

/** The tunnel's adjacencies only (the hub's first process runs the provider core), and the tunnel's routes. */
const OSPF_PROBE: ConvergenceProbe = {
  isUp: (t) => t.includes("%OSPF-5-ADJCHG") && t.includes(" on Tunnel0 ") && t.includes(" to FULL,"),
  isDown: (t) => t.includes("%OSPF-5-ADJCHG") && t.includes(" on Tunnel0 ") && t.includes(" to DOWN,"),
  routeCountCommand: "show ip route ospf | count Tunnel0",
};
/** Looks, 2 s of virtual time apart, for a pair's shortcut and echoes (on-demand IPsec SAs take a few). */
const SHORTCUT_LOOKS = 5;

/** Runs the lab through the milestones and measures it. */
export async function benchDmvpn(o: DmvpnBenchOptions): Promise<DmvpnBenchResult> {
  const seed = o.seed ?? 1;
  const ipsec = o.ipsec ?? "none";
  const routing = o.routing ?? "eigrp";
  const lab0 = dmvpnLab(o.spokes, seed, ipsec, routing);
  const n = lab0.spokes.length;
  const maxNs = (o.maxVirtualSec ?? 900) * SECOND;
  const t0 = performance.now();
  const lab = await Lab.create(lab0.spec, { workers: o.workers, factories: deviceFactories });
  const createMs = performance.now() - t0;
  let pollMs = 0;
  const wall = () => performance.now() - t0 - pollMs;
  const result: DmvpnBenchResult = {
    spokes: n,
    pes: lab0.pes,
    workers: o.workers,
    partitions: lab.partitions,
    ipsec,
    routing,
    configErrors: 0,
    createMs,
    ipsecMs: null,
    ipsecVirtualSec: 0,
    hubSas: 0,
    registeredMs: null,
    registeredVirtualSec: 0,
    routingMs: null,
    routingVirtualSec: 0,
    shortcutsMs: null,
    shortcutsVirtualSec: 0,
    registered: 0,
    neighbours: 0,
    routersComplete: 0,
    pairs: 0,
    pairsOk: 0,
    pollWallMs: 0,
    events: 0,
    peakRssBytes: 0,
  };
  try {
    // IPsec, then registered: each spoke logs its NHS up (and down again if it loses it).
    const up = new Set<string>();
    let seen = 0;
    while (lab.now < maxNs) {
      await lab.run(SECOND);
      for (; seen < lab.syslog.length; seen++) {
        const text = lab.syslog[seen]!.text;
        const device = text.slice(0, text.indexOf(":"));
        if (text.includes("%DMVPN-5-NHRP_NHS_UP")) up.add(device);
        else if (text.includes("%DMVPN-5-NHRP_NHS_DOWN")) up.delete(device);
        else if (/ config line \d+: /.test(text)) result.configErrors++;
      }
      if (ipsec !== "none" && result.ipsecMs === null) {
        const p0 = performance.now();
        const sas = await lab.command(lab0.hub, "show crypto isakmp sa | count QM_IDLE");
        pollMs += performance.now() - p0;
        result.hubSas = Number(/= (\d+)/.exec(sas.output)?.[1] ?? 0);
        if (result.hubSas === n) {
          result.ipsecMs = wall();
          result.ipsecVirtualSec = lab.now / SECOND;
        }
        o.progress?.({ phase: "ipsec", done: result.hubSas, total: n, virtualSec: lab.now / SECOND });
        if (result.ipsecMs === null) continue;
      }
      o.progress?.({ phase: "registering", done: up.size, total: n, virtualSec: lab.now / SECOND });
      if (up.size === n) break;
    }
    result.registered = up.size;
    if (up.size < n || (ipsec !== "none" && result.ipsecMs === null)) return result;
    result.registeredMs = wall();
    result.registeredVirtualSec = lab.now / SECOND;

    // Routing: EIGRP's hub counts its summary among its routes (D* ... Null0).
    const eigrp = routing === "eigrp";
    const run = await runUntilConverged(
      lab,
      {
        names: [lab0.hub, ...lab0.spokes],
        links: n,
        expectedRoutes: eigrp ? [n + 1, ...lab0.spokes.map(() => 1)] : [2 * n, ...lab0.spokes.map(() => 2 * n)],
      },
      eigrp ? EIGRP_PROBE : OSPF_PROBE,
      maxNs - lab.now,
      (_, c) =>
        o.progress?.({
          phase: "routing",
          done: c.adjacencies < c.links ? c.adjacencies : c.routersComplete,
          total: c.adjacencies < c.links ? c.links : c.routers,
          virtualSec: lab.now / SECOND,
        }),
    );
    pollMs += run.pollMs;
    result.neighbours = run.adjacencies;
    result.routersComplete = run.routersComplete;
    if (!run.converged) return result;
    result.routingMs = wall();
    result.routingVirtualSec = lab.now / SECOND;

    // Shortcuts: rounds in which each spoke sends from one console at a time.
    const pairs = pickPairs(n, o.pairs ?? 100, seed);
    result.pairs = pairs.length;
    const target = (b: number) => lab0.lans[b]!;
    for (const round of rounds(pairs)) {
      await lab.commands(
        round.map(([a, b]) => ({ device: lab0.spokes[a]!, line: `ping ${target(b)} source Loopback0 repeat 1` })),
      );
      let pending = round;
      for (let look = 0; look < SHORTCUT_LOOKS && pending.length > 0; look++) {
        await lab.run(2 * SECOND);
        const p0 = performance.now();
        const routes = await lab.commands(
          pending.map(([a]) => ({ device: lab0.spokes[a]!, line: `show ip route | include ${eigrp ? "^H " : "%"}` })),
        );
        pollMs += performance.now() - p0;
        const routed = pending.filter(([, b], k) => {
          const network = target(b).replace(/\.\d+$/, ".0");
          const marked = eigrp ? "^H\\s+" : "^O\\s+%\\s+";
          // Without the mask when its classful network is subnetted with one mask only, as IOS prints it
          // ("172.17.0.0/24 is subnetted, 1 subnets" then "H 172.17.149.0 is directly connected").
          return new RegExp(`${marked}${network.replaceAll(".", "\\.")}(/24)? `, "m").test(routes[k]!.output);
        });
        const pings = await lab.commands(
          routed.map(([a, b]) => ({ device: lab0.spokes[a]!, line: `ping ${target(b)} source Loopback0` })),
        );
        const done = new Set(routed.filter((_, k) => pings[k]!.output.includes("Success rate is 100 percent")));
        result.pairsOk += done.size;
        pending = pending.filter((pair) => !done.has(pair));
        o.progress?.({ phase: "shortcuts", done: result.pairsOk, total: pairs.length, virtualSec: lab.now / SECOND });
      }
    }
    if (result.pairsOk === pairs.length) {
      result.shortcutsMs = wall();
      result.shortcutsVirtualSec = lab.now / SECOND;
    }
    return result;
  } finally {
    result.pollWallMs = pollMs;
    result.events = lab.events;
    result.peakRssBytes = process.resourceUsage().maxRSS * 1024;
    lab.close();
  }
}

/** `count` distinct ordered spoke pairs (a != b), drawn from the seed. */
export function pickPairs(spokes: number, count: number, seed: number): Array<[number, number]> {
  const random = new SeededRandom(hashSeed(seed, "bench dmvpn pairs"));
  const wanted = Math.min(count, spokes * (spokes - 1));
  const chosen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  while (pairs.length < wanted) {
    const a = random.nextU32() % spokes;
    const b = random.nextU32() % spokes;
    if (a === b || chosen.has(a * spokes + b)) continue;
    chosen.add(a * spokes + b);
    pairs.push([a, b]);
  }
  return pairs;
}

/** Pairs grouped so no spoke sends twice in one round (one console command per device at a time). */
function rounds(pairs: ReadonlyArray<[number, number]>): Array<Array<[number, number]>> {
  const out: Array<{ sources: Set<number>; pairs: Array<[number, number]> }> = [];
  for (const pair of pairs) {
    let round = out.find((r) => !r.sources.has(pair[0]));
    if (round === undefined) out.push((round = { sources: new Set(), pairs: [] }));
    round.sources.add(pair[0]);
    round.pairs.push(pair);
  }
  return out.map((r) => r.pairs);
}
