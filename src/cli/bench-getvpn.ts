// `bench getvpn [--members 1000,4000,8000] [--workers 0,2] [--seed 1]`: the
// GETVPN scale benchmark (src/bench/getvpn.ts), one fresh process per size and
// worker count so that each peak RSS is its own run's.

import { benchGetvpn, type GetvpnBenchResult, renderGetvpnReport } from "../bench/getvpn.ts";
import { type CliArgs, numberFlag } from "./args.ts";
import { benchInChild } from "./bench-child.ts";

/** The flags `bench getvpn` reads besides workers and seed. */
export const GETVPN_BENCH_OPTIONS = ["members"];

function list(a: CliArgs, name: string, fallback: number[]): number[] {
  const v = a.flags.get(name);
  if (v === undefined) return fallback;
  const out = v === true ? [] : v.split(",").map((s) => Number(s.trim()));
  if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < 0))
    throw new Error(`--${name} needs a comma-separated list of whole numbers, e.g. 1000,4000`);
  return out;
}

/** One size and worker count in this process (`--single`). */
export async function getvpnSingle(a: CliArgs): Promise<GetvpnBenchResult> {
  const members = list(a, "members", [1000])[0]!;
  const progress = (s: string) => process.stderr.write(`getvpn ${members}: ${s}\n`);
  return benchGetvpn({ members, workers: numberFlag(a, "workers", 0), seed: numberFlag(a, "seed", 1), progress });
}

/** Every size and worker count, each in a child process running `script getvpn --single`. */
export function getvpnBench(
  a: CliArgs,
  script: string,
  json: boolean,
): { report: string; results: GetvpnBenchResult[]; problems: string[] } {
  const results: GetvpnBenchResult[] = [];
  const problems: string[] = [];
  const seed = numberFlag(a, "seed", 1);
  for (const members of list(a, "members", [1000, 4000, 8000]))
    for (const workers of list(a, "workers", [0, 2])) {
      if (!json) process.stderr.write(`getvpn: ${members} members, workers ${workers}...\n`);
      const child = benchInChild<GetvpnBenchResult>(script, "getvpn", { members, workers, seed }, true);
      if (!child.ok) {
        problems.push(`getvpn ${members} members, workers ${workers}: the run failed`);
        continue;
      }
      const r = child.result;
      results.push(r);
      if (r.registerMs === null) problems.push(`getvpn ${members}: only ${r.registered} members registered`);
      else if (r.rekeyMs === null) problems.push(`getvpn ${members}: only ${r.rekeyAcks} rekey acknowledgements`);
    }
  return { report: renderGetvpnReport(results), results, problems };
}
