// show ip interface brief, show interfaces and show ip interface: brief
// column widths, per-kind hardware and encapsulation lines, WFQ vs FIFO,
// last input/output from virtual time, counters, subinterfaces, loopback,
// Null0 and the ACL / proxy-ARP / unreachables lines.

import { describe, expect, test } from "bun:test";
import {
  renderShowInterfaces,
  renderShowIpInterface,
  renderShowIpInterfaceBrief,
} from "../../../src/config/router/show-interfaces.ts";
import type { RouterInterface } from "../../../src/dataplane/pipeline/router-interface.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp, fakeRouter } from "./fake-context.ts";

const ip = (s: string): number => parseIpv4Address(s)!;

/** An HDLC frame holding a UDP datagram 10.0.12.1 -> 10.0.12.2 to `dport`. */
function hdlcUdp(dport: number): Uint8Array {
  const f = new Uint8Array(4 + 28 + 72);
  f.set([0x0f, 0x00, 0x08, 0x00, 0x45, 0, 0, 100, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 12, 1, 10, 0, 12, 2]);
  f.set([0x13, 0x88, dport >> 8, dport & 0xff, 0, 80], 24);
  return f;
}
const SEC = 1e9;

function r1() {
  const made = fakeRouter("R1", [
    { name: "GigabitEthernet0/0", kind: "ethernet" },
    { name: "Serial0/0", kind: "serial" },
    { name: "Serial0/1", kind: "serial" },
    { name: "Serial0/2", kind: "serial", bitsPerSecond: 8_000_000 },
  ]);
  bringUp(made.device, "Serial0/0", ip("10.0.12.1"), 24);
  return made;
}

describe("show ip interface brief", () => {
  test("exact IOS columns, unassigned, admin down, no Null0", () => {
    const { device } = r1();
    bringUp(device, "Loopback0", ip("1.1.1.1"), 32);
    const g = device.findInterface("Gi0/0")!;
    g.config.shutdown = false;
    device.interfaceChanged(g); // no carrier: down/down
    expect(renderShowIpInterfaceBrief(device)).toBe(
      [
        "Interface                  IP-Address      OK? Method Status                Protocol",
        "GigabitEthernet0/0         unassigned      YES unset  down                  down",
        "Serial0/0                  10.0.12.1       YES manual up                    up",
        "Serial0/1                  unassigned      YES unset  administratively down down",
        "Serial0/2                  unassigned      YES unset  administratively down down",
        "Loopback0                  1.1.1.1         YES manual up                    up",
        "",
      ].join("\n"),
    );
  });
});

