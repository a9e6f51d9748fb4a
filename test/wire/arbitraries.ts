// fast-check generators of valid records, one per wire format, shaped so that
// parse(emit(x)) must give back exactly x.

import fc from "fast-check";
import type {
  ArpPacket,
  EthernetFrame,
  HdlcFrame,
  IcmpMessage,
  Ipv4Packet,
  SlarpPacket,
  TcpOption,
  TcpSegment,
  UdpDatagram,
} from "../../src/wire/index.ts";

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const mac = fc.integer({ min: 0, max: 0xffffffffffff });
export const bytes = (maxLength: number, minLength = 0) => fc.uint8Array({ minLength, maxLength });

export const pseudo = fc.record({ src: u32, dst: u32 });

// Ethernet payloads of at least 46 bytes need no padding, so they come back unchanged.
export const ethernetFrame: fc.Arbitrary<EthernetFrame> = fc
  .record({
    dst: mac,
    src: mac,
    vlan: fc.option(
      fc.record({ pcp: fc.integer({ min: 0, max: 7 }), dei: fc.boolean(), vid: fc.integer({ min: 0, max: 4095 }) }),
      { nil: undefined },
    ),
    ethertype: u16.filter((t) => t !== 0x8100),
    payload: bytes(200, 46),
  })
  .map((f) => (f.vlan ? f : { dst: f.dst, src: f.src, ethertype: f.ethertype, payload: f.payload }));

export const arpPacket: fc.Arbitrary<ArpPacket> = fc.record({
  operation: fc.constantFrom(1 as const, 2 as const),
  senderMac: mac,
  senderIp: u32,
  targetMac: mac,
  targetIp: u32,
});

export const ipv4Packet: fc.Arbitrary<Ipv4Packet> = fc.record({
  dscp: fc.integer({ min: 0, max: 63 }),
  ecn: fc.integer({ min: 0, max: 3 }),
  identification: u16,
  dontFragment: fc.boolean(),
  moreFragments: fc.boolean(),
  fragmentOffset: fc.integer({ min: 0, max: 0x1fff }).map((o) => o * 8),
  ttl: u8,
  protocol: u8,
  src: u32,
  dst: u32,
  options: fc.integer({ min: 0, max: 10 }).chain((words) => bytes(words * 4, words * 4)),
  payload: bytes(300),
});

export const icmpMessage: fc.Arbitrary<IcmpMessage> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("echoRequest" as const, "echoReply" as const),
    id: u16,
    seq: u16,
    data: bytes(100),
  }),
  fc.record({
    kind: fc.constant("destUnreachable" as const),
    code: fc.integer({ min: 0, max: 15 }),
    nextHopMtu: u16,
    original: bytes(60),
  }),
  fc.record({ kind: fc.constant("timeExceeded" as const), code: fc.integer({ min: 0, max: 1 }), original: bytes(60) }),
  fc.record({
    kind: fc.constant("redirect" as const),
    code: fc.integer({ min: 0, max: 3 }),
    gateway: u32,
    original: bytes(60),
  }),
  fc.record({ kind: fc.constant("parameterProblem" as const), code: u8, pointer: u8, original: bytes(60) }),
  fc.record({
    kind: fc.constant("other" as const),
    type: u8.filter((t) => ![0, 3, 5, 8, 11, 12].includes(t)),
    code: u8,
    restOfHeader: u32,
    data: bytes(60),
  }),
);

export const udpDatagram: fc.Arbitrary<UdpDatagram> = fc.record({ srcPort: u16, dstPort: u16, payload: bytes(300) });

const tcpOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant({ kind: "nop" as const }),
  fc.record({ kind: fc.constant("mss" as const), mss: u16 }),
  fc.record({ kind: fc.constant("windowScale" as const), shift: u8 }),
  fc.constant({ kind: "sackPermitted" as const }),
  fc.record({ kind: fc.constant("sack" as const), blocks: fc.array(fc.tuple(u32, u32), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant("timestamps" as const), tsVal: u32, tsEcr: u32 }),
  fc.record({
    kind: fc.constant("unknown" as const),
    type: u8.filter((t) => ![0, 1, 2, 3, 4, 5, 8].includes(t)),
    data: bytes(6),
  }),
);

function optionLen(o: TcpOption): number {
  switch (o.kind) {
    case "eol":
    case "nop":
      return 1;
    case "mss":
      return 4;
    case "windowScale":
      return 3;
    case "sackPermitted":
      return 2;
    case "sack":
      return 2 + 8 * o.blocks.length;
    case "timestamps":
      return 10;
    case "unknown":
      return 2 + o.data.length;
  }
}

// Options fitting in 40 bytes; an unaligned list gets the EOL that emit's padding will parse back as.
const tcpOptions = fc.array(tcpOption, { maxLength: 8 }).map((opts) => {
  const out: TcpOption[] = [];
  let n = 0;
  for (const o of opts) {
    if (n + optionLen(o) > 39) break;
    out.push(o);
    n += optionLen(o);
  }
  if (n % 4 !== 0) out.push({ kind: "eol" });
  return out;
});

export const tcpSegment: fc.Arbitrary<TcpSegment> = fc.record({
  srcPort: u16,
  dstPort: u16,
  seq: u32,
  ack: u32,
  flags: fc.integer({ min: 0, max: 0xfff }),
  window: u16,
  urgent: u16,
  options: tcpOptions,
  payload: bytes(200),
});

export const hdlcFrame: fc.Arbitrary<HdlcFrame> = fc.record({
  address: fc.constantFrom(0x0f, 0x8f),
  protocol: u16,
  payload: bytes(200),
});

export const slarpPacket: fc.Arbitrary<SlarpPacket> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("request" as const, "reply" as const),
    address: u32,
    mask: u32,
    reliability: u16,
    timeMs: u32,
  }),
  fc.record({ kind: fc.constant("keepalive" as const), mySeq: u32, yourSeq: u32, reliability: u16, timeMs: u32 }),
);
