// wanlab's traffic generator (`traffic udp`): the far end counts exactly the
// datagrams sent, frames arrive spaced by 1/rate of virtual time with a valid
// UDP checksum and their sequence number, and a stream above the link rate
// overflows the 40-packet hold queue into output drops, as on IOS.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { chainLab } from "../../../src/bench/chain-lab.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { parseIpv4 } from "../../../src/wire/ipv4.ts";
import { parseUdp } from "../../../src/wire/udp.ts";

/** `packets input` / `packets output` / `Total output drops` of one interface. */
async function counters(
  lab: Lab,
  device: string,
  ifc: string,
): Promise<{ input: number; inputBytes: number; output: number; drops: number }> {
  const { output } = await lab.command(device, `show interfaces ${ifc}`);
  const input = output.match(/(\d+) packets input, (\d+) bytes/);
  const out = output.match(/(\d+) packets output/);
  const drops = output.match(/Total output drops: (\d+)/);
  if (input === null || out === null || drops === null)
    throw new Error(`unexpected show interfaces output:\n${output}`);
  return { input: Number(input[1]), inputBytes: Number(input[2]), output: Number(out[1]), drops: Number(drops[1]) };
}

function summaryOf(output: string): { sent: number; failed: number } {
  const m = output.match(/Sent (\d+) of \d+ datagrams, (\d+) failed to send/);
  if (m === null) throw new Error(`no summary in:\n${output}`);
  return { sent: Number(m[1]), failed: Number(m[2]) };
}