describe("show interfaces", () => {
  test("serial T1: M4T, HDLC, IOS's default WFQ with its real depth and conversations, counters and times", () => {
    const { device, ctx } = r1();
    const s0 = device.findInterface("Serial0/0")!;
    s0.config.description = "to R2";
    Object.assign(s0.counters, {
      inputPackets: 52,
      inputBytes: 4043,
      inputBroadcasts: 3,
      outputPackets: 54,
      outputBytes: 4148,
      outputDrops: 2,
      crc: 1,
      inputErrors: 1,
      giants: 4,
    });
    s0.lastInputAt = 10 * SEC;
    s0.lastOutputAt = 9 * SEC;
    ctx.nowNs = 12 * SEC;
    // Serial0/0 is port 1, busy for a second: seven datagrams of three flows wait in its WFQ.
    ctx.txBusyUntil = (port) => (port === 1 ? 13 * SEC : ctx.nowNs);
    for (const dport of [5001, 5001, 5001, 5002, 5002, 5003, 5003])
      expect(device.stack.transmit(s0, 1, hdlcUdp(dport))).toBe(true);
    expect(renderShowInterfaces(device, s0)).toBe(
      [
        "Serial0/0 is up, line protocol is up",
        "  Hardware is M4T",
        "  Description: to R2",
        "  Internet address is 10.0.12.1/24",
        "  MTU 1500 bytes, BW 1544 Kbit/sec, DLY 20000 usec,",
        "     reliability 255/255, txload 1/255, rxload 1/255",
        "  Encapsulation HDLC, crc 16, loopback not set",
        "  Keepalive not set",
        "  Restart-Delay is 0 secs",
        "  Last input 00:00:02, output 00:00:03, output hang never",
        '  Last clearing of "show interface" counters never',
        "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 2",
        "  Queueing strategy: weighted fair",
        "  Output queue: 7/1000/64/0 (size/max total/threshold/drops)",
        "     Conversations  3/3/256 (active/max active/max total)",
        "     Reserved Conversations 0/0 (allocated/max allocated)",
        "     Available Bandwidth 1158 kilobits/sec",
        "  5 minute input rate 0 bits/sec, 0 packets/sec",
        "  5 minute output rate 0 bits/sec, 0 packets/sec",
        "     52 packets input, 4043 bytes, 0 no buffer",
        "     Received 3 broadcasts, 0 runts, 4 giants, 0 throttles",
        "     1 input errors, 1 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort",
        "     54 packets output, 4148 bytes, 0 underruns",
        "     0 output errors, 0 collisions, 0 interface resets",
        "     0 unknown protocol drops",
        "     0 output buffer failures, 0 output buffers swapped out",
        "     0 carrier transitions     DCD=up  DSR=up  DTR=up  RTS=up  CTS=up",
        "",
      ].join("\n"),
    );
  });

  test("fast serial is fifo; shut serial shows never and signals down", () => {
    const { device } = r1();
    const text = renderShowInterfaces(device, device.findInterface("Serial0/2")!);
    expect(text).toContain("Serial0/2 is administratively down, line protocol is down\n");
    expect(text).toContain("  MTU 1500 bytes, BW 8000 Kbit/sec, DLY 20000 usec,\n");
    expect(text).toContain("  Last input never, output never, output hang never\n");
    expect(text).toContain("  Queueing strategy: fifo\n  Output queue: 0/40 (size/max)\n");
    expect(text).toContain("DCD=down  DSR=down  DTR=down  RTS=down  CTS=down\n");
  });

  test("IOS's default: WFQ on serial at E1 speed and below (dynamic queues from the bandwidth), FIFO above", () => {
    const { device } = r1();
    const s0 = device.findInterface("Serial0/0")!;
    for (const [bw, queues] of [
      [64, 16],
      [512, 128],
      [2048, 256],
    ] as const) {
      s0.config.bandwidthKbps = bw;
      device.interfaceChanged(s0);
      const text = renderShowInterfaces(device, s0);
      expect(text).toContain("  Queueing strategy: weighted fair\n");
      expect(text).toContain(`     Conversations  0/0/${queues} (active/max active/max total)\n`);
    }
    s0.config.bandwidthKbps = 2049;
    device.interfaceChanged(s0);
    const text = renderShowInterfaces(device, s0);
    expect(text).toContain("  Queueing strategy: fifo\n  Output queue: 0/40 (size/max)\n");
    expect(text).not.toContain("Conversations");
  });

  test("clear counters: Last clearing shows the time since, per interface", async () => {
    const { device, ctx } = r1();
    const { CliSession } = await import("../../../src/config/cli/modes.ts");
    const { routerCommandTable } = await import("../../../src/config/router/router-commands.ts");
    const session = new CliSession(routerCommandTable(), { device, hostname: () => "R1", privileged: true });
    ctx.nowNs = 100 * SEC;
    expect(session.execute("clear counters Serial0/0")).toEqual({
      output: "",
      prompt: 'Clear "show interface" counters on this interface [confirm]',
    });
    expect(session.execute("").output).toBe("");
    ctx.nowNs = 165 * SEC;
    expect(renderShowInterfaces(device, device.findInterface("Serial0/0")!)).toContain(
      '  Last clearing of "show interface" counters 00:01:05\n',
    );
    expect(renderShowInterfaces(device, device.findInterface("Serial0/1")!)).toContain(
      '  Last clearing of "show interface" counters never\n',
    );
    expect(ctx.consoleLines).toContain("%CLEAR-5-COUNTERS: Clear counter on interface Serial0/0 by console");
  });

  test("GigabitEthernet: hardware with MAC, ARPA, ARP timeout, Ethernet counters", () => {
    const { device } = r1();
    const g = bringUp(device, "GigabitEthernet0/0", ip("10.0.0.1"), 24);
    const lines = renderShowInterfaces(device, g).split("\n");
    expect(lines.slice(0, 12)).toEqual([
      "GigabitEthernet0/0 is up, line protocol is up",
      "  Hardware is i82543 (Livengood), address is aabb.cc00.0100 (bia aabb.cc00.0100)",
      "  Internet address is 10.0.0.1/24",
      "  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,",
      "     reliability 255/255, txload 1/255, rxload 1/255",
      "  Encapsulation ARPA, loopback not set",
      "  Keepalive not set",
      "  Full-duplex, 1000Mb/s, link type is autonegotiation, media type is RJ45",
      "  output flow-control is XON, input flow-control is XON",
      "  ARP type: ARPA, ARP Timeout 04:00:00",
      "  Last input never, output never, output hang never",
      '  Last clearing of "show interface" counters never',
    ]);
    expect(lines).toContain("  Queueing strategy: fifo");
    expect(lines).toContain("  Output queue: 0/40 (size/max)");
    expect(lines).toContain("     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored");
    expect(lines).toContain("     0 lost carrier, 0 no carrier, 0 pause output");
  });

  test("subinterface: 802.1Q line and the short block", () => {
    const { device } = r1();
    bringUp(device, "GigabitEthernet0/0");
    const sub = device.ensureInterface("GigabitEthernet0/0.100") as RouterInterface;
    sub.config.vlan = 100;
    sub.config.address = { address: ip("10.1.100.1"), length: 24 };
    device.interfaceChanged(sub);
    expect(renderShowInterfaces(device, sub)).toBe(
      [
        "GigabitEthernet0/0.100 is up, line protocol is up",
        "  Hardware is i82543 (Livengood), address is aabb.cc00.0100 (bia aabb.cc00.0100)",
        "  Internet address is 10.1.100.1/24",
        "  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,",
        "     reliability 255/255, txload 1/255, rxload 1/255",
        "  Encapsulation 802.1Q Virtual LAN, Vlan ID  100.",
        "  ARP type: ARPA, ARP Timeout 04:00:00",
        "  Keepalive not set",
        '  Last clearing of "show interface" counters never',
        "",
      ].join("\n"),
    );
  });

  test("loopback and Null0", () => {
    const { device } = r1();
    bringUp(device, "Loopback0", ip("1.1.1.1"), 32);
    const lo = renderShowInterfaces(device, device.findInterface("Loopback0")!).split("\n");
    expect(lo.slice(0, 7)).toEqual([
      "Loopback0 is up, line protocol is up",
      "  Hardware is Loopback",
      "  Internet address is 1.1.1.1/32",
      "  MTU 1514 bytes, BW 8000000 Kbit/sec, DLY 5000 usec,",
      "     reliability 255/255, txload 1/255, rxload 1/255",
      "  Encapsulation LOOPBACK, loopback not set",
      "  Keepalive not set",
    ]);
    expect(lo).toContain("  Output queue: 0/0 (size/max)");
    const nul = renderShowInterfaces(device, device.findInterface("Null0")!).split("\n");
    expect(nul.slice(0, 5)).toEqual([
      "Null0 is up, line protocol is up",
      "  Hardware is Unknown",
      "  MTU 1500 bytes, BW 10000000 Kbit/sec, DLY 0 usec,",
      "     reliability 255/255, txload 1/255, rxload 1/255",
      "  Encapsulation ARPA, loopback not set",
    ]);
  });

  test("all interfaces in IOS order, Null0 last", () => {
    const { device } = r1();
    const heads = renderShowInterfaces(device)
      .split("\n")
      .filter((l) => / is .*, line protocol is /.test(l));
    expect(heads.map((l) => l.split(" ")[0])).toEqual([
      "GigabitEthernet0/0",
      "Serial0/0",
      "Serial0/1",
      "Serial0/2",
      "Null0",
    ]);
  });
});

