// MQC on a congested T1 on the virtual clock: CBWFQ shares the line by the
// classes' bandwidth, LLQ keeps voice ahead of data and polices it to its rate
// while the line is congested, police and set act on every packet, a parent
// shaper holds the line to its rate, and show policy-map interface prints the
// counters that happened.

import { describe, expect, test } from "bun:test";
import type { MqcScheduler } from "../../../src/dataplane/qos/mqc-scheduler.ts";
import { internetChecksum } from "../../../src/wire/checksum.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { type Departure, dportOf, queueLab } from "./queue-lab.ts";

const DST = parseIpv4Address("10.0.12.2")!;
const MS = 1_000_000;

/** A UDP payload (header + data) to `dport`, `size` bytes of IP datagram in all, carrying `seq`. */
function udp(dport: number, size: number, seq = 0): Uint8Array {
  const p = new Uint8Array(size - 20);
  p.set([0x13, 0x88, dport >> 8, dport & 0xff, (size - 20) >> 8, (size - 20) & 0xff, 0, 0]);
  p[8] = seq >> 8;
  p[9] = seq & 0xff;
  return p;
}

const seqOf = (d: Departure): number => (d.bytes[32]! << 8) | d.bytes[33]!;

const BASE = [
  "access-list 101 permit udp any any eq 5001",
  "access-list 102 permit udp any any eq 5002",
  "class-map match-all A",
  " match access-group 101",
  "class-map match-all B",
  " match access-group 102",
  "class-map match-all VOICE",
  " match ip dscp ef",
];

function lab(config: string[]) {
  const l = queueLab();
  expect(l.load([...BASE, ...config])).toEqual([]);
  return l;
}

/** Offers `flows` (dport, bytes, tos, interval ns) from 0 to `untilNs`, running the clock as it goes. */
function offer(
  l: ReturnType<typeof queueLab>,
  flows: { dport: number; size: number; tos?: number; every: number }[],
  untilNs: number,
) {
  const sent = new Map<string, number>();
  const next = flows.map(() => 0);
  let seq = 0;
  for (;;) {
    let i = 0;
    for (let j = 1; j < flows.length; j++) if (next[j]! < next[i]!) i = j;
    const at = next[i]!;
    if (at >= untilNs) break;
    l.run(at);
    l.ctx.nowNs = Math.max(l.ctx.nowNs, at);
    const f = flows[i]!;
    seq = (seq + 1) & 0xffff;
    sent.set(`${f.dport}/${seq}`, at);
    l.device.stack.send({ dst: DST, protocol: 17, payload: udp(f.dport, f.size, seq), tos: f.tos ?? 0 });
    next[i] = at + f.every;
  }
  l.run(untilNs);
  return sent;
}

const bytesTo = (deps: Departure[], dport: number, from: number, to: number): number =>
  deps.filter((d) => d.at >= from && d.at < to && dportOf(d) === dport).reduce((s, d) => s + d.bytes.length, 0);

