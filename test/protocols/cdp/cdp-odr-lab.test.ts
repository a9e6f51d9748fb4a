// CDP and ODR on real routers configured with IOS lines:
//
//   R1 Gi0/0 ---- (10.0.15.0/24) ---- Gi0/0 HUB Serial0/0 ---- (10.0.25.0/24) ---- Serial0/0 R2
//   R1 Tunnel0 ==== GRE over the Ethernet link (10.1.1.0/24, `cdp enable`) ==== Tunnel0 HUB
//
// Every router has `cdp run`; HUB has `router odr`; R1 and R2 run no routing
// protocol (stubs) and have Loopback0 172.16.n.n/24. Checked: the neighbour
// tables on all three kinds of link (`show cdp neighbors [detail]`), the
// stubs' prefixes as `o` routes on the hub and the hub's default `o*` route on
// the stubs, `show cdp traffic` counting a corrupted and a truncated frame
// put on the wire as errors (and the neighbour table unchanged by them),
// entries expiring after the holdtime when R2 stops CDP (its ODR route goes
// with it), `clear cdp table`, `show cdp interface`, `show ip protocols`, and
// every CDP frame of the captures decoding in tshark with a good checksum.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../../actors/index.ts";
import { PcapDirectorySink } from "../../../src/capture/lab-capture.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { emitCdp, emitCdpEthernetFrame } from "../../../src/wire/cdp.ts";
import { hasTshark, tsharkFields } from "../../capture/pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-cdp-lab-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SEC = 1e9;

const TOPOLOGY = {
  devices: { HUB: "router", R1: "router", R2: "router" },
  links: [
    { name: "R1-HUB", a: "R1 GigabitEthernet0/0", b: "HUB GigabitEthernet0/0", latencyMs: 1 },
    { name: "R2-HUB", a: "R2 Serial0/0", b: "HUB Serial0/0", latencyMs: 1 },
  ],
};

const CONFIGS = {
  HUB: [
    "hostname HUB",
    "cdp run",
    "interface GigabitEthernet0/0",
    " ip address 10.0.15.5 255.255.255.0",
    " no shutdown",
    "interface Serial0/0",
    " ip address 10.0.25.5 255.255.255.0",
    " no shutdown",
    "interface Tunnel0",
    " ip address 10.1.1.5 255.255.255.0",
    " cdp enable",
    " tunnel source GigabitEthernet0/0",
    " tunnel destination 10.0.15.1",
    "router odr",
    "end",
  ].join("\n"),
  R1: [
    "hostname R1",
    "cdp run",
    "interface Loopback0",
    " ip address 172.16.1.1 255.255.255.0",
    "interface GigabitEthernet0/0",
    " ip address 10.0.15.1 255.255.255.0",
    " no shutdown",
    "interface Tunnel0",
    " ip address 10.1.1.1 255.255.255.0",
    " cdp enable",
    " tunnel source GigabitEthernet0/0",
    " tunnel destination 10.0.15.5",
    "end",
  ].join("\n"),
  R2: [
    "hostname R2",
    "cdp run",
    "interface Loopback0",
    " ip address 172.16.2.2 255.255.255.0",
    "interface Serial0/0",
    " ip address 10.0.25.2 255.255.255.0",
    " no shutdown",
    "end",
  ].join("\n"),
};

const snap: Record<string, string> = {};

