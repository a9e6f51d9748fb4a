// `bench ipsec` does the work it reports: every tunnel is up on both of its
// routers (peer pairs and a hub with spokes), and every echo of the ESP run
// was sealed and opened once. Small runs; nothing here looks at wall-clock
// figures.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import {
  benchIpsec,
  benchIpsecEsp,
  benchIpsecTunnels,
  espProblems,
  renderIpsecReport,
  tunnelProblems,
} from "../../src/bench/ipsec.ts";
import { ipsecLab } from "../../src/bench/ipsec-lab.ts";
import { cryptoState, parseIpsecSa, parseIsakmpSa, routerComplete, tunnelUp } from "../../src/bench/ipsec-show.ts";
import { Lab } from "../../src/runtime/lab.ts";

describe("ipsec bench: tunnel setup", () => {
  test("3 pairs with group 2 all come up, each router with one QM_IDLE SA and an ESP SA pair", async () => {
    const r = await benchIpsecTunnels({ tunnels: 3, group: 2, warmupTunnels: 1, warmDhEngine: false });
    expect(r.tunnels).toBe(3);
    expect(r.routers).toBe(8); // the warm-up pair and 3 measured pairs
    expect(r.tunnelsUp).toBe(3);
    expect(r.shortfalls).toEqual([]);
    expect(tunnelProblems(r)).toEqual([]);
    // Phase 1 (2 key pairs + 2 secrets) for the warm-up pair and the 3 measured ones.
    expect(r.dhOperations).toBeGreaterThanOrEqual(16);
    expect(r.lastSaMs).toBeGreaterThan(0);
    expect(r.lastSaMs).toBeLessThanOrEqual(r.virtualMs);
    expect(r.events).toBeGreaterThan(0);
  }, 60_000);

  test("a hub with 3 spokes (plus the warm-up spoke) holds 4 tunnels, each spoke one", async () => {
    const r = await benchIpsecTunnels({ tunnels: 3, layout: "hub", group: 2, warmupTunnels: 1, warmDhEngine: false });
    expect(r.routers).toBe(6); // HUB, ISP and 4 spokes
    expect(r.tunnelsUp).toBe(3);
    expect(r.shortfalls).toEqual([]);
    expect(tunnelProblems(r)).toEqual([]);
  }, 60_000);

  test("the check sees a tunnel that is not up: before any interesting traffic", async () => {
    const generated = ipsecLab({ tunnels: 1, group: 2 });
    const lab = await Lab.create(generated.spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(2_000_000_000);
      const s = await cryptoState(lab, generated.tunnels[0]!.initiator);
      expect(s.qmIdle).toBe(0);
      expect(s.inboundEsp + s.outboundEsp).toBe(0);
      expect(tunnelUp(s)).toBe(false);
      expect(routerComplete(s, 0)).toBe(true);
    } finally {
      lab.close();
    }
  }, 30_000);

  test("show parsers count SAs by state and direction", () => {
    const isakmp = [
      "IPv4 Crypto ISAKMP SA",
      "dst             src             state          conn-id status",
      "10.0.0.2        10.0.0.1        QM_IDLE           1001 ACTIVE",
      "10.0.0.6        10.0.0.5        MM_KEY_EXCH       1002 ACTIVE",
      "10.0.0.10       10.0.0.9        QM_IDLE           1003 ACTIVE (deleted)",
    ].join("\n");
    expect(parseIsakmpSa(isakmp)).toEqual({ qmIdle: 1, otherIsakmp: 2 });
    const ipsec = [
      "    #pkts encaps: 14, #pkts encrypt: 14, #pkts digest: 14",
      "    #pkts decaps: 12, #pkts decrypt: 12, #pkts verify: 12",
      "    #send errors 1, #recv errors 2",
      "     current outbound spi: 0x8CE717F4(2363955188)",
      "     inbound esp sas:",
      "      spi: 0xD779D780(3615086464)",
      "     inbound ah sas:",
      "      spi: 0x11111111(286331153)",
      "     outbound esp sas:",
      "      spi: 0x8CE717F4(2363955188)",
      "      spi: 0x8CE717F5(2363955189)",
      "     outbound pcp sas:",
    ].join("\n");
    expect(parseIpsecSa(ipsec)).toEqual({
      inboundEsp: 1,
      outboundEsp: 2,
      encaps: 14,
      decaps: 12,
      sendErrors: 1,
      recvErrors: 2,
    });
  });
});

describe("ipsec bench: ESP end to end", () => {
  test("wasm: every echo and reply is sealed once and opened once", async () => {
    const r = await benchIpsecEsp({ mode: "wasm", echoes: 300, warmupEchoes: 20 });
    expect(r.replies).toBe(300);
    expect(r.encaps).toEqual({ initiator: 300, responder: 300 });
    expect(r.decaps).toEqual({ initiator: 300, responder: 300 });
    expect(r.linkPackets).toBe(600);
    expect(r.errors).toBe(0);
    expect(espProblems(r)).toEqual([]);
  }, 60_000);

  test("no crypto: the same traffic in the clear, with no SA counters", async () => {
    const r = await benchIpsecEsp({ mode: "none", echoes: 300, warmupEchoes: 20 });
    expect(r.replies).toBe(300);
    expect(r.linkPackets).toBe(600);
    expect(r.encaps).toEqual({ initiator: 0, responder: 0 });
    expect(espProblems(r)).toEqual([]);
  }, 60_000);

  test("espProblems reports counters that do not add up", () => {
    const r = {
      mode: "native" as const,
      echoes: 10,
      size: 1400,
      replies: 10,
      linkPackets: 20,
      encaps: { initiator: 9, responder: 10 },
      decaps: { initiator: 10, responder: 9 },
      errors: 0,
      wallMs: 1,
      cpuMs: 1,
      virtualMs: 1,
      packetsPerSec: 1,
      autoChoice: null,
    };
    expect(espProblems(r)).toEqual(["ESP native: 9 packets encapsulated for 10 echoes"]);
  });
});

describe("ipsec bench: the whole report", () => {
  test("interleaved rounds: every configuration has each round, fastest first, and nothing undone", async () => {
    const r = await benchIpsec({
      tunnels: 2,
      groups: [2],
      hubGroups: [2],
      echoes: 50,
      modes: ["none", "native"],
      rounds: 2,
      dhMinMs: 5,
    });
    expect(r.tunnels.map((t) => [t.median.layout, t.median.group, t.rounds.length])).toEqual([
      ["pairs", 2, 2],
      ["hub", 2, 2],
    ]);
    expect(r.esp.map((e) => [e.median.mode, e.rounds.length])).toEqual([
      ["none", 2],
      ["native", 2],
    ]);
    for (const t of r.tunnels) {
      expect(t.rounds.every((x) => x.tunnelsUp === 2)).toBe(true);
      expect(t.best).toBe(t.rounds[0]!);
    }
    for (const e of r.esp) expect(e.rounds.every((x) => x.replies === 50 && x.linkPackets === 100)).toBe(true);
    expect(r.problems).toEqual([]);
    const text = renderIpsecReport(r);
    expect(text).toContain("IPsec tunnel setup");
    expect(text).toContain("none (baseline)");
    expect(text).not.toContain("PROBLEM");
  }, 120_000);
});
