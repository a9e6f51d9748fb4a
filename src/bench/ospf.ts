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

const STEP_NS = 5e9;

/** Runs the lab to convergence and measures it. */
export async function benchOspf(o: OspfBenchOptions): Promise<OspfBenchResult> {
  const lab0 = ospfLab(o.routers, o.shape, o.seed ?? 1);
  const t0 = performance.now();
  const lab = await Lab.create(lab0.spec, { workers: o.workers, factories: deviceFactories });
  const createMs = performance.now() - t0;
  try {
    const maxNs = (o.maxVirtualSec ?? 600) * 1e9;
    let virtual = 0;
    let full = 0;
    let complete = 0;
    let converged = false;
    const pending = new Set(lab0.names.map((_, i) => i));
    let pollMs = 0;
    while (virtual < maxNs) {
      await lab.run(STEP_NS);
      virtual += STEP_NS;
      const ups = lab.syslog.filter((l) => l.text.includes("%OSPF-5-ADJCHG") && l.text.includes(" to FULL,")).length;
      const downs = lab.syslog.filter((l) => l.text.includes("%OSPF-5-ADJCHG") && l.text.includes(" to DOWN,")).length;
      full = ups - downs;
      if (full < 2 * lab0.links) continue;
      // Every adjacency is up: now every router must hold all its routes (asked of all routers at once).
      const p0 = performance.now();
      const asked = [...pending];
      const outputs = await lab.commands(
        asked.map((i) => ({ device: lab0.names[i]!, line: "show ip route ospf | count ^O" })),
      );
      asked.forEach((i, j) => {
        const routes = Number(/= (\d+)/.exec(outputs[j]!.output)?.[1] ?? -1);
        if (routes === lab0.expectedRoutes[i]) pending.delete(i);
      });
      pollMs += performance.now() - p0;
      complete = lab0.names.length - pending.size;
      o.progress?.(
        `${virtual / 1e9} s virtual: ${full / 2}/${lab0.links} adjacencies, ${complete}/${o.routers} routers complete`,
      );
      if (pending.size === 0) {
        converged = true;
        break;
      }
    }
    const convergeWallMs = performance.now() - t0 - pollMs;
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
      converged,
      convergeWallMs,
      pollWallMs: pollMs,
      virtualSec: virtual / 1e9,
      createMs,
      adjacenciesFull: full / 2,
      routersComplete: complete,
      spfRuns,
      lsUpdatesSent,
      lsasSent,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    lab.close();
  }
}