beforeAll(async () => {
  const spec = buildLabSpec("cdp-odr-lab", "cdp-odr-lab", TOPOLOGY, CONFIGS, 1);
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories, capture: new PcapDirectorySink(root) });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  try {
    // The tunnel's first advertisement dies on the ARP miss under it (IOS drops the packet that triggers ARP); the next, 60 s later, arrives.
    await lab.run(70 * SEC);
    snap.neighbors = await cmd("HUB", "show cdp neighbors");
    snap.detail = await cmd("HUB", "show cdp neighbors Serial0/0 detail");
    snap.hubRoutes = await cmd("HUB", "show ip route odr");
    snap.r1Routes = await cmd("R1", "show ip route");
    snap.r2Routes = await cmd("R2", "show ip route odr");
    snap.cdp = await cmd("HUB", "show cdp");
    snap.cdpInterface = await cmd("HUB", "show cdp interface");
    snap.protocols = await cmd("HUB", "show ip protocols");
    snap.running = await cmd("HUB", "show running-config");
    // A corrupted advertisement (checksum) and a truncated one, put on the R1-HUB wire.
    const good = emitCdp({
      version: 2,
      ttl: 180,
      deviceId: "INTRUDER",
      addresses: [],
      portId: "Gi0/9",
      capabilities: 1,
      softwareVersion: "x",
      platform: "y",
    });
    const corrupt = good.slice();
    corrupt[8]! ^= 0xff;
    await lab.injectFrame("R1-HUB", emitCdpEthernetFrame(0x00000c999999, corrupt));
    await lab.injectFrame("R1-HUB", emitCdpEthernetFrame(0x00000c999999, good.subarray(0, 3)));
    await lab.run(1 * SEC);
    snap.traffic = await cmd("HUB", "show cdp traffic");
    snap.afterBad = await cmd("HUB", "show cdp neighbors");
    await cmd("R2", "configure terminal");
    await cmd("R2", "no cdp run");
    await cmd("R2", "end");
    await lab.run(160 * SEC);
    snap.before = await cmd("HUB", "show cdp neighbors");
    snap.routesBefore = await cmd("HUB", "show ip route odr");
    await lab.run(30 * SEC);
    snap.after = await cmd("HUB", "show cdp neighbors");
    snap.routesAfter = await cmd("HUB", "show ip route odr");
    await cmd("HUB", "clear cdp table");
    snap.cleared = await cmd("HUB", "show cdp neighbors");
    await lab.run(61 * SEC);
    snap.relearned = await cmd("HUB", "show cdp neighbors");
    // R1 advertises every 10 s with a 30 s holdtime.
    for (const l of ["configure terminal", "cdp timer 10", "cdp holdtime 30", "end"]) await cmd("R1", l);
    await lab.run(11 * SEC);
    snap.shortHold = await cmd("HUB", "show cdp neighbors GigabitEthernet0/0");
    snap.r1Cdp = await cmd("R1", "show cdp");
    snap.r1Running = await cmd("R1", "show running-config");
    // The hub stops CDP: its neighbours and the ODR routes learned through them go at once.
    for (const l of ["configure terminal", "no cdp run", "end"]) await cmd("HUB", l);
    snap.hubOff = await cmd("HUB", "show cdp neighbors");
    snap.hubOffRoutes = await cmd("HUB", "show ip route odr");
  } finally {
    lab.close();
  }
}, 60_000);

const rows = (show: string) => show.split("\n").filter((l) => /^(R1|R2|INTRUDER) /.test(l));

describe("CDP neighbours", () => {
  test("the hub sees R1 on Ethernet and in the tunnel and R2 on the serial line, in IOS's table", () => {
    const r = rows(snap.neighbors!);
    expect(r).toHaveLength(3);
    expect(r[0]).toMatch(/^R1 {15}Gig 0\/0 {11}1[1-8]\d {18}R 7206VXR {3}Gig 0\/0$/);
    expect(r[1]).toMatch(/^R2 {15}Ser 0\/0 {11}1[1-8]\d {18}R 7206VXR {3}Ser 0\/0$/);
    expect(r[2]).toMatch(/^R1 {15}Tunnel0 {11}1[1-8]\d {18}R 7206VXR {3}Tunnel0$/);
    expect(snap.neighbors).toContain("Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID");
    expect(snap.neighbors).toContain("Total cdp entries displayed : 3");
  });

  test("detail shows the address, platform, ports, holdtime and version", () => {
    const d = snap.detail!;
    expect(d).toContain("Device ID: R2\nEntry address(es): \n  IP address: 10.0.25.2\n");
    expect(d).toContain("Platform: Cisco 7206VXR,  Capabilities: Router \n");
    expect(d).toContain("Interface: Serial0/0,  Port ID (outgoing port): Serial0/0\n");
    expect(d).toMatch(/Holdtime : 1[1-8]\d sec/);
    expect(d).toContain("Version :\nCisco IOS Software, wanlab Software");
    expect(d).toContain("advertisement version: 2");
    expect(d).toContain("Total cdp entries displayed : 1");
  });

  test("show cdp, show cdp interface and the running configuration", () => {
    expect(snap.cdp).toContain("\tSending CDP packets every 60 seconds\n\tSending a holdtime value of 180 seconds");
    expect(snap.cdpInterface).toContain("GigabitEthernet0/0 is up, line protocol is up\n  Encapsulation ARPA");
    expect(snap.cdpInterface).toContain("Serial0/0 is up, line protocol is up\n  Encapsulation HDLC");
    expect(snap.cdpInterface).toContain("Tunnel0 is up, line protocol is up\n  Encapsulation TUNNEL");
    expect(snap.cdpInterface).toContain(" cdp enabled interfaces : 3");
    expect(snap.running).toMatch(/interface Tunnel0\n[^!]* cdp enable\n/);
    expect(snap.running).toContain("router odr\n!");
    expect(snap.running).toContain("cdp run\n");
  });

  test("bad frames are dropped and counted; the table keeps only real neighbours", () => {
    expect(snap.traffic).toMatch(/Hdr syntax: 1, Chksum error: 1, Encaps failed: \d+/);
    expect(snap.traffic).toMatch(/Total packets output: [1-9]\d*, Input: [1-9]\d*/);
    expect(rows(snap.afterBad!)).toHaveLength(3);
  });

  test("R2's entry expires after its 180 s holdtime once it stops CDP; clear cdp table empties the table", () => {
    expect(rows(snap.before!).some((l) => l.startsWith("R2 "))).toBe(true);
    expect(rows(snap.after!).some((l) => l.startsWith("R2 "))).toBe(false);
    expect(rows(snap.after!)).toHaveLength(2);
    expect(snap.cleared).toContain("Total cdp entries displayed : 0");
    expect(rows(snap.relearned!)).toHaveLength(2);
  });
});