describe("show ip interface", () => {
  test("addressed interface with ACLs, proxy ARP off, unreachables off, secondary", () => {
    const { device } = r1();
    const s0 = device.findInterface("Serial0/0")!;
    s0.config.accessGroupIn = "101";
    s0.config.accessGroupOut = "BLOCK";
    s0.config.proxyArp = false;
    s0.config.unreachables = false;
    s0.config.ipMtu = 1400;
    s0.config.secondaries.push({ address: ip("10.9.9.1"), length: 24 });
    const lines = renderShowIpInterface(device, s0).split("\n");
    expect(lines.slice(0, 11)).toEqual([
      "Serial0/0 is up, line protocol is up",
      "  Internet address is 10.0.12.1/24",
      "  Broadcast address is 255.255.255.255",
      "  Address determined by setup command",
      "  MTU is 1400 bytes",
      "  Directed broadcast forwarding is disabled",
      "  Secondary address 10.9.9.1/24",
      "  Outgoing access list is BLOCK",
      "  Inbound  access list is 101",
      "  Proxy ARP is disabled",
      "  Split horizon is enabled",
    ]);
    // Lines for features the emulator does not have are not printed as fixed text.
    for (const absent of ["fast switching", "WCCP", "Policy routing", "Helper address", "header compression"])
      expect(lines.some((l) => l.includes(absent))).toBe(false);
    expect(lines).toContain("  ICMP redirects are always sent");
    expect(lines).toContain("  ICMP unreachables are never sent");
    expect(lines).toContain("  Input features: Access List, MCI Check");
  });

  test("NAT: enabled with the interface's domain, and NAT in the input features", () => {
    const { device } = r1();
    const s0 = device.findInterface("Serial0/0")!;
    expect(renderShowIpInterface(device, s0)).toContain("  Network address translation is disabled\n");
    s0.config.nat = "outside";
    let lines = renderShowIpInterface(device, s0).split("\n");
    expect(lines).toContain("  Network address translation is enabled, interface in domain outside");
    expect(lines).toContain("  Input features: NAT Outside, MCI Check");
    s0.config.nat = "inside";
    s0.config.accessGroupIn = "101";
    lines = renderShowIpInterface(device, s0).split("\n");
    expect(lines).toContain("  Network address translation is enabled, interface in domain inside");
    expect(lines).toContain("  Input features: Access List, NAT Inside, MCI Check");
  });

  test("defaults and unaddressed interfaces", () => {
    const { device } = r1();
    const text = renderShowIpInterface(device);
    expect(text).toContain(
      "  Outgoing access list is not set\n  Inbound  access list is not set\n  Proxy ARP is enabled\n",
    );
    expect(text).toContain("  ICMP unreachables are always sent\n");
    expect(text).toContain(
      "Serial0/1 is administratively down, line protocol is down\n  Internet protocol processing disabled\n",
    );
    expect(text.endsWith("\n")).toBe(true);
  });
});

