// `bench web` on a small ring: the poll reaches every router's interfaces, the
// traffic rounds run (each router's stream counted in the interfaces), and the
// page load is skipped with a reason when there is no browser.

import { expect, test } from "bun:test";
import { benchWeb } from "../../src/bench/web.ts";

test("bench web measures the poll, the traffic with and without it, and skips the page without chromium", async () => {
  const r = await benchWeb({ devices: 6, seconds: 1, chromium: "/nonexistent/chromium" });
  expect(r.devices).toBe(6);
  expect(r.pollMedianMs).toBeGreaterThan(0);
  expect(r.pollMaxMs).toBeGreaterThanOrEqual(r.pollMedianMs);
  // Six routers, four interfaces each (Serial0/0, Serial0/1, Loopback0, Loopback1), with their counters.
  expect(r.updateBytes).toBeGreaterThan(6 * 4 * 100);
  // Warm-up and two timed rounds, six routers sending 800 datagrams each, two hops around the ring, none dropped.
  expect(r.packetsOut).toBeGreaterThanOrEqual(3 * 6 * 800 * 2);
  expect(r.drops).toBe(0);
  expect(r.runMs).toBeGreaterThan(0);
  expect(r.runWithPollsMs).toBeGreaterThan(0);
  expect(r.streamCostPct).toBeGreaterThan(0);
  expect(r.pageLoadMs).toBeNull();
  expect(r.pageSkipped).toBe("no chromium at /nonexistent/chromium");
}, 30_000);
