// The EIGRP scale benchmark as a library function (the CLI is src/cli/bench.ts):
// a generated grid (eigrp-topology.ts) runs on the virtual clock in 5-second
// steps until every adjacency is up (counted from %DUAL-5-NBRCHANGE) and every
// router holds all its EIGRP routes (from `show ip route eigrp`); it reports
// the wall time to get there, the virtual time, the updates, queries and
// replies sent (from `show ip eigrp traffic`) and the process's peak RSS. Run
// it in a fresh process per placement for an RSS that means something.

import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import { eigrpLab } from "./eigrp-topology.ts";

export interface EigrpBenchOptions {
  routers: number;
  workers: number;
  seed?: number;
  /** Give up after this much virtual time (default 600 s). */
  maxVirtualSec?: number;
  progress?: (s: string) => void;
}

export interface EigrpBenchResult {
  routers: number;
  links: number;
  workers: number;
  partitions: number;
  converged: boolean;
  /** Wall time from Lab.create to convergence (without the bench's own show commands), and the virtual time. */
  convergeWallMs: number;
  pollWallMs: number;
  virtualSec: number;
  createMs: number;
  adjacencies: number;
  routersComplete: number;
  updatesSent: number;
  queriesSent: number;
  repliesSent: number;
  peakRssBytes: number;
}

const STEP_NS = 5e9;

/** Runs the lab to convergence and measures it. */
export async function benchEigrp(o: EigrpBenchOptions): Promise<EigrpBenchResult> {
  const lab0 = eigrpLab(o.routers, o.seed ?? 1);
  const t0 = performance.now();
  const lab = await Lab.create(lab0.spec, { workers: o.workers, factories: deviceFactories });
  const createMs = performance.now() - t0;
  try {
    const maxNs = (o.maxVirtualSec ?? 600) * 1e9;
    let virtual = 0;
    let up = 0;
    let complete = 0;
    let converged = false;
    const pending = new Set(lab0.names.map((_, i) => i));
    let pollMs = 0;
    while (virtual < maxNs) {
      await lab.run(STEP_NS);
      virtual += STEP_NS;
      const ups = lab.syslog.filter((l) => l.text.includes("%DUAL-5-NBRCHANGE") && l.text.includes(" is up:")).length;
      const downs = lab.syslog.filter(
        (l) => l.text.includes("%DUAL-5-NBRCHANGE") && l.text.includes(" is down:"),
      ).length;
      up = ups - downs;
      if (up < 2 * lab0.links) continue;
      const p0 = performance.now();
      const asked = [...pending];
      const outputs = await lab.commands(
        asked.map((i) => ({ device: lab0.names[i]!, line: "show ip route eigrp | count ^D" })),
      );
      asked.forEach((i, j) => {
        const routes = Number(/= (\d+)/.exec(outputs[j]!.output)?.[1] ?? -1);
        if (routes === lab0.expectedRoutes[i]) pending.delete(i);
      });
      pollMs += performance.now() - p0;
      complete = lab0.names.length - pending.size;
      o.progress?.(
        `${virtual / 1e9} s virtual: ${up / 2}/${lab0.links} adjacencies, ${complete}/${o.routers} routers complete`,
      );
      if (pending.size === 0) {
        converged = true;
        break;
      }
    }
    const convergeWallMs = performance.now() - t0 - pollMs;
    let updatesSent = 0;
    let queriesSent = 0;
    let repliesSent = 0;
    const traffic = await lab.commands(lab0.names.map((device) => ({ device, line: "show ip eigrp traffic" })));
    for (const t of traffic) {
      updatesSent += Number(/Updates sent\/received: (\d+)/.exec(t.output)?.[1] ?? 0);
      queriesSent += Number(/Queries sent\/received: (\d+)/.exec(t.output)?.[1] ?? 0);
      repliesSent += Number(/Replies sent\/received: (\d+)/.exec(t.output)?.[1] ?? 0);
    }
    return {
      routers: o.routers,
      links: lab0.links,
      workers: o.workers,
      partitions: lab.partitions,
      converged,
      convergeWallMs,
      pollWallMs: pollMs,
      virtualSec: virtual / 1e9,
      createMs,
      adjacencies: up / 2,
      routersComplete: complete,
      updatesSent,
      queriesSent,
      repliesSent,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    lab.close();
  }
}
