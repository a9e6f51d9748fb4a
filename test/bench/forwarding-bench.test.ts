// `bench forwarding` counts the work it reports: every datagram of the
// generator's stream crosses every hop once, every fragment of every ping
// echo and reply too, and the same run on Workers does the same work. Small
// runs; nothing here looks at wall-clock figures.
import { describe, expect, test } from "bun:test";
import { benchForwarding } from "../../src/bench/forwarding.ts";

describe("forwarding bench", () => {
  test("udp: each datagram is one frame per hop, all delivered, none dropped at 500,000 packets/s", async () => {
    const r = await benchForwarding({ traffic: "udp", routers: 4, packets: 3000, workers: 0 });
    expect(r).toMatchObject({
      traffic: "udp",
      routers: 4,
      partitions: 1,
      packets: 3000,
      size: 100,
      ratePps: 500_000,
      delivered: 3000,
      failedToSend: 0,
    });
    // 3 hops; the last router's port unreachable to the warm-up stream is still inside its 500 ms rate limit.
    expect(r.packetHops).toBe(3000 * 3);
    // Frames plus one pacing timer per datagram (bar the first).
    expect(r.events).toBeGreaterThanOrEqual(3000 * 3 + 2999);
    // 3000 datagrams at 2 us spacing, then the drain.
    expect(r.virtualMs).toBeGreaterThanOrEqual(6);
  }, 60_000);

  test("udp on 2 Workers does the same work as inline", async () => {
    const inline = await benchForwarding({ traffic: "udp", routers: 4, packets: 2000, workers: 0 });
    const split = await benchForwarding({ traffic: "udp", routers: 4, packets: 2000, workers: 2 });
    expect(split.partitions).toBe(2);
    expect(split.delivered).toBe(2000);
    expect(split.packetHops).toBe(inline.packetHops);
    expect(split.events).toBe(inline.events);
    expect(split.virtualMs).toBe(inline.virtualMs);
  }, 60_000);

  test("several rounds on one lab: each is measured, the fastest is reported", async () => {
    const r = await benchForwarding({ traffic: "udp", routers: 3, packets: 1000, rounds: 3, workers: 0 });
    expect(r.roundsPacketHopsPerSec).toHaveLength(3);
    expect(r.packetHopsPerSec).toBe(Math.max(...r.roundsPacketHopsPerSec));
    expect(r.delivered).toBe(1000);
    // 2 hops per datagram, plus at most one rate-limited port unreachable (2 hops back) in the round.
    expect(r.packetHops - 2000).toBeOneOf([0, 2]);
  }, 60_000);

  test("a stream above what the link carries is reported as failed to send, not as forwarded", async () => {
    // 100-byte datagrams take 1.1 us each on gigabit: 2,000,000 packets/s overflow R1's hold queue.
    const r = await benchForwarding({ traffic: "udp", routers: 3, packets: 2000, ratePps: 2_000_000, workers: 0 });
    expect(r.failedToSend).toBeGreaterThan(0);
    expect(r.delivered).toBe(2000 - r.failedToSend);
    expect(r.packetHops).toBe(r.delivered * 2);
  }, 60_000);

  test("ping: an 18,024-byte echo is 13 fragments each way on every hop", async () => {
    const r = await benchForwarding({ traffic: "ping", routers: 3, packets: 5, workers: 0 });
    expect(r).toMatchObject({ traffic: "ping", size: 18024, ratePps: null, delivered: 5, failedToSend: 0 });
    expect(r.packetHops).toBe(5 * 13 * 2 * 2);
  }, 60_000);
});