describe("CBWFQ and LLQ on a T1", () => {
  test("two classes share the congested line by their bandwidth (600:300)", () => {
    const l = lab([
      "policy-map CBWFQ",
      " class A",
      "  bandwidth 600",
      " class B",
      "  bandwidth 300",
      "interface Serial0/0",
      " service-policy output CBWFQ",
    ]);
    // Each flow offers 1000-byte datagrams at 1.6 Mbit/s: the T1 is congested three times over.
    offer(
      l,
      [
        { dport: 5001, size: 1000, every: 5 * MS },
        { dport: 5002, size: 1000, every: 5 * MS },
      ],
      3000 * MS,
    );
    const a = bytesTo(l.departures, 5001, 1000 * MS, 3000 * MS);
    const b = bytesTo(l.departures, 5002, 1000 * MS, 3000 * MS);
    expect(a / b).toBeGreaterThan(1.8);
    expect(a / b).toBeLessThan(2.2);
    // Together they fill the line.
    expect(((a + b) * 8) / 2).toBeGreaterThan(1_500_000);
    const show = l.exec("show policy-map interface Serial0/0 output");
    expect(show).toContain("    Class-map: A (match-all)\n      600 packets, 600000 bytes\n");
    expect(show).toMatch(
      /Bandwidth 600 \(kbps\)Max Threshold 64 \(packets\)\n {8}\(pkts matched\/bytes matched\) 600\/600000\n {8}\(depth\/total drops\/no-buffer drops\) \d+\/\d+\/0\n/,
    );
    const sched = l.device.stack.outputQueues.queueOf(l.device.findInterface("Serial0/0")!)!.scheduler as MqcScheduler;
    sched.clearCounters();
    expect(l.exec("show policy-map interface Serial0/0")).toContain(
      "    Class-map: A (match-all)\n      0 packets, 0 bytes\n",
    );
    expect(l.exec("show interfaces Serial0/0")).toMatch(
      / {2}Queueing strategy: Class-based queueing\n {2}Output queue: \d+\/192\/64\/\d+ \(size\/max total\/threshold\/drops\)\n {5}Conversations {2}\d\/2\/3 \(active\/max active\/max total\)\n {5}Reserved Conversations 2\/2 \(allocated\/max allocated\)\n {5}Available Bandwidth 258 kilobits\/sec\n/,
    );
  });

  test("LLQ: voice waits at most one data frame, and is policed to its rate while the line is congested", () => {
    const l = lab([
      "policy-map LLQ",
      " class VOICE",
      "  priority 128",
      " class A",
      "  bandwidth 600",
      "interface Serial0/0",
      " service-policy output LLQ",
    ]);
    // Voice: 200-byte datagrams every 20 ms (80 kbit/s, within 128); data floods at 3.2 Mbit/s.
    const sent = offer(
      l,
      [
        { dport: 16384, size: 200, tos: 46 << 2, every: 20 * MS },
        { dport: 5001, size: 1000, every: 2.5 * MS },
      ],
      2000 * MS,
    );
    const voice = l.departures.filter((d) => dportOf(d) === 16384);
    expect(voice.length).toBe(100);
    const oneDataFrame = Math.ceil((1008 * 8 * 1e9) / 1_544_000);
    for (const d of voice) expect(d.at - sent.get(`16384/${seqOf(d)}`)!).toBeLessThanOrEqual(oneDataFrame + 1);
    const before = l.exec("show policy-map interface Serial0/0");
    expect(before).toContain("        (total drops/bytes drops) 0/0\n");

    // Now voice offers 400 kbit/s into its 128 kbit/s priority class: the excess is dropped.
    const l2 = lab([
      "policy-map LLQ",
      " class VOICE",
      "  priority 128",
      "interface Serial0/0",
      " load-interval 30",
      " service-policy output LLQ",
    ]);
    offer(
      l2,
      [
        { dport: 16384, size: 200, tos: 46 << 2, every: 4 * MS },
        { dport: 5001, size: 1000, every: 2.5 * MS },
      ],
      10_000 * MS,
    );
    const voiceBytes = bytesTo(l2.departures, 16384, 1000 * MS, 10_000 * MS);
    const rate = (voiceBytes * 8) / 9;
    expect(rate).toBeGreaterThan(110_000);
    expect(rate).toBeLessThan(150_000);
    l2.ctx.nowNs = 10_000 * MS;
    const show = l2.exec("show policy-map interface Serial0/0");
    const drops = /\(total drops\/bytes drops\) (\d+)\/(\d+)/.exec(show)!;
    expect(Number(drops[1])).toBeGreaterThan(1500);
    // The 30-second averages after two 5 s samples: offered 400 kbit/s, about two thirds of it dropped.
    const rates =
      /Class-map: VOICE \(match-all\)\n {6}2500 packets, 500000 bytes\n {6}30 second offered rate (\d+) bps, drop rate (\d+) bps\n/.exec(
        show,
      )!;
    const decay = Math.exp(-5 / 30);
    const weight = 1 - decay * decay; // what two samples of the steady rate weigh in the average
    expect(Number(rates[1])).toBeGreaterThan(400_000 * weight * 0.95);
    expect(Number(rates[1])).toBeLessThan(400_000 * weight * 1.05);
    expect(Number(rates[2]) / Number(rates[1])).toBeGreaterThan(0.6);
    expect(Number(rates[2]) / Number(rates[1])).toBeLessThan(0.75);
  });

  test("police and set act on every packet, congested or not", () => {
    const l = lab([
      "policy-map MARK",
      " class A",
      "  police cir 64000 bc 2000 conform-action set-dscp-transmit af11 exceed-action drop",
      " class B",
      "  set precedence 5",
      "interface Serial0/0",
      " service-policy output MARK",
    ]);
    // 500-byte datagrams every 25 ms on each: 160 kbit/s of A against a 64 kbit/s policer; the line is idle.
    offer(
      l,
      [
        { dport: 5001, size: 500, every: 25 * MS },
        { dport: 5002, size: 500, every: 25 * MS },
      ],
      2000 * MS,
    );
    const a = l.departures.filter((d) => dportOf(d) === 5001);
    const b = l.departures.filter((d) => dportOf(d) === 5002);
    expect(b.length).toBe(80);
    // The 2000-byte burst and 8000 bytes/s until the last packet at 1.975 s: 17,800 bytes, 35 of 80 conform.
    expect(a.length).toBe(35);
    for (const d of a) {
      expect(d.bytes[5]).toBe(10 << 2);
      expect(internetChecksum(d.bytes, 4, 24)).toBe(0);
    }
    for (const d of b) expect(d.bytes[5]! >> 5).toBe(5);
    const show = l.exec("show policy-map interface Serial0/0");
    expect(show).toContain(
      "      police:\n          cir 64000 bps, bc 2000 bytes\n        conformed 35 packets, 17500 bytes; actions:\n          set-dscp-transmit af11 \n        exceeded 45 packets, 22500 bytes; actions:\n          drop \n",
    );
    expect(show).toContain("      QoS Set\n        precedence 5\n          Packets marked 80\n");
  });

  test("a parent shaper holds the line to its rate; the child policy queues beneath it", () => {
    const l = lab([
      "policy-map CHILD",
      " class A",
      "  bandwidth 200",
      "policy-map PARENT",
      " class class-default",
      "  shape average 512000",
      "  service-policy CHILD",
      "interface Serial0/0",
      " service-policy output PARENT",
    ]);
    offer(
      l,
      [
        { dport: 5001, size: 1000, every: 5 * MS },
        { dport: 5002, size: 1000, every: 5 * MS },
      ],
      3000 * MS,
    );
    const all = l.departures
      .filter((d) => d.at >= 1000 * MS && d.at < 3000 * MS)
      .reduce((s, d) => s + d.bytes.length, 0);
    const rate = (all * 8) / 2;
    expect(rate).toBeGreaterThan(480_000);
    expect(rate).toBeLessThan(540_000);
    const show = l.exec("show policy-map interface Serial0/0");
    expect(show).toContain(
      "      shape (average) cir 512000, bc 2048, be 2048\n      target shape rate 512000\n\n      Service-policy : CHILD\n",
    );
  });
});

