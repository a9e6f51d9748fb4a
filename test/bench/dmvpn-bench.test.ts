// The DMVPN scale benchmark on a small lab (scenarios/dmvpn-1000 at 10 spokes):
// every milestone must be reached in order, each spoke pair must end with an
// NHRP route and a full ping, and a run given too little virtual time reports
// the milestones it missed. The progress bar draws only on a terminal.
import { describe, expect, test } from "bun:test";
import { benchDmvpn, type DmvpnProgress, pickPairs } from "../../src/bench/dmvpn.ts";
import { dmvpnSizes, renderDmvpnReport } from "../../src/bench/dmvpn-report.ts";
import { progressBar } from "../../src/bench/progress-bar.ts";

describe("bench dmvpn", () => {
  test("10 spokes: registered, then routing converged, then 12 seeded pairs each through a shortcut", async () => {
    const seen: DmvpnProgress[] = [];
    const r = await benchDmvpn({ spokes: 10, workers: 0, pairs: 12, progress: (p) => seen.push(p) });
    expect(r.configErrors).toBe(0);
    expect(r.registered).toBe(10);
    expect(r.neighbours).toBe(10);
    expect(r.routersComplete).toBe(11);
    expect(r.pairs).toBe(12);
    expect(r.pairsOk).toBe(12);
    expect(r.registeredMs).not.toBeNull();
    expect(r.routingMs!).toBeGreaterThanOrEqual(r.registeredMs!);
    expect(r.shortcutsMs!).toBeGreaterThanOrEqual(r.routingMs!);
    expect(r.shortcutsVirtualSec).toBeGreaterThan(r.routingVirtualSec);
    expect(r.events).toBeGreaterThan(1000);
    expect(r.peakRssBytes).toBeGreaterThan(0);
    expect(seen.map((p) => p.phase).filter((p, i, a) => p !== a[i - 1])).toEqual([
      "registering",
      "routing",
      "shortcuts",
    ]);
    expect(seen.at(-1)).toMatchObject({ phase: "shortcuts", done: 12, total: 12 });
    const report = renderDmvpnReport([r], "none");
    expect(report).toMatch(/\n\s+10\s+1\s+inline\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+12\/12 /);
  });

  test("6 spokes with IPsec (DH group 14, transport mode): the hub's 6 SAs come up before the spokes register", async () => {
    const r = await benchDmvpn({ spokes: 6, workers: 0, pairs: 4, ipsec: "group14" });
    expect(r.configErrors).toBe(0);
    expect(r.hubSas).toBe(6);
    expect(r.ipsecMs).not.toBeNull();
    expect(r.registeredMs!).toBeGreaterThanOrEqual(r.ipsecMs!);
    expect(r.registered).toBe(6);
    expect(r.routersComplete).toBe(7);
    expect(r.pairsOk).toBe(4);
    expect(r.shortcutsMs).not.toBeNull();
    expect(renderDmvpnReport([r], "group14")).toContain("IPsec s");
  });

  test("6 spokes with OSPF point-to-multipoint: 6 FULL adjacencies, 12 tunnel routes everywhere, shortcuts as next-hop overrides", async () => {
    const r = await benchDmvpn({ spokes: 6, workers: 0, pairs: 4, routing: "ospf" });
    expect(r.configErrors).toBe(0);
    expect(r.neighbours).toBe(6);
    expect(r.routersComplete).toBe(7);
    expect(r.pairsOk).toBe(4);
    expect(r.shortcutsMs).not.toBeNull();
    expect(renderDmvpnReport([r], "none", "ospf")).toContain("OSPF point-to-multipoint");
  });

  test("a run given too little virtual time reports that the spokes did not all register", async () => {
    const r = await benchDmvpn({ spokes: 4, workers: 0, maxVirtualSec: 20 });
    expect(r.registered).toBeLessThan(4);
    expect(r.registeredMs).toBeNull();
    expect(r.routingMs).toBeNull();
    expect(r.shortcutsMs).toBeNull();
  });

  test("pairs are distinct, never a spoke to itself, and the same for the same seed", () => {
    const pairs = pickPairs(1000, 100, 7);
    expect(pairs.length).toBe(100);
    expect(new Set(pairs.map(([a, b]) => `${a}-${b}`)).size).toBe(100);
    expect(pairs.every(([a, b]) => a !== b && a >= 0 && a < 1000 && b >= 0 && b < 1000)).toBe(true);
    expect(pickPairs(1000, 100, 7)).toEqual(pairs);
    expect(pickPairs(1000, 100, 8)).not.toEqual(pairs);
    expect(pickPairs(3, 100, 1).length).toBe(6);
  });

  test("sizes 100, 250, 500, 1000 up to --spokes", () => {
    expect(dmvpnSizes(1000)).toEqual([100, 250, 500, 1000]);
    expect(dmvpnSizes(300)).toEqual([100, 250, 300]);
    expect(dmvpnSizes(10)).toEqual([10]);
  });

  test("the progress bar draws on a terminal only", () => {
    const written: string[] = [];
    const tty = progressBar({ isTTY: true, columns: 80, write: (t) => written.push(t) });
    tty.update("dmvpn: registering", 5, 10);
    tty.clear();
    expect(written).toEqual([`\r\x1b[Kdmvpn: registering [${"#".repeat(15)}${".".repeat(15)}] 5/10`, "\r\x1b[K"]);
    const piped: string[] = [];
    const pipe = progressBar({ isTTY: false, write: (t) => piped.push(t) });
    pipe.update("dmvpn: registering", 5, 10);
    pipe.clear();
    expect(piped).toEqual([]);
  });
});