describe("hold-queue and fair-queue", () => {
  test("hold-queue N out sets the FIFO's limit and Output queue shows it; in shows in Input queue; no restores", async () => {
    const { routerSession } = await import("./router-session.ts");
    const r = routerSession();
    expect(r.load(["interface Serial0/0", " no fair-queue", " hold-queue 4096 out", " hold-queue 100 in"])).toEqual([]);
    const text = r.run("show interfaces Serial0/0");
    expect(text).toContain("  Input queue: 0/100/0/0 (size/max/drops/flushes)");
    expect(text).toContain("  Queueing strategy: fifo\n  Output queue: 0/4096 (size/max)\n");
    expect(r.run("show running-config interface Serial0/0")).toContain(
      " no fair-queue\n shutdown\n hold-queue 100 in\n hold-queue 4096 out\n",
    );
    expect(r.load(["interface Serial0/0", " no hold-queue out"])).toEqual([]);
    expect(r.run("show interfaces Serial0/0")).toContain("  Output queue: 0/40 (size/max)\n");
  });
  test("fair-queue CDT dynamic reservable: WFQ with those parameters, in the running config; fair-queue restores the default", async () => {
    const { routerSession } = await import("./router-session.ts");
    const r = routerSession();
    expect(r.load(["interface Serial0/0", " fair-queue 1024 16 32", " hold-queue 500 out"])).toEqual([]);
    const text = r.run("show interfaces Serial0/0");
    expect(text).toContain("  Output queue: 0/500/1024/0 (size/max total/threshold/drops)\n");
    expect(text).toContain("     Conversations  0/0/16 (active/max active/max total)\n");
    expect(r.run("show running-config interface Serial0/0")).toContain(" fair-queue 1024 16 32\n");
    expect(r.load(["interface Serial0/0", " fair-queue"])).toEqual([]);
    expect(r.run("show running-config interface Serial0/0")).not.toContain("fair-queue");
    expect(r.load(["interface Serial0/0", " fair-queue 64 100"])).toEqual([
      " fair-queue 64 100\n% Number of dynamic queues must be a power of 2 (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)",
    ]);
  });
});
