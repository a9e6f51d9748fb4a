// TCP between Linux hosts through a router, driven as a console would: an
// iperf daemon from the .cfg, `iperf -c` with -n and -m through a 1400-byte
// link (the SYN's MSS is the IP MTU less 40, data segments follow the smaller
// MSS), a refused port (RST from a host, and from a router that has no TCP
// service), an unroutable target, a foreground `iperf -s`, and the same
// transfer over a lossy link (seeded), which retransmits and still delivers
// every byte. The captures are read back with the pcap reader.
import { afterAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { createLinuxHost, type LinuxHostActor } from "../../../actors/linux-host.ts";
import { encodeConsoleRequest } from "../../../src/config/cli/console-requests.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { parseEthernet } from "../../../src/wire/ethernet.ts";
import { IP_PROTO_TCP, parseIpv4 } from "../../../src/wire/ipv4.ts";
import { parseTcp, TCP_RST, TCP_SYN, type TcpSegment } from "../../../src/wire/tcp.ts";

const CONFIGS = {
  HA: "hostname HA\nip link set eth0 up\nip addr add 10.0.1.10/24 dev eth0\nip route add default via 10.0.1.1\n",
  HB: "hostname HB\nip link set eth0 up\nip link set eth0 mtu 1400\nip addr add 10.0.2.10/24 dev eth0\nip route add default via 10.0.2.1\niperf -s -D\n",
  R1: "hostname R1\ninterface GigabitEthernet0/0\n ip address 10.0.1.1 255.255.255.0\n no shutdown\ninterface GigabitEthernet0/1\n ip address 10.0.2.1 255.255.255.0\n mtu 1400\n no shutdown\nend\n",
};

/** A lab, its captured frames by wire name, and its Linux hosts' actors (inline, so their TCP can be read). */
interface TcpLab {
  lab: Lab;
  frames: Map<string, Uint8Array[]>;
  hosts: Record<string, LinuxHostActor>;
}

async function makeLab(seed: number, loss = 0, configs: Record<string, string> = CONFIGS): Promise<TcpLab> {
  const topo = {
    strict: true,
    devices: { HA: "linux-host", HB: "linux-host", R1: "router" },
    links: [
      { name: "HA-R1", a: "HA eth0", b: "R1 GigabitEthernet0/0", latencyMs: 1, loss },
      { name: "R1-HB", a: "R1 GigabitEthernet0/1", b: "HB eth0", latencyMs: 1, mtu: 1400 },
    ],
  };
  const frames = new Map<string, Uint8Array[]>();
  const hosts: Record<string, LinuxHostActor> = {};
  const lab = await Lab.create(buildLabSpec("host-tcp", "<test>", topo, configs, seed), {
    workers: 0,
    factories: {
      ...deviceFactories,
      "linux-host": (name, cfg) => (hosts[name] = createLinuxHost(name, cfg) as LinuxHostActor),
    },
    capture: {
      write: (wire, _at, bytes) =>
        void (frames.get(wire.name) ?? frames.set(wire.name, []).get(wire.name)!).push(bytes.slice()),
      close: () => {},
    },
  });
  await lab.run(2e9);
  await lab.command("HA", "ping -c 2 10.0.2.10");
  return { lab, frames, hosts };
}

/** TCP segments in a wire's capture, with the IP total length. */
function tcpSegments(t: TcpLab, wire: string): Array<{ seg: TcpSegment; ipLen: number }> {
  const out: Array<{ seg: TcpSegment; ipLen: number }> = [];
  for (const frame of t.frames.get(wire) ?? []) {
    const eth = parseEthernet(frame);
    if (!eth.ok || eth.value.ethertype !== 0x0800) continue;
    const ip = parseIpv4(eth.value.payload);
    if (!ip.ok || ip.value.protocol !== IP_PROTO_TCP) continue;
    const tcp = parseTcp(ip.value.payload, { src: ip.value.src, dst: ip.value.dst });
    if (!tcp.ok) throw new Error(`bad TCP in the capture: ${tcp.error.reason}`);
    out.push({ seg: tcp.value, ipLen: ip.value.payload.length + 20 });
  }
  return out;
}

const labs: TcpLab[] = [];
afterAll(() => {
  for (const l of labs) l.lab.close();
});

describe("TCP on Linux hosts", () => {
  test("iperf -c: SYN MSS from the MTU, data within the smaller MSS, iperf's report", async () => {
    const t = await makeLab(3);
    labs.push(t);
    const lab = t.lab;
    const { output } = await lab.command("HA", "iperf -c 10.0.2.10 -n 100K -m");
    expect(output).toContain("Client connecting to 10.0.2.10, TCP port 5001\nTCP window size: 64.0 KByte (default)");
    expect(output).toMatch(/\[ {2}3\] local 10\.0\.1\.10 port \d+ connected with 10\.0\.2\.10 port 5001/);
    expect(output).toContain("[  3] MSS size 1360 bytes (MTU 1400 bytes, unknown interface)");
    expect(output).toMatch(/\[ {2}3\] {2}0\.0- 0\.\d sec {3}100 KBytes {2}\s*[\d.]+ Mbits\/sec/);
    await lab.run(1e9);
    const segs = tcpSegments(t, "HA-R1");
    const syn = segs.find((s) => s.seg.flags === TCP_SYN)!.seg;
    expect(syn.options).toEqual([{ kind: "mss", mss: 1460 }]);
    const synAck = segs.find((s) => s.seg.flags === (TCP_SYN | 0x10))!.seg;
    expect(synAck.options).toEqual([{ kind: "mss", mss: 1360 }]);
    const data = segs.filter((s) => s.seg.dstPort === 5001 && s.seg.payload.length > 0);
    expect(data.reduce((n, s) => n + s.seg.payload.length, 0)).toBe(100 * 1024);
    expect(Math.max(...data.map((s) => s.seg.payload.length))).toBe(1360);
    expect(Math.max(...data.map((s) => s.ipLen))).toBe(1400);
    // iperf's digits, in order.
    expect(new TextDecoder().decode(data[0]!.seg.payload.subarray(0, 12))).toBe("012345678901");
    // The client ends in TIME-WAIT, the server's side is gone.
    expect(t.hosts.HA!.routerDevice.tcp.all().map((c) => c.state)).toEqual(["TIME-WAIT"]);
    expect(t.hosts.HB!.routerDevice.tcp.all()).toEqual([]);
  });

  test("a closed port answers RST: iperf says Connection refused; a router with no TCP service does the same", async () => {
    const t = labs[0]!;
    const lab = t.lab;
    expect((await lab.command("HA", "iperf -c 10.0.2.10 -p 5002")).output).toContain(
      "connect failed: Connection refused",
    );
    expect((await lab.command("HA", "iperf -c 10.0.1.1 -p 23")).output).toContain("connect failed: Connection refused");
    await lab.run(1e9);
    const rsts = tcpSegments(t, "HA-R1").filter((s) => s.seg.flags & TCP_RST);
    expect(rsts.map((s) => s.seg.srcPort).sort()).toEqual([23, 5002]);
  });

  test("no route: Network is unreachable; a second daemon on the port: Address already in use", async () => {
    const lab = labs[0]!.lab;
    await lab.command("HA", "ip route del default");
    expect((await lab.command("HA", "iperf -c 10.0.2.10")).output).toContain("connect failed: Network is unreachable");
    await lab.command("HA", "ip route add default via 10.0.1.1");
    expect((await lab.command("HB", "iperf -s -D")).output).toContain("bind failed: Address already in use");
  });

  test("iperf -s in the foreground reports each connection until Ctrl-C", async () => {
    const lab = labs[0]!.lab;
    let sent = false;
    const server = lab.command("HA", "iperf -s -p 6000", (text) => {
      if (text.includes("Bandwidth") && !sent) {
        sent = true;
        lab.interject("HA", encodeConsoleRequest({ kind: "break" }));
      }
    });
    await lab.run(1e6);
    const client = await lab.command("HB", "iperf -c 10.0.1.10 -p 6000 -n 10K");
    expect(client.output).toContain("10.0 KBytes");
    const { output } = await server;
    expect(output).toContain("Server listening on TCP port 6000");
    expect(output).toMatch(/\[ {2}4\] local 10\.0\.1\.10 port 6000 connected with 10\.0\.2\.10 port \d+/);
    expect(output).toMatch(/\[ {2}4\] {2}0\.0- 0\.\d sec {2}10\.0 KBytes/);
  });

  for (const seed of [1, 2])
    test(`5% loss on the first link (seed ${seed}): retransmissions, every byte delivered`, async () => {
      const t = await makeLab(seed, 0.05);
      labs.push(t);
      const { output } = await t.lab.command("HA", "iperf -c 10.0.2.10 -n 200K");
      expect(output).toContain("200 KBytes");
      await t.lab.run(1e9);
      const data = tcpSegments(t, "R1-HB").filter((s) => s.seg.dstPort === 5001 && s.seg.payload.length > 0);
      const seqs = new Set(data.map((s) => s.seg.seq));
      expect(seqs.size).toBe(Math.ceil((200 * 1024) / 1360));
      const ha = t.hosts.HA!.routerDevice.tcp.all()[0]!;
      expect(ha.stats.retransmits).toBeGreaterThan(0);
      expect(ha.stats.bytesAcked).toBe(200 * 1024);
    });

  test("path MTU discovery: HB announces 1460, R1's 1400-byte hop answers frag-needed, HA's segments shrink to 1360", async () => {
    // HB's own link MTU left at 1500: only R1's egress toward it is 1400, so the MSS exchange cannot know.
    const configs = { ...CONFIGS, HB: CONFIGS.HB.replace("ip link set eth0 mtu 1400\n", "") };
    const t = await makeLab(4, 0, configs);
    labs.push(t);
    const { output } = await t.lab.command("HA", "iperf -c 10.0.2.10 -n 100K -m");
    expect(output).toContain("[  3] MSS size 1360 bytes (MTU 1400 bytes, unknown interface)");
    expect(output).toContain("100 KBytes");
    await t.lab.run(1e9);
    const synAck = tcpSegments(t, "HA-R1").find((s) => s.seg.flags === (TCP_SYN | 0x10))!.seg;
    expect(synAck.options).toEqual([{ kind: "mss", mss: 1460 }]);
    const sent = tcpSegments(t, "HA-R1").filter((s) => s.seg.dstPort === 5001 && s.seg.payload.length > 0);
    expect(sent[0]!.seg.payload.length).toBe(1460); // the first flight, before R1's answer
    const delivered = tcpSegments(t, "R1-HB").filter((s) => s.seg.dstPort === 5001 && s.seg.payload.length > 0);
    expect(Math.max(...delivered.map((s) => s.seg.payload.length))).toBe(1360);
    expect(new Set(delivered.map((s) => s.seg.seq)).size).toBe(Math.ceil((100 * 1024) / 1360));
  });
});
