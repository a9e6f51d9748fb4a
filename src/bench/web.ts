// `bench web`: what the dashboard costs on a generated idle fleet (a ring of N
// routers, bench/idle-fleet.ts). The poll behind the counter stream (the
// `interfaces` request to every device at one virtual time): its wall time and
// the size of one update; the wall time of virtual seconds in which every
// router sends a UDP stream around the ring, without a poll and with one per
// virtual second (the stream's rate when the lab keeps up with the wall
// clock), rounds interleaved; and the page's load time in headless Chromium
// (Debian's chromium through playwright-core) until every device is drawn
// and the first update applied.

import { existsSync } from "node:fs";
import { DashboardLab } from "../web/dashboard-lab.ts";
import { serveDashboard } from "../web/server.ts";
import { idleFleet } from "./idle-fleet.ts";

/** What to measure. */
export interface WebBenchOptions {
  devices: number;
  workers?: number;
  /** Virtual seconds of each timed run (default 5). */
  seconds?: number;
  /** Chromium to load the page in (default /usr/bin/chromium; the page load is skipped without one). */
  chromium?: string;
}

/** Figures from one run. */
export interface WebBenchResult {
  devices: number;
  workers: number;
  /** Wall time to build and boot the lab (2 virtual seconds) and poll it once. */
  startMs: number;
  /** One poll of every device, wall time: median and largest of the timed run's polls. */
  pollMedianMs: number;
  pollMaxMs: number;
  /** One update as the stream sends it (JSON). */
  updateBytes: number;
  /** Packets out of every interface by the last poll, as it reported them (the streams and their forwarding). */
  packetsOut: number;
  /** Drops of every interface by the last poll (0: the streams fit the links). */
  drops: number;
  /** Wall time of `seconds` virtual seconds of traffic without polls, and with a poll after each virtual second. */
  runMs: number;
  runWithPollsMs: number;
  /** The polls' wall time over the traffic's (one update per virtual second), in percent. */
  streamCostPct: number;
  /** The same seen as the difference of the two runs' wall times (noisier: other load on the machine shows). */
  wallDiffPct: number;
  /** Page load until every device is drawn and the first update applied; null when skipped. */
  pageLoadMs: number | null;
  pageSkipped?: string;
}

/** Each router's stream: 800 datagrams of 100 bytes a second; two streams share each T1 (1.33 of 1.544 Mbit/s). */
const STREAM_PPS = 800;
/** Each router sends to the router this many hops on around the ring. */
const STREAM_HOPS = 2;

export async function benchWeb(options: WebBenchOptions): Promise<WebBenchResult> {
  const workers = options.workers ?? 0;
  const seconds = options.seconds ?? 5;
  const fleet = idleFleet({ devices: options.devices });
  const t0 = performance.now();
  const lab = await DashboardLab.fromSpec(`idle-${options.devices}`, fleet.spec, { workers, wallClock: false });
  const startMs = performance.now() - t0;
  try {
    // Every router sends a UDP stream around the ring to the router two hops on, one virtual second at a
    // time; rounds alternate without and with a poll after them, so both see the same lab and the same JIT.
    const streams = fleet.names.map((device, n) => ({
      device,
      line: `traffic udp ${fleet.loopbacks[(n + STREAM_HOPS) % fleet.names.length]} size 100 rate ${STREAM_PPS} count ${STREAM_PPS}`,
    }));
    await lab.lab.commands(streams); // warm-up
    let runMs = 0;
    let runWithPollsMs = 0;
    const polls: number[] = [];
    for (let s = 0; s < seconds; s++) {
      const a = performance.now();
      await lab.lab.commands(streams);
      runMs += performance.now() - a;
      const b = performance.now();
      await lab.lab.commands(streams);
      const p = performance.now();
      await lab.poll();
      polls.push(performance.now() - p);
      runWithPollsMs += performance.now() - b;
    }
    polls.sort((a, b) => a - b);
    const result: WebBenchResult = {
      devices: options.devices,
      workers,
      startMs,
      pollMedianMs: polls[Math.floor(polls.length / 2)]!,
      pollMaxMs: polls[polls.length - 1]!,
      updateBytes: Buffer.byteLength(JSON.stringify(lab.state)),
      packetsOut: Object.values(lab.state.interfaces)
        .flat()
        .reduce((sum, i) => sum + i.outPackets, 0),
      drops: Object.values(lab.state.interfaces)
        .flat()
        .reduce((sum, i) => sum + i.drops, 0),
      runMs,
      runWithPollsMs,
      streamCostPct: (100 * polls.reduce((a, b) => a + b, 0)) / runMs,
      wallDiffPct: (100 * (runWithPollsMs - runMs)) / runMs,
      pageLoadMs: null,
    };
    const chromium = options.chromium ?? "/usr/bin/chromium";
    if (!existsSync(chromium)) result.pageSkipped = `no chromium at ${chromium}`;
    else result.pageLoadMs = await pageLoad(lab, chromium, options.devices);
    return result;
  } finally {
    lab.close();
  }
}

/** Opens the dashboard in headless Chromium: ms until every device is drawn and the first update applied. */
async function pageLoad(lab: DashboardLab, executablePath: string, devices: number): Promise<number> {
  // A dev dependency, loaded only here.
  const { chromium } = await import("playwright-core");
  const dashboard = serveDashboard(lab);
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const t0 = performance.now();
    await page.goto(dashboard.url);
    await page.waitForFunction(
      (n) => {
        const w = (
          globalThis as unknown as {
            wanlab?: { cy: { nodes(s: string): { length: number } }; state(): { timeNs: number } };
          }
        ).wanlab;
        return w !== undefined && w.cy.nodes("[device]").length === n && w.state().timeNs > 0;
      },
      devices,
      { timeout: 60_000, polling: 50 },
    );
    return performance.now() - t0;
  } finally {
    await browser.close();
    dashboard.stop();
  }
}