describe("traffic udp", () => {
  test("the far router counts exactly the datagrams sent, byte for byte", async () => {
    const chain = chainLab({ routers: 3 });
    const lab = await Lab.create(chain.spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(2e9);
      await lab.command("R1", `ping ${chain.loopbacks[2]} repeat 5`); // resolves ARP on both hops
      for (const r of chain.names) {
        await lab.command(r, "clear counters");
        await lab.command(r, ""); // [confirm]
      }
      const { output } = await lab.command("R1", `traffic udp ${chain.loopbacks[2]} count 500 rate 20000`);
      expect(output).toContain(
        `Sending 500, 100-byte UDP datagrams to ${chain.loopbacks[2]} port 9 at 20000 packets/s (every 0.050 ms):`,
      );
      expect(output).toContain("Sent 500 of 500 datagrams, 0 failed to send\n");
      expect(output).toContain("Stream of 25.000 ms: 20000 packets/s, 16000 kbit/s of IP sent");
      await lab.run(10e6); // the last datagrams are still on the wire when the command ends
      expect(await counters(lab, "R1", "GigabitEthernet0/1")).toMatchObject({ output: 500, drops: 0 });
      expect(await counters(lab, "R2", "GigabitEthernet0/0")).toMatchObject({ input: 500, inputBytes: 500 * 114 });
      expect(await counters(lab, "R2", "GigabitEthernet0/1")).toMatchObject({ output: 500 });
      // R3 answers the closed port with one unreachable per 500 ms (IOS's rate limit).
      expect(await counters(lab, "R3", "GigabitEthernet0/0")).toMatchObject({
        input: 500,
        inputBytes: 500 * 114,
        output: 1,
      });
      expect(output).toContain("ICMP errors received: 1 port unreachable");
      const again = await lab.command(
        "R1",
        `traffic udp ${chain.loopbacks[2]} count 7 rate 100 size 1000 dport 5001 sport 40000`,
      );
      expect(again.output).toContain("Packet sent with a source address of 10.0.1.1, port 40000");
      await lab.run(10e6);
      expect(await counters(lab, "R3", "GigabitEthernet0/0")).toMatchObject({
        input: 507,
        inputBytes: 500 * 114 + 7 * 1014,
      });
    } finally {
      lab.close();
    }
  });

  test("frames arrive spaced by 1/rate of virtual time, in sequence, with a valid UDP checksum", async () => {
    const chain = chainLab({ routers: 3 });
    const arrivals: number[] = [];
    const frames: Uint8Array[] = [];
    const lab = await Lab.create(chain.spec, {
      workers: 0,
      factories: deviceFactories,
      trace: (line) => {
        const m = line.match(/^(\d+) R3 rx GigabitEthernet0\/0 len=114 /);
        if (m !== null) arrivals.push(Number(m[1]));
      },
      capture: {
        write: (wire, _at, bytes) => {
          if (wire.name === "R2-R3" && bytes.length === 114) frames.push(bytes);
        },
        close: () => {},
      },
    });
    try {
      await lab.run(2e9);
      await lab.command("R1", `ping ${chain.loopbacks[2]} repeat 5`);
      arrivals.length = 0;
      frames.length = 0;
      // 3000 packets/s: 333,333.3 ns apart, so the schedule must not drift by rounding.
      await lab.command("R1", `traffic udp ${chain.loopbacks[2]} count 30 rate 3000 sport 1234 dport 4321`);
      await lab.run(10e6);
      lab.close();
      expect(arrivals).toHaveLength(30);
      for (let i = 0; i < 30; i++) expect(arrivals[i]! - arrivals[0]!).toBe(Math.round((i * 1e9) / 3000));
      expect(frames).toHaveLength(30);
      frames.forEach((frame, seq) => {
        const ip = parseIpv4(frame.subarray(14));
        if (!ip.ok) throw new Error("bad IPv4");
        expect(ip.value.ttl).toBe(254); // one router on the way
        // A computed checksum (zero would mean "none" and pass any check).
        expect((ip.value.payload[6]! << 8) | ip.value.payload[7]!).not.toBe(0);
        const udp = parseUdp(ip.value.payload, { src: ip.value.src, dst: ip.value.dst });
        if (!udp.ok) throw new Error(`bad UDP: ${udp.error.detail}`);
        expect(udp.value.srcPort).toBe(1234);
        expect(udp.value.dstPort).toBe(4321);
        const p = udp.value.payload;
        expect(p.length).toBe(72);
        expect(((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0).toBe(seq);
      });
    } finally {
      lab.close();
    }
  });

  test("a stream and its drops give the same trace inline and on 1 or 2 Workers", async () => {
    const traceOf = async (workers: number): Promise<string[]> => {
      const chain = chainLab({ routers: 4 });
      const lines: string[] = [];
      const lab = await Lab.create(chain.spec, { workers, factories: deviceFactories, trace: (l) => lines.push(l) });
      try {
        await lab.run(1e9);
        await lab.command("R1", `ping ${chain.loopbacks[3]} repeat 5`);
        await lab.command("R1", `traffic udp ${chain.loopbacks[3]} count 300 rate 400000`);
        // Over the line rate: R1's hold queue overflows.
        await lab.command("R1", `traffic udp ${chain.loopbacks[3]} count 300 rate 2000000 size 200`);
        await lab.run(5e6);
      } finally {
        lab.close();
      }
      return lines;
    };
    const inline = await traceOf(0);
    expect(inline.filter((l) => / R4 rx /.test(l)).length).toBeGreaterThan(300);
    expect(await traceOf(1)).toEqual(inline);
    expect(await traceOf(2)).toEqual(inline);
  }, 60_000);

  async function serialStream(rate: number): Promise<{
    output: string;
    sent: number;
    failed: number;
    r1: { output: number; drops: number };
    r2: { input: number };
  }> {
    const spec = buildLabSpec(
      "traffic-serial",
      "inline",
      {
        devices: { R1: "router", R2: "router" },
        links: [{ name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0" }],
      },
      {
        // FIFO, not the T1's default WFQ, so the 40-packet hold queue is what fills.
        R1: "hostname R1\ninterface Serial0/0\n ip address 10.0.12.1 255.255.255.0\n no fair-queue\n no shutdown\n",
        R2: "hostname R2\ninterface Serial0/0\n ip address 10.0.12.2 255.255.255.0\n no shutdown\n",
      },
      1,
    );
    const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(1e9);
      for (const r of ["R1", "R2"]) {
        await lab.command(r, "clear counters");
        await lab.command(r, ""); // [confirm]
      }
      const { output } = await lab.command("R1", `traffic udp 10.0.12.2 size 1000 rate ${rate} count 200`);
      await lab.run(1e9); // the hold queue drains (40 frames of 5.2 ms)
      return {
        output,
        ...summaryOf(output),
        r1: await counters(lab, "R1", "Serial0/0"),
        r2: await counters(lab, "R2", "Serial0/0"),
      };
    } finally {
      lab.close();
    }
  }

  test("a stream above the link rate fills the 40-packet hold queue and the rest are output drops", async () => {
    // 1000-byte datagrams on HDLC at 1,544 kbit/s: (1000 + 4 + 4) * 8 bits = 5.22 ms each, about 191 packets/s.
    const over = await serialStream(1000);
    const perFrameMs = (1008 * 8) / 1544;
    // 200 arrivals over 199 ms: what the line clocked out meanwhile, plus a full queue of 40.
    const expected = Math.floor(199 / perFrameMs) + 40;
    expect(over.sent).toBeGreaterThanOrEqual(expected - 1);
    expect(over.sent).toBeLessThanOrEqual(expected + 1);
    expect(over.sent + over.failed).toBe(200);
    expect(over.output).toContain(`${over.failed} failed to send (${over.failed} output queue full)`);
    expect(over.r1).toMatchObject({ output: over.sent, drops: over.failed });
    expect(over.r2.input).toBe(over.sent);
    // Below the link rate nothing is dropped.
    const under = await serialStream(150);
    expect(under).toMatchObject({ sent: 200, failed: 0, r1: { output: 200, drops: 0 }, r2: { input: 200 } });
  });

  test("a host sends through its default gateway; bad sources are refused as ping refuses them", async () => {
    const spec = buildLabSpec(
      "traffic-host",
      "inline",
      {
        devices: { H1: "host", R1: "router" },
        links: [{ a: "H1 FastEthernet0/0", b: "R1 FastEthernet0/0" }],
      },
      {
        H1: "hostname H1\ninterface FastEthernet0/0\n ip address 192.168.1.10 255.255.255.0\n no shutdown\nip default-gateway 192.168.1.1\n",
        R1: "hostname R1\ninterface Loopback0\n ip address 172.16.0.1 255.255.255.255\ninterface FastEthernet0/0\n ip address 192.168.1.1 255.255.255.0\n no shutdown\n",
      },
      1,
    );
    const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(1e9);
      await lab.command("H1", "ping -n 2 172.16.0.1");
      const before = await counters(lab, "R1", "FastEthernet0/0");
      const { output } = await lab.command("H1", "traffic udp 172.16.0.1 count 50 rate 5000 size 64");
      expect(output).toContain("Packet sent with a source address of 192.168.1.10");
      expect(summaryOf(output)).toEqual({ sent: 50, failed: 0 });
      await lab.run(10e6);
      const after = await counters(lab, "R1", "FastEthernet0/0");
      expect(after.input - before.input).toBe(50);
      expect(after.inputBytes - before.inputBytes).toBe(50 * 78);
      const bad = await lab.command("R1", "traffic udp 192.168.1.10 source 10.9.9.9");
      expect(bad.output).toContain("% Invalid source address");
    } finally {
      lab.close();
    }
  });
});
