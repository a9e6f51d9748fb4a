// The OSPF and EIGRP scale benchmarks on small grids: the shared convergence
// loop (src/bench/convergence.ts) must see every adjacency come up and every
// router hold all its routes, and report the protocol's own counters.

import { describe, expect, test } from "bun:test";
import { benchEigrp } from "../../src/bench/eigrp.ts";
import { benchOspf } from "../../src/bench/ospf.ts";

describe("routing benchmarks converge on small grids", () => {
  test("OSPF, 9 routers: every adjacency FULL, every router complete, SPF and LSAs counted", async () => {
    const r = await benchOspf({ routers: 9, shape: "grid", workers: 0 });
    expect(r.converged).toBe(true);
    expect(r.adjacenciesFull).toBe(r.links);
    expect(r.routersComplete).toBe(9);
    expect(r.spfRuns).toBeGreaterThanOrEqual(9);
    expect(r.lsasSent).toBeGreaterThan(0);
  });

  test("EIGRP, 9 routers: every adjacency up, every router complete, updates counted and no queries", async () => {
    const r = await benchEigrp({ routers: 9, workers: 0 });
    expect(r.converged).toBe(true);
    expect(r.adjacencies).toBe(r.links);
    expect(r.routersComplete).toBe(9);
    expect(r.updatesSent).toBeGreaterThan(0);
    expect(r.queriesSent).toBe(0);
  });

  test("a lab given too little virtual time reports that it did not converge", async () => {
    const r = await benchOspf({ routers: 9, shape: "grid", workers: 0, maxVirtualSec: 5 });
    expect(r.converged).toBe(false);
    expect(r.routersComplete).toBeLessThan(9);
  });
});
