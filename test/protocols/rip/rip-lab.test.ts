// RIPv2 (RFC 2453) on real routers, configured with IOS lines, checked from
// the routing tables, `show ip rip database` and the bytes on the wires:
//
//   R5 (version 1) ---.
//   R1 ------------- LAN (10.0.12.0/24) ------------- R2 ---- Serial (10.0.23.0/24) ---- R3
//   R1 Gi0/1 (passive) ---- R4 (10.0.14.0/24)
//
// Loopback0 of Rn is 172.16.n.n/24. R1 originates a default while its Loopback1
// (192.168.100.0/24, outside RIP) is up (`default-information originate
// route-map`); R2 keeps 172.16.1.0/24 from R3 (`distribute-list prefix ... out
// Serial0/0`); R1 sends nothing to R4 (`passive-interface`) but learns from it;
// R5 speaks version 1 and R1/R2 ignore it (and it them). Then, in order: R3
// adds a loopback (triggered updates, poisoned reverse back to R3), R1's
// Loopback1 goes down and up (the default withdrawn with metric 16 and back),
// R3 falls silent (180 s invalid, possibly down, flushed at 240 s). Every RIP
// packet of the captures decodes in tshark.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../../actors/index.ts";
import { PcapDirectorySink } from "../../../src/capture/lab-capture.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { formatIpv4Address, lengthFromMask } from "../../../src/wire/ipv4-address.ts";
import { parseRip, type RipMessage } from "../../../src/wire/rip.ts";
import { hasTshark, readPcap, tsharkFields } from "../../capture/pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-rip-lab-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");

const SEC = 1e9;

const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router", R4: "router", R5: "router" },
  links: [
    { name: "R2-R3", a: "R2 Serial0/0", b: "R3 Serial0/0", latencyMs: 1 },
    { name: "R1-R4", a: "R1 GigabitEthernet0/1", b: "R4 GigabitEthernet0/0", latencyMs: 1 },
  ],
  segments: [{ name: "LAN", ports: ["R1 GigabitEthernet0/0", "R2 GigabitEthernet0/0", "R5 GigabitEthernet0/0"] }],
};

function router(n: number, interfaces: Array<[string, string]>, extra: string[], ripLines: string[] = []): string {
  const lines = [`hostname R${n}`, "interface Loopback0", ` ip address 172.16.${n}.${n} 255.255.255.0`];
  for (const [ifc, address] of interfaces)
    lines.push(`interface ${ifc}`, ` ip address ${address} 255.255.255.0`, " no shutdown");
  lines.push(...extra, "router rip", ...ripLines, " network 10.0.0.0", " network 172.16.0.0");
  return `${lines.join("\n")}\nend\n`;
}

const V2 = [" version 2", " no auto-summary"];

const CONFIGS = {
  R1: router(
    1,
    [
      ["GigabitEthernet0/0", "10.0.12.1"],
      ["GigabitEthernet0/1", "10.0.14.1"],
      ["Loopback1", "192.168.100.1"],
    ],
    [
      "ip prefix-list UPLINK seq 5 permit 192.168.100.0/24",
      "route-map DEF permit 10",
      " match ip address prefix-list UPLINK",
    ],
    [...V2, " passive-interface GigabitEthernet0/1", " default-information originate route-map DEF"],
  ),
  R2: router(
    2,
    [
      ["GigabitEthernet0/0", "10.0.12.2"],
      ["Serial0/0", "10.0.23.2"],
    ],
    ["ip prefix-list NO-R1 seq 5 deny 172.16.1.0/24", "ip prefix-list NO-R1 seq 10 permit 0.0.0.0/0 le 32"],
    [...V2, " distribute-list prefix NO-R1 out Serial0/0"],
  ),
  R3: router(3, [["Serial0/0", "10.0.23.3"]], [], V2),
  R4: router(
    4,
    [["GigabitEthernet0/0", "10.0.14.4"]],
    ["ip route 192.0.2.0 255.255.255.0 Null0"],
    [...V2, " redistribute static", " default-metric 3"],
  ),
  R5: router(5, [["GigabitEthernet0/0", "10.0.12.5"]], [], [" version 1"]),
};

const snap: Record<string, string> = {};
/** Virtual times (ns) of the phases. */
const at: Record<string, number> = {};

/** The RIP routes of `show ip route rip` as "prefix/len [AD/metric] via NH" lines. */
function ripRoutes(show: string): string[] {
  return show
    .split("\n")
    .filter((l) => /^R/.test(l))
    .map((l) => l.replace(/^R\*?\s+/, "").replace(/, \S+$/, ""));
}

