// The tables `bench dmvpn` prints: one row per size and placement with the
// wall time to each milestone, then the 2-Worker speed-up over 1 Worker and
// the growth of the wall time with the number of spokes next to n log n.

import type { DmvpnBenchResult } from "./dmvpn.ts";
import { type Cell, fmt, renderTable } from "./table.ts";

/** Issue #14's targets for 1000 spokes on a 2-core machine. */
export const DMVPN_TARGET_MS = 60_000;
export const DMVPN_TARGET_RSS = 2 * 1024 * 1024 * 1024;
export const DMVPN_TARGET_SPEEDUP = 1.3;

/** The sizes a run measures: 100, 250, 500, 1000 below `spokes`, then `spokes`. */
export function dmvpnSizes(spokes: number): number[] {
  return [...[100, 250, 500, 1000].filter((s) => s < spokes), spokes];
}

const mode = (workers: number) => (workers === 0 ? "inline" : `${workers} worker${workers > 1 ? "s" : ""}`);
const seconds = (ms: number | null): Cell => (ms === null ? "-" : fmt(ms / 1000, 2));
const mb = (bytes: number) => bytes / (1024 * 1024);

/** The wall time to the last milestone reached with everything done, or null. */
export function totalMs(r: DmvpnBenchResult): number | null {
  return r.shortcutsMs;
}

export function renderDmvpnReport(results: readonly DmvpnBenchResult[], ipsec: string, routing = "eigrp"): string {
  const tables: string[] = [];
  const withIpsec = ipsec !== "none";
  tables.push(
    renderTable(
      `DMVPN phase 3 scale (scenarios/dmvpn-1000): a hub and n spokes behind n/25 provider-edge routers, ${routing === "eigrp" ? "EIGRP over mGRE with the hub summarising to a default" : "OSPF point-to-multipoint over mGRE"}, IPsec ${withIpsec ? "IKEv1 DH group 14, ESP transport mode" : "none"}; wall seconds from Lab.create to each milestone (the benchmark's show commands left out): ${withIpsec ? "the hub with an ISAKMP SA per spoke, " : ""}every spoke registered, the hub with n ${routing === "eigrp" ? "EIGRP neighbours" : "FULL adjacencies"} and every router its routes, seeded spoke pairs each pinging through an NHRP shortcut; targets at 1000 spokes < ${DMVPN_TARGET_MS / 1000} s, < ${fmt(mb(DMVPN_TARGET_RSS), 0)} MB`,
      [
        "spokes",
        "PEs",
        "mode",
        "create s",
        ...(withIpsec ? ["IPsec s"] : []),
        "registered s",
        "routing s",
        "shortcuts s",
        "pairs ok",
        "virtual s",
        "events",
        "peak RSS MB",
      ],
      results.map((r) => [
        r.spokes,
        r.pes,
        mode(r.workers),
        seconds(r.createMs),
        ...(withIpsec ? [seconds(r.ipsecMs)] : []),
        seconds(r.registeredMs),
        seconds(r.routingMs),
        seconds(r.shortcutsMs),
        `${r.pairsOk}/${r.pairs}`,
        fmt(Math.max(r.registeredVirtualSec, r.routingVirtualSec, r.shortcutsVirtualSec), 0),
        r.events,
        fmt(mb(r.peakRssBytes), 0),
      ]),
    ),
  );
  const sizes = [...new Set(results.map((r) => r.spokes))];
  const find = (spokes: number, workers: number) => results.find((r) => r.spokes === spokes && r.workers === workers);
  const speedups = sizes.flatMap((spokes): Cell[][] => {
    const one = find(spokes, 1);
    const two = find(spokes, 2);
    const a = one === undefined ? null : totalMs(one);
    const b = two === undefined ? null : totalMs(two);
    if (a === null || b === null) return [];
    return [[spokes, seconds(a), seconds(b), `${fmt(a / b, 2)}x`, a / b >= DMVPN_TARGET_SPEEDUP ? "ok" : "under"]];
  });
  if (speedups.length > 0)
    tables.push(
      renderTable(
        `2 Workers over 1 (wall seconds to the last milestone); target ${DMVPN_TARGET_SPEEDUP}x`,
        ["spokes", "1 worker s", "2 workers s", "speed-up", "target"],
        speedups,
      ),
    );
  const growth = [...new Set(results.map((r) => r.workers))].flatMap((workers): Cell[][] => {
    const runs = sizes.map((s) => find(s, workers)).filter((r) => r !== undefined && totalMs(r) !== null);
    const base = runs[0];
    if (base === undefined || runs.length < 2) return [];
    const nlogn = (n: number) => n * Math.log2(n);
    return runs.slice(1).map((r) => {
      const ratio = totalMs(r!)! / totalMs(base)!;
      const bound = nlogn(r!.spokes) / nlogn(base.spokes);
      return [
        mode(workers),
        `${base.spokes} -> ${r!.spokes}`,
        `${fmt(ratio, 2)}x`,
        `${fmt(bound, 2)}x`,
        `${fmt(mb(r!.peakRssBytes) / mb(base.peakRssBytes), 2)}x`,
        ratio <= bound ? "ok" : "over",
      ];
    });
  });
  if (growth.length > 0)
    tables.push(
      renderTable(
        "Growth with the number of spokes: wall time to the last milestone against n log n",
        ["mode", "spokes", "wall time", "n log n", "peak RSS", "growth"],
        growth,
      ),
    );
  return tables.join("\n");
}
