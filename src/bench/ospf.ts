// The OSPF scale benchmark as a library function (the CLI is src/cli/bench.ts):
// a generated single-area lab (ospf-topology.ts) runs on the virtual clock in
// 5-second steps until every adjacency is FULL (counted from %OSPF-5-ADJCHG)
// and every router holds all its OSPF routes (from `show ip route ospf`); it
// reports the wall time to get there, the virtual time, SPF runs (from `show
// ip ospf`), LS updates and LSAs sent (from `show ip ospf traffic`) and the
// process's peak RSS. Run it in a fresh process per placement for an RSS that
// means something.

import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import { runUntilConverged } from "./convergence.ts";
import { type OspfBenchShape, ospfLab } from "./ospf-topology.ts";

export interface OspfBenchOptions {
  routers: number;
  shape: OspfBenchShape;
  workers: number;
  seed?: number;
  /** Give up after this much virtual time (default 600 s). */
  maxVirtualSec?: number;
  progress?: (s: string) => void;
}

export interface OspfBenchResult {
  routers: number;
  shape: OspfBenchShape;
  links: number;
  workers: number;
  partitions: number;
  converged: boolean;
  /** Wall time from Lab.create to convergence (without the bench's own show commands), and the virtual time. */
  convergeWallMs: number;
  /** Wall time the bench spent polling `show ip route ospf` (not in convergeWallMs). */
  pollWallMs: number;
  virtualSec: number;
  createMs: number;
  adjacenciesFull: number;
  routersComplete: number;
  spfRuns: number;
  lsUpdatesSent: number;
  lsasSent: number;
  peakRssBytes: number;
}

/** Runs the lab to convergence and measures it. */
export async function benchOspf(o: OspfBenchOptions): Promise<OspfBenchResult> {
  const lab0 = ospfLab(o.routers, o.shape, o.seed ?? 1);
  const t0 = performance.now();
  const lab = await Lab.create(lab0.spec, { workers: o.workers, factories: deviceFactories });
  const createMs = performance.now() - t0;
  try {
    const run = await runUntilConverged(
      lab,
      lab0,
      {
        isUp: (t) => t.includes("%OSPF-5-ADJCHG") && t.includes(" to FULL,"),
        isDown: (t) => t.includes("%OSPF-5-ADJCHG") && t.includes(" to DOWN,"),
        routeCountCommand: "show ip route ospf | count ^O",
      },
      (o.maxVirtualSec ?? 600) * 1e9,
      o.progress,
    );
    const convergeWallMs = performance.now() - t0 - run.pollMs;
    let spfRuns = 0;
    let lsUpdatesSent = 0;
    let lsasSent = 0;
    for (const name of lab0.names) {
      const ospf = (await lab.command(name, "show ip ospf")).output;
      spfRuns += Number(/SPF algorithm executed (\d+) times/.exec(ospf)?.[1] ?? 0);
      const traffic = (await lab.command(name, "show ip ospf traffic")).output;
      const sent = traffic.slice(traffic.indexOf("Sent:"));
      lsUpdatesSent += Number(/(\d+) link state updates/.exec(sent)?.[1] ?? 0);
      lsasSent += Number(/LSAs sent in updates: (\d+)/.exec(traffic)?.[1] ?? 0);
    }
    return {
      routers: o.routers,
      shape: o.shape,
      links: lab0.links,
      workers: o.workers,
      partitions: lab.partitions,
      converged: run.converged,
      convergeWallMs,
      pollWallMs: run.pollMs,
      virtualSec: run.virtualNs / 1e9,
      createMs,
      adjacenciesFull: run.adjacencies,
      routersComplete: run.routersComplete,
      spfRuns,
      lsUpdatesSent,
      lsasSent,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    lab.close();
  }
}