/** An HDLC frame holding an ICMP echo request 10.0.12.2 -> 10.0.12.1 (R1's serial address). */
function hdlcEcho(seq: number): Uint8Array {
  const ip = new Uint8Array(84);
  ip.set([0x45, 0, 0, 84, 0, seq, 0, 0, 64, 1, 0, 0, 10, 0, 12, 2, 10, 0, 12, 1]);
  const ipSum = internetChecksum(ip, 0, 20);
  ip[10] = ipSum >> 8;
  ip[11] = ipSum & 0xff;
  ip.set([8, 0, 0, 0, 0, 1, 0, seq], 20);
  const icmpSum = internetChecksum(ip, 20, 84);
  ip[22] = icmpSum >> 8;
  ip[23] = icmpSum & 0xff;
  const f = new Uint8Array(88);
  f.set([0x0f, 0x00, 0x08, 0x00]);
  f.set(ip, 4);
  return f;
}

describe("input policies (seed 000's PMAP_ICMP)", () => {
  test("drop takes what the class matches on input; set precedence marks it and the rest passes", () => {
    const l = lab([
      "ip access-list extended ICMP",
      " permit icmp host 10.0.12.2 any",
      "class-map match-all CMAP_ICMP",
      " match access-group name ICMP",
      " match protocol icmp",
      "policy-map PMAP_ICMP",
      " class CMAP_ICMP",
      "  drop",
      " class class-default",
      "interface Serial0/0",
      " service-policy input PMAP_ICMP",
    ]);
    for (let i = 1; i <= 5; i++) l.device.stack.receive(0, hdlcEcho(i));
    l.run(100 * MS);
    expect(l.departures.length).toBe(0);
    const show = l.exec("show policy-map interface Serial0/0");
    expect(show).toContain(
      " Serial0/0 \n\n  Service-policy input: PMAP_ICMP\n\n    Class-map: CMAP_ICMP (match-all)\n      5 packets, 420 bytes\n      5 minute offered rate 0 bps, drop rate 0 bps\n      Match: access-group name ICMP\n      Match: protocol icmp\n      drop\n",
    );
    expect(l.load(["policy-map PMAP_ICMP", " class CMAP_ICMP", "  no drop", "  set precedence 5"])).toEqual([]);
    for (let i = 6; i <= 10; i++) l.device.stack.receive(0, hdlcEcho(i));
    l.run(200 * MS);
    // The echoes get through: R1 answers all five.
    expect(l.departures.length).toBe(5);
    // As in the seed: the class keeps counting across the edit (10 packets), 5 of them marked.
    const show2 = l.exec("show policy-map interface Serial0/0 input");
    expect(show2).toContain("    Class-map: CMAP_ICMP (match-all)\n      10 packets, 840 bytes\n");
    expect(show2).toContain(
      "      Match: protocol icmp\n      QoS Set\n        precedence 5\n          Packets marked 5\n",
    );
    // The echo replies copy the request's ToS, so they show the marking the input policy made.
    for (const d of l.departures) expect(d.bytes[5]! >> 5).toBe(5);
  });
});
