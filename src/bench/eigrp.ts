// The EIGRP scale benchmark as a library function (the CLI is src/cli/bench.ts):
// a generated grid (eigrp-topology.ts) runs on the virtual clock in 5-second
// steps until every adjacency is up (counted from %DUAL-5-NBRCHANGE) and every
// router holds all its EIGRP routes (from `show ip route eigrp`); it reports
// the wall time to get there, the virtual time, the updates, queries and
// replies sent (from `show ip eigrp traffic`) and the process's peak RSS. Run
// it in a fresh process per placement for an RSS that means something.

import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import { runUntilConverged } from "./convergence.ts";
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

/** Runs the lab to convergence and measures it. */
export async function benchEigrp(o: EigrpBenchOptions): Promise<EigrpBenchResult> {
  const lab0 = eigrpLab(o.routers, o.seed ?? 1);
  const t0 = performance.now();
  const lab = await Lab.create(lab0.spec, { workers: o.workers, factories: deviceFactories });
  const createMs = performance.now() - t0;
  try {
    const run = await runUntilConverged(
      lab,
      lab0,
      {
        isUp: (t) => t.includes("%DUAL-5-NBRCHANGE") && t.includes(" is up:"),
        isDown: (t) => t.includes("%DUAL-5-NBRCHANGE") && t.includes(" is down:"),
        routeCountCommand: "show ip route eigrp | count ^D",
      },
      (o.maxVirtualSec ?? 600) * 1e9,
      o.progress,
    );
    const convergeWallMs = performance.now() - t0 - run.pollMs;
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
      converged: run.converged,
      convergeWallMs,
      pollWallMs: run.pollMs,
      virtualSec: run.virtualNs / 1e9,
      createMs,
      adjacencies: run.adjacencies,
      routersComplete: run.routersComplete,
      updatesSent,
      queriesSent,
      repliesSent,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    lab.close();
  }
}
