// Start-up benchmark as a library function (the CLI is src/cli/bench.ts):
// builds an idle fleet, creates the lab, runs one second of virtual time so
// every device has started and brought its links up, and reports wall time and
// memory. Peak RSS is the process's (Bun Workers are threads, so their heaps
// count); run it in a fresh process for a figure that means something.

import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import { idleFleet } from "./idle-fleet.ts";

/** One start-up run. */
export interface IdleStartOptions {
  /** Routers (default 1,000). */
  devices?: number;
  /** 0 = inline, N = N Bun Workers (default 0). */
  workers?: number;
  /** Virtual time to run after creation, in ms (default 1,000). */
  runMs?: number;
  seed?: number;
  /** Wall clock in ms (default performance.now). */
  now?: () => number;
  /** Resident set size in bytes right now (default process.memoryUsage().rss). */
  rss?: () => number;
  /** Peak resident set size of the process so far in bytes (default from process.resourceUsage()). */
  peakRss?: () => number;
}

/** Figures from one start-up run. */
export interface IdleStartResult {
  devices: number;
  workers: number;
  partitions: number;
  /** Generating the configurations and topology. */
  generateMs: number;
  /** Lab.create (inline: builds and starts every device; Workers: spawns them). */
  createMs: number;
  /** From the start of Lab.create to the end of the virtual run: every device up. */
  startMs: number;
  /** RSS before the lab was built, after it started, and the process peak. */
  rssBeforeBytes: number;
  rssAfterBytes: number;
  peakRssBytes: number;
  /** Devices that logged %SYS-5-CONFIG_I (should equal devices). */
  devicesStarted: number;
  /** Lines that reported a configuration error (should be 0). */
  configErrors: number;
  /** Serial interfaces up/up on the first router (should be 2). */
  firstRouterLinksUp: number;
  events: number;
}

/** Builds, starts and measures an idle fleet. */
export async function benchIdleStart(options: IdleStartOptions = {}): Promise<IdleStartResult> {
  const devices = options.devices ?? 1000;
  const workers = options.workers ?? 0;
  const now = options.now ?? (() => performance.now());
  const rss = options.rss ?? (() => process.memoryUsage().rss);
  const peakRss = options.peakRss ?? (() => process.resourceUsage().maxRSS * 1024);
  const rssBeforeBytes = rss();
  const t0 = now();
  const fleet = idleFleet({ devices, seed: options.seed });
  const t1 = now();
  const lab = await Lab.create(fleet.spec, { workers, factories: deviceFactories });
  const t2 = now();
  try {
    await lab.run((options.runMs ?? 1000) * 1_000_000);
    const t3 = now();
    const rssAfterBytes = rss();
    const devicesStarted = lab.syslog.filter((l) => l.text.includes("%SYS-5-CONFIG_I")).length;
    const configErrors = lab.syslog.filter((l) => l.text.includes(" config line ")).length;
    const brief = await lab.command(fleet.names[0]!, "show ip interface brief");
    const firstRouterLinksUp = brief.output.split("\n").filter((l) => /^Serial\S+.*\bup\s+up\s*$/.test(l)).length;
    return {
      devices,
      workers,
      partitions: lab.partitions,
      generateMs: t1 - t0,
      createMs: t2 - t1,
      startMs: t3 - t1,
      rssBeforeBytes,
      rssAfterBytes,
      peakRssBytes: Math.max(peakRss(), rssAfterBytes),
      devicesStarted,
      configErrors,
      firstRouterLinksUp,
      events: lab.events,
    };
  } finally {
    lab.close();
  }
}
