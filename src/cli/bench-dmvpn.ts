// `bun run bench dmvpn [--spokes 1000] [--phase 3] [--routing eigrp|ospf] [--ipsec group14|none] [--workers 0,1,2] [--pairs 100] [--seed 1]`:
// for 100, 250, 500 and 1000 spokes (up to --spokes) and each worker count, one
// fresh process (its peak RSS its own) runs src/bench/dmvpn.ts; the parent
// prints the milestones, the 2-Worker speed-up and the growth
// (src/bench/dmvpn-report.ts). The child draws a progress bar on stderr when
// that is a terminal.

import { benchDmvpn, type DmvpnBenchResult } from "../bench/dmvpn.ts";
import type { DmvpnIpsec, DmvpnRouting } from "../bench/dmvpn-lab.ts";
import { dmvpnSizes, renderDmvpnReport } from "../bench/dmvpn-report.ts";
import { progressBar } from "../bench/progress-bar.ts";
import { ArgsError, type CliArgs, integerFlag, seedFlag } from "./args.ts";
import { benchInChild } from "./bench-child.ts";

/** The flags `bench dmvpn` reads. */
export const DMVPN_BENCH_OPTIONS = ["spokes", "phase", "routing", "ipsec", "pairs"];

export interface DmvpnBenchRun {
  results: DmvpnBenchResult[];
  /** Runs that threw, and runs that did not reach every milestone. */
  failures: Array<{ size: number; workers: number; error: string }>;
  problems: string[];
  report: string;
}

interface Settings {
  ipsec: DmvpnIpsec;
  routing: DmvpnRouting;
  spokes: number;
  pairs: number;
  seed: number;
}

function settings(args: CliArgs): Settings {
  const phase = args.flags.get("phase") ?? "3";
  if (phase !== "3") throw new ArgsError("--phase: the scale lab is DMVPN phase 3 (scenarios/dmvpn-1000); only 3");
  const routing = args.flags.get("routing") ?? "eigrp";
  if (routing !== "eigrp" && routing !== "ospf")
    throw new ArgsError("--routing is eigrp (the hub summarising to a default) or ospf (point-to-multipoint)");
  const ipsec = args.flags.get("ipsec") ?? "none";
  if (ipsec !== "none" && ipsec !== "group14")
    throw new ArgsError("--ipsec is group14 (IKEv1 with DH group 14, ESP in transport mode) or none");
  return {
    ipsec,
    routing,
    spokes: integerFlag(args, "spokes", 1000, 2, 6000),
    pairs: integerFlag(args, "pairs", 100, 1, 10_000),
    seed: seedFlag(args),
  };
}

/** One size and placement in this process (the child's side). */
export async function dmvpnSingle(args: CliArgs, workers: number): Promise<DmvpnBenchResult> {
  const s = settings(args);
  const bar = progressBar(process.stderr);
  const label = `dmvpn ${s.spokes} spokes, ${workers === 0 ? "inline" : `${workers} workers`}`;
  try {
    return await benchDmvpn({
      spokes: s.spokes,
      workers,
      seed: s.seed,
      pairs: s.pairs,
      ipsec: s.ipsec,
      routing: s.routing,
      progress: (p) => bar.update(`${label}: ${p.phase} (${Math.round(p.virtualSec)} s virtual)`, p.done, p.total),
    });
  } finally {
    bar.clear();
  }
}

/** Every size and worker count, each in a fresh process running `script dmvpn --single`. */
export function dmvpnBench(args: CliArgs, workerCounts: number[], script: string, quiet: boolean): DmvpnBenchRun {
  const s = settings(args);
  const run: DmvpnBenchRun = { results: [], failures: [], problems: [], report: "" };
  for (const size of dmvpnSizes(s.spokes))
    for (const workers of workerCounts) {
      if (!quiet) process.stderr.write(`dmvpn: ${size} spokes, workers ${workers}...\n`);
      const child = benchInChild<DmvpnBenchResult>(
        script,
        "dmvpn",
        { spokes: size, workers, pairs: s.pairs, seed: s.seed, ipsec: s.ipsec, routing: s.routing },
        true, // the child's progress bar shows on the terminal
      );
      if (!child.ok) {
        run.failures.push({ size, workers, error: `dmvpn: exit status ${child.status}` });
        continue;
      }
      const r = child.result;
      run.results.push(r);
      if (r.shortcutsMs === null)
        run.problems.push(
          `dmvpn ${size} spokes, workers ${workers}: ${r.ipsec === "none" ? "" : `${r.hubSas}/${r.spokes} hub ISAKMP SAs, `}${r.registered}/${r.spokes} registered, ${r.neighbours} ${r.routing === "eigrp" ? "EIGRP neighbours" : "OSPF adjacencies"}, ${r.routersComplete}/${r.spokes + 1} routers complete, ${r.pairsOk}/${r.pairs} shortcut pairs`,
        );
      if (r.configErrors > 0)
        run.problems.push(`dmvpn ${size} spokes, workers ${workers}: ${r.configErrors} configuration lines refused`);
    }
  run.report = [
    renderDmvpnReport(run.results, s.ipsec, s.routing),
    ...run.problems.map((p) => `not reached: ${p}\n`),
    ...run.failures.map((f) => `FAILED: ${f.size} spokes, workers ${f.workers}: ${f.error}\n`),
  ].join("");
  return run;
}