describe("CDP settings", () => {
  test("cdp timer and cdp holdtime: R1's entry on the hub holds 30 s at most, and the configuration shows them", () => {
    expect(rows(snap.shortHold!)[0]).toMatch(/^R1 {15}Gig 0\/0 {11}(30|2\d) /);
    expect(snap.r1Cdp).toContain("Sending CDP packets every 10 seconds\n\tSending a holdtime value of 30 seconds");
    expect(snap.r1Running).toContain("cdp timer 10\ncdp holdtime 30\ncdp run\n");
  });

  test("no cdp run: the hub shows CDP as not enabled and its ODR routes are gone", () => {
    expect(snap.hubOff).toBe("% CDP is not enabled\n");
    expect(snap.hubOffRoutes).not.toMatch(/^o/m);
  });
});

describe("ODR", () => {
  test("the hub installs the stubs' connected prefixes as o routes [160/1]", () => {
    expect(snap.hubRoutes).toMatch(
      /^o {8}172\.16\.1\.0 \[160\/1\] via 10\.0\.15\.1, GigabitEthernet0\/0\n {20}\[160\/1\] via 10\.1\.1\.1, Tunnel0$/m,
    );
    expect(snap.hubRoutes).toMatch(/^o {8}172\.16\.2\.0 \[160\/1\] via 10\.0\.25\.2, Serial0\/0$/m);
  });

  test("a stub takes the hub's address as its default route o* [160/1] and gateway of last resort", () => {
    expect(snap.r2Routes).toMatch(/^o\* {4}0\.0\.0\.0\/0 \[160\/1\] via 10\.0\.25\.5, Serial0\/0$/m);
    expect(snap.r1Routes).toMatch(/Gateway of last resort is 10\.(0\.15\.5|1\.1\.5) to network 0\.0\.0\.0/);
  });

  test("show ip protocols has ODR's block with its sources", () => {
    expect(snap.protocols).toContain('Routing Protocol is "odr"');
    expect(snap.protocols).toContain("Invalid after 270 seconds, hold down 0, flushed after 360");
    expect(snap.protocols).toMatch(
      /\n {4}10\.0\.15\.1 {12}160 {6}00:00:\d\d\n {4}10\.0\.25\.2 {12}160 {6}00:00:\d\d\n/,
    );
  });

  test("a stub's route goes when its CDP entry expires", () => {
    expect(snap.routesBefore).toContain("172.16.2.0");
    expect(snap.routesAfter).not.toContain("172.16.2.0");
    expect(snap.routesAfter).toContain("172.16.1.0");
  });
});

describe.skipIf(!hasTshark)("captures", () => {
  test("every CDP frame decodes with a good checksum and nothing malformed", () => {
    const files = readdirSync(root).filter((f) => f.endsWith(".pcap"));
    let n = 0;
    for (const f of files) {
      const rs = tsharkFields(join(root, f), ["cdp.checksum.status", "cdp.deviceid", "_ws.malformed"], {
        filter: "cdp",
      });
      for (const r of rs) {
        if (r["cdp.deviceid"] === "INTRUDER") continue;
        n++;
        expect(r["cdp.checksum.status"]).toBe("1");
        expect(r["_ws.malformed"]).toBe("");
      }
    }
    expect(n).toBeGreaterThan(10);
  }, 30_000);
});
