// debug ip ospf adj|events|hello on a two-router lab (R1 1.1.1.1, R2 2.2.2.2
// on one Ethernet): with `debug ip ospf adj` R1 prints its adjacency with R2
// forming in order (2WAY, dbase exchange, DBDs, negotiation as SLAVE, exchange
// done, LS requests, synchronized) before %OSPF-5-ADJCHG reaches FULL; R2 with
// `debug ip ospf hello` prints hellos and no ADJ lines; a switch turned off
// prints nothing more; `events` is both switches.

import { beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;

const TOPOLOGY = {
  devices: { R1: "router", R2: "router" },
  links: [{ name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 }],
};

const config = (n: number) =>
  [
    `hostname R${n}`,
    "logging buffered 200000",
    "interface GigabitEthernet0/0",
    ` ip address 10.0.12.${n} 255.255.255.0`,
    " no shutdown",
    "end",
    "",
  ].join("\n");

const snap: Record<string, string> = {};
const body = (log: string, what: string) =>
  log
    .split("\n")
    .filter((l) => l.includes(what))
    .map((l) => l.slice(l.indexOf(what)));

beforeAll(async () => {
  const spec = buildLabSpec("ospf-debug", "ospf-debug", TOPOLOGY, { R1: config(1), R2: config(2) }, 1);
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  const ospf = async (d: string, rid: string) => {
    for (const l of [
      "configure terminal",
      "router ospf 1",
      ` router-id ${rid}`,
      " network 10.0.12.0 0.0.0.255 area 0",
      "end",
    ]) {
      const out = await cmd(d, l);
      if (out.includes("%")) throw new Error(`${d}: ${l}: ${out}`);
    }
  };
  try {
    snap.adjOn = await cmd("R1", "debug ip ospf adj");
    snap.helloOn = await cmd("R2", "debug ip ospf hello");
    snap.showDebug1 = await cmd("R1", "show debugging");
    await ospf("R1", "1.1.1.1");
    await ospf("R2", "2.2.2.2");
    await lab.run(60 * SEC);
    snap.nbr = await cmd("R1", "show ip ospf neighbor");
    snap.log1 = await cmd("R1", "show logging");
    snap.log2 = await cmd("R2", "show logging");
    snap.adjOff = await cmd("R1", "no debug ip ospf adj");
    snap.helloOff = await cmd("R2", "undebug ip ospf hello");
    await cmd("R1", "clear ip ospf process");
    await cmd("R1", "yes");
    await lab.run(60 * SEC);
    snap.log1later = await cmd("R1", "show logging");
    snap.log2later = await cmd("R2", "show logging");
    snap.eventsOn = await cmd("R1", "debug ip ospf events");
    await lab.run(11 * SEC);
    snap.log1events = await cmd("R1", "show logging");
    snap.showDebugEvents = await cmd("R1", "show debugging");
    snap.showDebugOff = await cmd("R2", "show debugging");
    for (const l of ["configure terminal", "interface GigabitEthernet0/0", " ip ospf hello-interval 30", "end"])
      await cmd("R2", l);
    await lab.run(31 * SEC);
    snap.log1mismatch = await cmd("R1", "show logging");
    snap.undebugAll = await cmd("R1", "undebug all");
    snap.showDebugNone = await cmd("R1", "show debugging");
  } finally {
    lab.close();
  }
}, 60_000);

describe("debug ip ospf", () => {
  test("the switches answer as IOS does", () => {
    expect(snap.adjOn).toContain("OSPF adjacency debugging is on");
    expect(snap.helloOn).toContain("OSPF hello debugging is on");
    expect(snap.adjOff).toContain("OSPF adjacency debugging is off");
    expect(snap.helloOff).toContain("OSPF hello debugging is off");
    expect(snap.eventsOn).toContain("OSPF events debugging is on");
    expect(snap.nbr).toMatch(/2\.2\.2\.2 +1 +FULL\/DR/);
  });

  test("adj: the adjacency forms in order, as R1 (the SLAVE) sees it", () => {
    const adj = body(snap.log1!, "OSPF-1 ADJ   Gi0/0: ");
    const find = (re: RegExp) => {
      const i = adj.findIndex((l) => re.test(l));
      expect(`${i >= 0} ${re}`).toBe(`true ${re}`);
      return i;
    };
    const order = [
      find(/: 2 Way Communication to 2\.2\.2\.2, state 2WAY$/),
      find(/: Nbr 2\.2\.2\.2: Prepare dbase exchange$/),
      find(/: Send DBD to 2\.2\.2\.2 seq 0x[0-9A-F]+ opt 0x2 flag 0x7 len 32$/),
      find(/: Rcv DBD from 2\.2\.2\.2 seq 0x[0-9A-F]+ opt 0x2 flag 0x7 len 32 {2}mtu 1500 state EXSTART$/),
      find(/: NBR Negotiation Done\. We are the SLAVE$/),
      find(/: Rcv DBD from 2\.2\.2\.2 seq 0x[0-9A-F]+ opt 0x2 flag 0x[0-3] len \d+ {2}mtu 1500 state EXCHANGE$/),
      find(/: Exchange Done with 2\.2\.2\.2$/),
      find(/: Send LS REQ to 2\.2\.2\.2 length 36 LSA count 1$/),
      find(/: Synchronized with 2\.2\.2\.2, state FULL$/),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The syslog line of the same transition comes right after the debug line.
    const lines = snap.log1!.split("\n");
    const sync = lines.findIndex((l) => l.includes("Synchronized with 2.2.2.2"));
    expect(lines[sync + 1]).toContain(
      "%OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2 on GigabitEthernet0/0 from LOADING to FULL, Loading Done",
    );
    expect(body(snap.log1!, "HELLO")).toEqual([]);
  });

  test("hello: hellos sent and received, no adjacency lines", () => {
    const hello = body(snap.log2!, "OSPF-1 HELLO Gi0/0: ");
    expect(hello).toContain("OSPF-1 HELLO Gi0/0: Send hello to 224.0.0.5 area 0 from 10.0.12.2");
    expect(hello).toContain("OSPF-1 HELLO Gi0/0: Rcv hello from 1.1.1.1 area 0 10.0.12.1");
    expect(body(snap.log2!, " ADJ ")).toEqual([]);
  });

  test("off means nothing more, even as the adjacency forms again; events is both", () => {
    expect(body(snap.log1later!, "OSPF-1 ADJ").length).toBe(body(snap.log1!, "OSPF-1 ADJ").length);
    expect(snap.log1later).toContain("from LOADING to FULL");
    expect(body(snap.log2later!, "OSPF-1 HELLO").length).toBe(body(snap.log2!, "OSPF-1 HELLO").length);
    expect(body(snap.log1events!, "OSPF-1 HELLO Gi0/0: Send hello").length).toBeGreaterThan(0);
    expect(body(snap.log1events!, "Mismatched")).toEqual([]);
    expect(snap.undebugAll).toContain("All possible debugging has been turned off");
  });

  test("hello: a hello with other timers is reported with both sides' values", () => {
    const hello = body(snap.log1mismatch!, "OSPF-1 HELLO Gi0/0: ");
    const i = hello.indexOf("OSPF-1 HELLO Gi0/0: Mismatched hello parameters from 10.0.12.2");
    expect(i).toBeGreaterThan(0);
    expect(hello[i - 1]).toBe("OSPF-1 HELLO Gi0/0: Rcv hello from 2.2.2.2 area 0 10.0.12.2");
    expect(hello[i + 1]).toMatch(/^OSPF-1 HELLO Gi0\/0: Dead R \d+ C 40, Hello R 30 C 10$/);
  });

  test("show debugging lists the OSPF switches that are on, nothing once off", () => {
    expect(snap.showDebug1).toBe("OSPF:\n  OSPF adjacency debugging is on\n");
    expect(snap.showDebugEvents).toBe("OSPF:\n  OSPF events debugging is on\n");
    expect(snap.showDebugOff).toBe("");
    expect(snap.showDebugNone).toBe("");
  });
});