/** A RIP message seen on a wire: when, from which address, what it carried. */
interface Seen {
  timeNs: number;
  src: string;
  message: RipMessage;
}

function ripOnWire(file: string): Seen[] {
  const { linktype, packets } = readPcap(readFileSync(join(root, file)));
  const out: Seen[] = [];
  for (const p of packets) {
    const o = linktype === 1 ? 14 : 4;
    if (linktype === 1 && (p.bytes[12] !== 0x08 || p.bytes[13] !== 0x00)) continue;
    const ihl = (p.bytes[o]! & 0x0f) * 4;
    if (p.bytes[o + 9] !== 17) continue;
    const udp = p.bytes.subarray(o + ihl);
    if (((udp[2]! << 8) | udp[3]!) !== 520) continue;
    const m = parseRip(udp.subarray(8));
    if (!m.ok) throw new Error(`bad RIP in ${file}`);
    const src = formatIpv4Address(
      ((p.bytes[o + 12]! << 24) | (p.bytes[o + 13]! << 16) | (p.bytes[o + 14]! << 8) | p.bytes[o + 15]!) >>> 0,
    );
    out.push({ timeNs: p.timeNs, src, message: m.value });
  }
  return out;
}

const entries = (m: RipMessage): string[] =>
  m.entries.map((e) => `${formatIpv4Address(e.address)}/${lengthFromMask(e.mask) ?? "?"} ${e.metric}`);

let wires: Record<string, Seen[]> = {};

beforeAll(async () => {
  const spec = buildLabSpec("rip-lab", "rip-lab", TOPOLOGY, CONFIGS, 1);
  const captured = await Lab.create(spec, {
    workers: 0,
    factories: deviceFactories,
    capture: new PcapDirectorySink(root),
  });
  const cmd = async (d: string, line: string) => (await captured.command(d, line)).output;
  const config = async (d: string, ...lines: string[]) => {
    for (const l of ["configure terminal", ...lines, "end"]) {
      const out = await cmd(d, l);
      if (out.includes("%")) throw new Error(`${d}: ${l}: ${out}`);
    }
  };
  try {
    await captured.run(60 * SEC);
    for (const d of ["R1", "R2", "R3", "R4", "R5"]) snap[`route ${d}`] = await cmd(d, "show ip route rip");
    snap["full route R3"] = await cmd("R3", "show ip route");
    snap["db R3"] = await cmd("R3", "show ip rip database");
    snap["db R1"] = await cmd("R1", "show ip rip database");
    snap["protocols R2"] = await cmd("R2", "show ip protocols");
    snap["db R4"] = await cmd("R4", "show ip rip database");
    snap["protocols R4"] = await cmd("R4", "show ip protocols");
    snap["protocols R1"] = await cmd("R1", "show ip protocols");
    snap["debug on"] = await cmd("R2", "debug ip rip");
    await cmd("R2", "terminal monitor");
    await captured.run(35 * SEC);
    snap["debug off"] = await cmd("R2", "no debug ip rip");
    snap["log R2"] = await cmd("R2", "show logging");
    await captured.run(35 * SEC);
    snap["log R2 later"] = await cmd("R2", "show logging");

    // A new network on R3: triggered updates carry it; R2 poisons it back towards R3.
    at.newLoopback = captured.now;
    await config("R3", "interface Loopback1", " ip address 172.16.33.3 255.255.255.0");
    await captured.run(11 * SEC);
    snap["route R1 new"] = await cmd("R1", "show ip route rip");

    // The condition of R1's default goes away, then comes back.
    await captured.run(30 * SEC);
    at.uplinkDown = captured.now;
    await config("R1", "interface Loopback1", " shutdown");
    await captured.run(11 * SEC);
    snap["route R3 nodefault"] = await cmd("R3", "show ip route rip");
    snap["db R3 nodefault"] = await cmd("R3", "show ip rip database");
    await config("R1", "interface Loopback1", " no shutdown");
    await captured.run(40 * SEC);
    snap["route R3 default back"] = await cmd("R3", "show ip route rip");

    // R3 falls silent towards R2: R2's routes from it time out on the virtual clock.
    await config("R3", "router rip", " passive-interface Serial0/0");
    await captured.run(149 * SEC);
    snap["db R2 149"] = await cmd("R2", "show ip rip database");
    snap["route R2 149"] = await cmd("R2", "show ip route rip");
    await captured.run(60 * SEC);
    snap["db R2 209"] = await cmd("R2", "show ip rip database");
    snap["route R2 209"] = await cmd("R2", "show ip route rip");
    snap["route R1 209"] = await cmd("R1", "show ip route rip");
    await captured.run(32 * SEC);
    snap["db R2 241"] = await cmd("R2", "show ip rip database");
  } finally {
    captured.close();
  }
  wires = { "R2-R3": ripOnWire("R2-R3.pcap"), LAN: ripOnWire("LAN.pcap"), "R1-R4": ripOnWire("R1-R4.pcap") };
}, 120_000);

