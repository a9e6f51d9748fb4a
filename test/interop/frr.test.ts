// wanlab's routing protocols against FRRouting: R1 (labs/frr) and FRR's zebra
// plus ospfd, then ripd, then eigrpd in a namespace on R1's TAP. OSPF on a
// broadcast link (R1 priority 100: DR on both sides, FRR BDR) then
// point-to-point, FULL on both sides, routes both ways, and R1's shutdown
// makes FRR drop R1's loopback within the dead interval (hello 1, dead 4);
// RIP and EIGRP: neighbours, routes both ways, each side's metric recorded.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { createTapLab, type TapLab } from "../../src/host-bridge/tap-lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { FrrRouter } from "./frr-daemons.ts";
import { interopSkipReason, must, Netns, reportSkip, uniqueSuffix, waitFor } from "./host-tools.ts";

const skip = reportSkip("frr.test.ts", interopSkipReason(["vtysh", "/usr/lib/frr/ospfd"]));
const suffix = uniqueSuffix();
const TAP = `wlf${suffix}`.slice(0, 15);
const dir = `/tmp/wanlab-frr-${suffix}`;

describe.skipIf(skip)("routing protocols against FRRouting", () => {
  let t: TapLab;
  let ns: Netns;
  let frr: FrrRouter;

  /** Configures R1 (configure terminal ... end); a refused line fails the test. */
  const configure = async (...lines: string[]) => {
    for (const line of ["configure terminal", ...lines, "end"]) {
      const out = await t.loop.command("R1", line);
      if (out.includes("% ")) throw new Error(`R1 refused '${line}': ${out}`);
    }
  };
  const r1 = (line: string) => t.loop.command("R1", line);

  beforeAll(async () => {
    const { lab: spec } = loadScenario(join(import.meta.dir, "labs", "frr"), 1);
    for (const w of spec.wires) if (w.tap !== undefined) w.tap = TAP;
    t = await createTapLab(spec, { workers: 0, factories: deviceFactories });
    expect(t.bridge.failures).toEqual([]);
    ns = await Netns.create(`wlfrr${suffix}`);
    await must(["ip", "link", "set", TAP, "netns", ns.name]);
    await ns.must(["ip", "addr", "add", "10.30.0.2/24", "dev", TAP]);
    await ns.must(["ip", "link", "set", TAP, "up"]);
    // FRR's own networks on its loopback (the kernel here has no dummy interfaces).
    await ns.must(["ip", "addr", "add", "10.9.9.9/32", "dev", "lo"]);
    await ns.must(["ip", "addr", "add", "172.20.1.1/24", "dev", "lo"]);
    frr = new FrrRouter(ns, `wl${suffix}`, dir);
    await frr.start("zebra", "hostname frr\n");
  }, 20_000);

  afterAll(async () => {
    frr?.close();
    await ns?.remove();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Polls until `probe` holds (bounded); on a timeout prints both sides' `dump` commands to explain it. */
  const until = async (what: string, ms: number, probe: () => Promise<boolean>, dump: [string[], string[]]) => {
    try {
      await waitFor(what, ms, async () => ((await probe()) ? true : undefined));
    } catch (e) {
      for (const c of dump[0]) console.log(`R1# ${c}\n${await r1(c)}`);
      for (const c of dump[1]) console.log(`frr# ${c}\n${await frr.vtysh(c).catch((x: Error) => x.message)}`);
      throw e;
    }
  };
  const OSPF_DUMP: [string[], string[]] = [
    ["show ip ospf neighbor", "show ip ospf database", "show ip route ospf"],
    ["show ip ospf neighbor", "show ip ospf database", "show ip route ospf"],
  ];

  test("OSPF broadcast: FULL on both sides, R1 DR and FRR BDR on both, routes both ways", async () => {
    await frr.start(
      "ospfd",
      `interface ${TAP}
 ip ospf hello-interval 1
 ip ospf dead-interval 4
 ip ospf retransmit-interval 1
!
router ospf
 ospf router-id 10.9.9.9
 network 10.30.0.0/24 area 0
 network 10.9.9.9/32 area 0
`,
    );
    await configure(
      "interface GigabitEthernet0/0",
      "ip ospf hello-interval 1",
      "ip ospf dead-interval 4",
      "ip ospf retransmit-interval 1",
      "ip ospf priority 100",
      "router ospf 1",
      "router-id 1.1.1.1",
      // IOS 15's SPF throttle waits 5 s, then 10 s between runs; FRR's runs in 0-50 ms.
      "timers throttle spf 50 200 1000",
      "timers throttle lsa 0 100 1000",
      "network 10.30.0.0 0.0.0.255 area 0",
      "network 1.1.1.1 0.0.0.0 area 0",
    );
    await until(
      "FULL on both sides",
      12_000,
      async () => {
        const a = await r1("show ip ospf neighbor");
        const b = await frr.vtysh("show ip ospf neighbor");
        return /10\.9\.9\.9\s+1\s+FULL\/BDR/.test(a) && /1\.1\.1\.1\s+100\s+Full\/DR/.test(b);
      },
      OSPF_DUMP,
    );
    // The same election on both sides: R1 (priority 100) DR, FRR BDR.
    const r1If = await r1("show ip ospf interface GigabitEthernet0/0");
    expect(r1If).toContain("State DR, Priority 100");
    expect(r1If).toContain("Designated Router (ID) 1.1.1.1, Interface address 10.30.0.1");
    expect(r1If).toContain("Backup Designated router (ID) 10.9.9.9, Interface address 10.30.0.2");
    const frrIf = await frr.vtysh(`show ip ospf interface ${TAP}`);
    expect(frrIf).toContain("State Backup, Priority 1");
    expect(frrIf).toContain("Designated Router (ID) 1.1.1.1 Interface Address 10.30.0.1/24");
    expect(frrIf).toContain("Backup Designated Router (ID) 10.9.9.9, Interface Address 10.30.0.2");
    // Routes both ways, each side's metric: R1 adds its cost 1 to FRR's loopback stub (cost 0);
    // FRR adds its interface cost 10 to R1's loopback (cost 1).
    const t0 = performance.now();
    await until(
      "routes both ways",
      8_000,
      async () => {
        const a = await r1("show ip route ospf");
        const b = await frr.vtysh("show ip route 1.1.1.1/32");
        return a.includes("10.9.9.9/32") && b.includes('Known via "ospf"');
      },
      OSPF_DUMP,
    );
    console.log(`frr.test.ts: OSPF routes both ways ${(performance.now() - t0).toFixed(0)} ms after FULL`);
    expect(await r1("show ip route ospf")).toMatch(
      /O\s+10\.9\.9\.9\/32 \[110\/1\] via 10\.30\.0\.2, GigabitEthernet0\/0/,
    );
    expect(await frr.vtysh("show ip route ospf")).toMatch(/O>\* 1\.1\.1\.1\/32 \[110\/11\] via 10\.30\.0\.1/);
  }, 30_000);

  test("OSPF point-to-point: FULL with no DR on both sides; R1's shutdown makes FRR drop the route within the dead interval", async () => {
    await frr.vtysh("configure terminal", `interface ${TAP}`, "ip ospf network point-to-point");
    await configure("interface GigabitEthernet0/0", "ip ospf network point-to-point");
    await until(
      "FULL point-to-point on both sides",
      12_000,
      async () => {
        const a = await r1("show ip ospf neighbor");
        const b = await frr.vtysh("show ip ospf neighbor");
        return /10\.9\.9\.9\s+0\s+FULL\/\s+-/.test(a) && /1\.1\.1\.1\s+100\s+Full\/-\s/.test(b);
      },
      OSPF_DUMP,
    );
    expect(await r1("show ip ospf interface GigabitEthernet0/0")).toContain("Network Type POINT_TO_POINT");
    expect(await frr.vtysh(`show ip ospf interface ${TAP}`)).toContain("Network Type POINTOPOINT");
    await until(
      "R1's loopback in FRR over the point-to-point adjacency",
      8_000,
      async () => (await frr.vtysh("show ip route ospf")).includes("1.1.1.1/32 [110/11]"),
      OSPF_DUMP,
    );
    const shutAt = performance.now();
    await configure("interface GigabitEthernet0/0", "shutdown");
    await until(
      "FRR dropping 1.1.1.1/32",
      4_000,
      async () => !(await frr.vtysh("show ip route ospf")).includes("1.1.1.1/32"),
      OSPF_DUMP,
    );
    const droppedMs = performance.now() - shutAt;
    console.log(
      `frr.test.ts: FRR dropped R1's loopback ${droppedMs.toFixed(0)} ms after R1's shutdown (dead interval 4 s)`,
    );
    expect(droppedMs).toBeLessThan(4000);
    await configure(
      "interface GigabitEthernet0/0",
      "no shutdown",
      "no ip ospf network point-to-point",
      "no router ospf 1",
    );
    frr.stop("ospfd");
  }, 30_000);
  test("RIPv2: routes both ways, each side's metric", async () => {
    await frr.start(
      "ripd",
      `router rip
 version 2
 timers basic 5 15 20
 network 10.30.0.0/24
 route 172.20.1.0/24
`,
    );
    await configure(
      "router rip",
      "version 2",
      "timers basic 5 15 15 20",
      "network 10.0.0.0",
      "network 172.16.0.0",
      "no auto-summary",
    );
    const t0 = performance.now();
    const RIP_DUMP: [string[], string[]] = [
      ["show ip rip database", "show ip route rip"],
      ["show ip rip", "show ip rip status"],
    ];
    await until(
      "RIP routes both ways",
      10_000,
      async () => {
        const a = await r1("show ip route rip");
        const b = await frr.vtysh("show ip rip");
        return a.includes("172.20.1.0 [120/") && /R\(n\)\s+172\.16\.1\.0\/24/.test(b);
      },
      RIP_DUMP,
    );
    console.log(`frr.test.ts: RIP routes both ways ${(performance.now() - t0).toFixed(0)} ms after configuration`);
    // One hop each way, in each side's convention: R1 installs the metric FRR sent (1, as IOS shows a
    // neighbour's connected network); FRR adds its interface cost to the 1 R1 sent (RFC 2453 3.9.2).
    expect(await r1("show ip route rip")).toMatch(/R\s+172\.20\.1\.0 \[120\/1\] via 10\.30\.0\.2, GigabitEthernet0\/0/);
    expect(await frr.vtysh("show ip rip")).toMatch(/R\(n\)\s+172\.16\.1\.0\/24\s+10\.30\.0\.1\s+2 10\.30\.0\.1/);
    expect(await r1("show ip rip database")).toMatch(/172\.20\.1\.0\/24\n\s+\[1\] via 10\.30\.0\.2/);
    expect(await frr.vtysh("show ip route 172.16.1.0/24")).toContain('Known via "rip", distance 120, metric 2');
    await configure("no router rip");
    frr.stop("ripd");
  }, 20_000);
  test("EIGRP: neighbours up on both sides, routes both ways, each side's metric", async () => {
    await frr.start(
      "eigrpd",
      `interface ${TAP}
 ip hello-interval eigrp 1
 ip hold-time eigrp 4
!
router eigrp 10
 eigrp router-id 10.9.9.9
 network 10.30.0.0/24
 network 172.20.1.0/24
`,
    );
    await configure(
      "interface GigabitEthernet0/0",
      "ip hello-interval eigrp 10 1",
      "ip hold-time eigrp 10 4",
      "router eigrp 10",
      "network 10.30.0.0 0.0.0.255",
      "network 172.16.1.0 0.0.0.255",
      "no auto-summary",
    );
    const t0 = performance.now();
    const EIGRP_DUMP: [string[], string[]] = [
      ["show ip eigrp neighbors", "show ip eigrp topology", "show ip route eigrp"],
      ["show ip eigrp neighbor", "show ip eigrp topology", "show ip route eigrp"],
    ];
    await until(
      "EIGRP neighbours and routes both ways",
      10_000,
      async () => {
        const a = await r1("show ip route eigrp");
        const b = await frr.vtysh("show ip route eigrp");
        return a.includes("172.20.1.0") && b.includes("172.16.1.0/24");
      },
      EIGRP_DUMP,
    );
    console.log(`frr.test.ts: EIGRP routes both ways ${(performance.now() - t0).toFixed(0)} ms after configuration`);
    expect(await r1("show ip eigrp neighbors")).toMatch(/0\s+10\.30\.0\.2\s+Gi0\/0/);
    expect(await frr.vtysh("show ip eigrp neighbor")).toMatch(/0\s+10\.30\.0\.1\s+/);
    // Each side's composite metric (K1=K3=1): R1 adds its Gi0/0 (1 Gb/s, 10 us) to the 28160 FRR reports for
    // its loopback network; FRR computes 130880 for R1's Loopback1 (R1's own FD is 128256).
    expect(await r1("show ip route eigrp")).toMatch(
      /D\s+172\.20\.1\.0 \[90\/28416\] via 10\.30\.0\.2, GigabitEthernet0\/0/,
    );
    expect(await r1("show ip eigrp topology")).toContain("via 10.30.0.2 (28416/28160), GigabitEthernet0/0");
    expect(await frr.vtysh("show ip route eigrp")).toMatch(/E>\* 172\.16\.1\.0\/24 \[90\/130880\] via 10\.30\.0\.1/);
    await configure("no router eigrp 10");
    frr.stop("eigrpd");
  }, 20_000);
});