describe("RIPv2 in a lab", () => {
  test("routes are learned with hop-count metrics at distance 120", () => {
    expect(ripRoutes(snap["route R3"]!)).toEqual([
      "0.0.0.0/0 [120/2] via 10.0.23.2",
      "10.0.12.0/24 [120/1] via 10.0.23.2",
      "10.0.14.0/24 [120/2] via 10.0.23.2",
      "172.16.2.0/24 [120/1] via 10.0.23.2",
      "172.16.4.0/24 [120/3] via 10.0.23.2",
      "192.0.2.0/24 [120/5] via 10.0.23.2",
    ]);
    expect(snap["full route R3"]).toContain("Gateway of last resort is 10.0.23.2 to network 0.0.0.0");
    expect(snap["full route R3"]).toContain("R*    0.0.0.0/0 [120/2] via 10.0.23.2");
    expect(ripRoutes(snap["route R2"]!)).toEqual([
      "0.0.0.0/0 [120/1] via 10.0.12.1",
      "10.0.14.0/24 [120/1] via 10.0.12.1",
      "172.16.1.0/24 [120/1] via 10.0.12.1",
      "172.16.3.0/24 [120/1] via 10.0.23.3",
      "172.16.4.0/24 [120/2] via 10.0.12.1",
      "192.0.2.0/24 [120/4] via 10.0.12.1",
    ]);
  });

  test("distribute-list prefix out: R2 keeps 172.16.1.0/24 from R3 only", () => {
    expect(snap["route R3"]).not.toContain("172.16.1.0");
    for (const s of wires["R2-R3"]!.filter((x) => x.src === "10.0.23.2"))
      expect(entries(s.message).filter((e) => e.startsWith("172.16.1.0/24"))).toEqual([]);
    expect(ripRoutes(snap["route R2"]!)).toContain("172.16.1.0/24 [120/1] via 10.0.12.1");
  });

  test("passive-interface: R1 sends nothing to R4 but learns R4's network from it", () => {
    expect(ripRoutes(snap["route R4"]!)).toEqual([]);
    const r1 = wires["R1-R4"]!.filter((x) => x.src === "10.0.14.1");
    const r4 = wires["R1-R4"]!.filter((x) => x.src === "10.0.14.4");
    expect(r1).toEqual([]);
    expect(r4.length).toBeGreaterThan(5);
    expect(ripRoutes(snap["route R1"]!)).toContain("172.16.4.0/24 [120/1] via 10.0.14.4");
  });

  test("redistribute static with default-metric: sent at that metric, counted on from there", () => {
    expect(ripRoutes(snap["route R1"]!)).toContain("192.0.2.0/24 [120/3] via 10.0.14.4");
    expect(ripRoutes(snap["route R3"]!)).toContain("192.0.2.0/24 [120/5] via 10.0.23.2");
    expect(snap["db R4"]).toContain("192.0.2.0/24    redistributed\n    [3] via 0.0.0.0,\n");
    expect(snap["protocols R4"]).toContain("  Redistributing: static, rip\n  Default redistribution metric is 3\n");
  });

  test("a version 1 speaker is ignored by version 2 routers and ignores them", () => {
    expect(snap["route R2"]).not.toContain("172.16.5.0");
    expect(snap["route R1"]).not.toContain("172.16.5.0");
    expect(ripRoutes(snap["route R5"]!)).toEqual([]);
    const v1 = wires.LAN!.filter((x) => x.src === "10.0.12.5" && x.message.command === "response");
    expect(v1.length).toBeGreaterThan(3);
    expect(v1.every((x) => x.message.version === 1)).toBe(true);
    expect(snap["log R2"]).toContain("RIP: ignored v1 packet from 10.0.12.5 (illegal version)");
  });

  test("split horizon: regular updates never carry a route back out of the interface it came in on", () => {
    const fromR2 = wires["R2-R3"]!.filter((x) => x.src === "10.0.23.2" && x.message.command === "response");
    const fromR2Lan = wires.LAN!.filter((x) => x.src === "10.0.12.2" && x.message.command === "response");
    expect(fromR2.length).toBeGreaterThan(5);
    // Before R3 went passive, nothing learned from R3 (or its link) went back to it with a usable metric.
    for (const s of fromR2)
      for (const e of entries(s.message))
        if (/^(172\.16\.3\.0|172\.16\.33\.0|10\.0\.23\.0)\//.test(e)) expect(e).toMatch(/ 16$/);
    for (const s of fromR2Lan)
      for (const e of entries(s.message))
        if (/^(172\.16\.1\.0|10\.0\.14\.0|172\.16\.4\.0|0\.0\.0\.0|10\.0\.12\.0)\//.test(e)) expect(e).toMatch(/ 16$/);
    // ... and the other side's routes do go out, one hop further.
    expect(fromR2.some((s) => entries(s.message).includes("172.16.4.0/24 3"))).toBe(true);
    expect(fromR2Lan.some((s) => entries(s.message).includes("172.16.3.0/24 2"))).toBe(true);
  });

  test("triggered updates: a new network crosses in seconds and is poisoned back towards where it came from", () => {
    expect(ripRoutes(snap["route R1 new"]!)).toContain("172.16.33.0/24 [120/2] via 10.0.12.2");
    const t0 = at.newLoopback!;
    const fromR3 = wires["R2-R3"]!.filter((x) => x.src === "10.0.23.3" && x.timeNs > t0);
    const learnedAt = fromR3.find((x) => entries(x.message).includes("172.16.33.0/24 1"))!.timeNs;
    expect(learnedAt - t0).toBeLessThan(6 * SEC);
    const poisoned = wires["R2-R3"]!.find(
      (x) => x.src === "10.0.23.2" && x.timeNs > learnedAt && entries(x.message).includes("172.16.33.0/24 16"),
    );
    expect(poisoned).toBeDefined();
    expect(poisoned!.timeNs - learnedAt).toBeLessThan(6 * SEC);
    // A triggered update holds only what changed.
    expect(poisoned!.message.entries.length).toBe(1);
  });

  test("default-information originate route-map: the default follows the route the map matches", () => {
    expect(snap["route R3 nodefault"]).not.toContain("0.0.0.0/0");
    expect(snap["db R3 nodefault"]).toContain("0.0.0.0/0    is possibly down");
    const t0 = at.uplinkDown!;
    const withdrawn = wires.LAN!.find(
      (x) => x.src === "10.0.12.1" && x.timeNs > t0 && entries(x.message).includes("0.0.0.0/0 16"),
    );
    expect(withdrawn!.timeNs - t0).toBeLessThan(6 * SEC);
    expect(ripRoutes(snap["route R3 default back"]!)).toContain("0.0.0.0/0 [120/2] via 10.0.23.2");
  });

  test("timers: a silent neighbor's routes are possibly down after 180 s and flushed after 240 s", () => {
    expect(ripRoutes(snap["route R2 149"]!)).toContain("172.16.3.0/24 [120/1] via 10.0.23.3");
    expect(snap["db R2 149"]).toMatch(/^172\.16\.3\.0\/24\n {4}\[1\] via 10\.0\.23\.3, 00:0[0-2]:\d\d, Serial0\/0$/m);
    expect(snap["db R2 209"]).toContain("172.16.3.0/24    is possibly down");
    expect(snap["db R2 209"]).toContain("172.16.33.0/24    is possibly down");
    expect(snap["route R2 209"]).not.toContain("172.16.3.0");
    // R2 told R1 at once (metric 16 in a triggered update): R1 no longer routes there either.
    expect(snap["route R1 209"]).not.toContain("172.16.3.0");
    expect(snap["db R2 241"]).not.toContain("172.16.3.0");
    expect(snap["db R2 241"]).not.toContain("172.16.33.0");
    expect(snap["db R2 241"]).toContain("10.0.23.0/24    directly connected, Serial0/0");
  });

  test("show ip rip database", () => {
    expect(snap["db R3"]).toMatch(
      new RegExp(
        [
          "^0\\.0\\.0\\.0/0",
          "    \\[2\\] via 10\\.0\\.23\\.2, 00:00:[0-3]\\d, Serial0/0",
          "10\\.0\\.12\\.0/24",
          "    \\[1\\] via 10\\.0\\.23\\.2, 00:00:[0-3]\\d, Serial0/0",
          "10\\.0\\.14\\.0/24",
          "    \\[2\\] via 10\\.0\\.23\\.2, 00:00:[0-3]\\d, Serial0/0",
          "10\\.0\\.23\\.0/24    directly connected, Serial0/0",
          "172\\.16\\.2\\.0/24",
          "    \\[1\\] via 10\\.0\\.23\\.2, 00:00:[0-3]\\d, Serial0/0",
          "172\\.16\\.3\\.0/24    directly connected, Loopback0",
          "172\\.16\\.4\\.0/24",
          "    \\[3\\] via 10\\.0\\.23\\.2, 00:00:[0-3]\\d, Serial0/0",
          "192\\.0\\.2\\.0/24",
          "    \\[5\\] via 10\\.0\\.23\\.2, 00:00:[0-3]\\d, Serial0/0",
          "$",
        ].join("\\n"),
      ),
    );
    // The passive interface's network is RIP's all the same.
    expect(snap["db R1"]).toContain("10.0.14.0/24    directly connected, GigabitEthernet0/1");
  });

  test("show ip protocols: timers, filters, versions per interface, networks, passive interfaces, sources", () => {
    const p = snap["protocols R2"]!;
    expect(p).toMatch(
      new RegExp(
        [
          'Routing Protocol is "rip"',
          "  Outgoing update filter list for all interfaces is not set",
          "    Serial0/0 filtered by \\(prefix-list\\) NO-R1 \\(per-user\\), default is not set",
          "  Incoming update filter list for all interfaces is not set",
          "  Sending updates every 30 seconds, next due in ([0-9]|[12][0-9]|30) seconds",
          "  Invalid after 180 seconds, hold down 180, flushed after 240",
          "  Redistributing: rip",
          "  Default version control: send version 2, receive version 2",
          "    Interface             Send  Recv  Triggered RIP  Key-chain",
          "    GigabitEthernet0/0    2     2",
          "    Serial0/0             2     2",
          "    Loopback0             2     2",
          "  Automatic network summarization is not in effect",
          "  Maximum path: 4",
          "  Routing for Networks:",
          "    10\\.0\\.0\\.0",
          "    172\\.16\\.0\\.0",
          "  Routing Information Sources:",
          "    Gateway         Distance      Last Update",
          "    10\\.0\\.12\\.1 +120      00:00:[0-3]\\d",
          "    10\\.0\\.23\\.3 +120      00:00:[0-3]\\d",
          "  Distance: \\(default is 120\\)",
        ].join("\\n"),
      ),
    );
    // R1's passive interface is left out of the interface table and listed apart.
    expect(snap["protocols R1"]).toContain("  Passive Interface(s):\n    GigabitEthernet0/1\n");
    expect(snap["protocols R1"]).not.toMatch(/^ {4}GigabitEthernet0\/1 +2/m);
    expect(snap["protocols R1"]).toContain("    GigabitEthernet0/0    2     2\n");
  });

  test("debug ip rip prints the updates sent, received and ignored, and stops when turned off", () => {
    expect(snap["debug on"]).toContain("RIP protocol debugging is on");
    expect(snap["debug off"]).toContain("RIP protocol debugging is off");
    const log = snap["log R2"]!;
    expect(log).toMatch(
      /RIP: received v2 update from 10\.0\.23\.3 on Serial0\/0\n {5}172\.16\.3\.0\/24 via 0\.0\.0\.0 in 1 hops/,
    );
    expect(log).toMatch(
      /RIP: sending v2 update to 224\.0\.0\.9 via Serial0\/0 \(10\.0\.23\.2\)\nRIP: build update entries\n/,
    );
    expect(log).toContain("\t172.16.4.0/24 via 0.0.0.0, metric 3, tag 0");
    const count = (s: string) => s.split("\n").filter((l) => l.includes("RIP: ")).length;
    expect(count(log)).toBeGreaterThan(3);
    expect(count(snap["log R2 later"]!)).toBe(count(log));
  });

  test.skipIf(!hasTshark)("tshark decodes every RIP packet of the captures, nothing malformed or warned", () => {
    let n = 0;
    const versions = new Set<string>();
    for (const file of ["R2-R3.pcap", "LAN.pcap", "R1-R4.pcap"]) {
      const rows = tsharkFields(
        join(root, file),
        ["frame.number", "rip.version", "rip.command", "_ws.malformed", "_ws.expert.severity"],
        { filter: "rip" },
      );
      for (const r of rows) {
        expect(`${file} ${r["frame.number"]} ${r["_ws.malformed"]}`).toBe(`${file} ${r["frame.number"]} `);
        for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
          expect(Number(s)).toBeLessThan(0x00600000);
        versions.add(r["rip.version"]!);
      }
      n += rows.length;
      expect(rows.length).toBe(ripOnWire(file).length);
    }
    expect(n).toBeGreaterThan(50);
    expect([...versions].sort()).toEqual(["1", "2"]);
  });
});
