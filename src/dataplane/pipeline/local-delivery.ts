// Local delivery: datagrams addressed to this device (our addresses, the
// limited and directed broadcasts, multicast groups joined on the ingress
// interface) are reassembled, ESP/AH go to the crypto data plane, ICMP to the
// device's own ICMP handling, and everything else to the control planes that
// bound its key: an IP protocol number, or a UDP or TCP destination port.
// Demultiplexing is by key: a datagram reaches only the handlers of its key.
// UDP to a port nobody bound is answered with port unreachable (the end of a
// traceroute), except for broadcast and multicast destinations (RFC 1122).

import type { TimeNs } from "../../runtime/device.ts";
import { emitIcmp, parseIcmp, UNREACH } from "../../wire/icmp.ts";
import {
  IP_PROTO_AH,
  IP_PROTO_ESP,
  IP_PROTO_ICMP,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  type Ipv4Packet,
  parseIpv4,
} from "../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../wire/ipv4-address.ts";
import { unreachableText } from "./icmp-sender.ts";
import type { IpStack } from "./ip-stack.ts";
import type { LocalDatagram } from "./ip-types.ts";
import type { RouterInterface } from "./router-interface.ts";

/** What a control plane binds to receive: an IP protocol, or a UDP/TCP destination port. */
export type DeliveryKey = { ipProtocol: number } | { udpPort: number } | { tcpPort: number };

/** A control plane's receiver for one key. */
export type DeliveryHandler = (d: LocalDatagram) => void;

/** The local-delivery half of one device's stack. */
export class LocalDelivery {
  private readonly byProtocol = new Map<number, DeliveryHandler[]>();
  private readonly byUdpPort = new Map<number, DeliveryHandler[]>();
  private readonly byTcpPort = new Map<number, DeliveryHandler[]>();
  private reassemblyTimerAt: TimeNs | null = null;

  constructor(private readonly stack: IpStack) {}

  /** Registers a handler for a key; returns the function that unbinds it. */
  bind(key: DeliveryKey, handler: DeliveryHandler): () => void {
    const [table, value] =
      "ipProtocol" in key
        ? [this.byProtocol, key.ipProtocol]
        : "udpPort" in key
          ? [this.byUdpPort, key.udpPort]
          : [this.byTcpPort, key.tcpPort];
    const list = table.get(value) ?? [];
    list.push(handler);
    table.set(value, list);
    return () => {
      const now = table.get(value);
      if (now === undefined) return;
      const rest = now.filter((h) => h !== handler);
      if (rest.length === 0) table.delete(value);
      else table.set(value, rest);
    };
  }

  /** True while something listens on the UDP port. */
  udpBound(port: number): boolean {
    return this.byUdpPort.has(port);
  }

  /** A datagram for this device (a fragment of one, perhaps). */
  deliver(dgram: Uint8Array, ingress: RouterInterface | null): void {
    const stack = this.stack;
    const now = stack.now();
    let whole = dgram;
    const flags = ((dgram[6]! << 8) | dgram[7]!) & 0x3fff;
    if (flags !== 0 && (flags & 0x2000 || flags & 0x1fff)) {
      const done = stack.reassembler.add(dgram, now);
      this.armReassemblyTimer();
      if (done === null) return;
      stack.counters.reassembled++;
      whole = done;
    }
    const parsed = parseIpv4(whole, { verifyChecksum: false });
    if (!parsed.ok) return void stack.counters.formatErrors++;
    const header = parsed.value;
    if (stack.crypto !== null && (header.protocol === IP_PROTO_ESP || header.protocol === IP_PROTO_AH)) {
      stack.crypto.input(whole, ingress);
      return;
    }
    stack.counters.delivered++;
    // IOS's routing decision for a datagram addressed to us that came in (seed 002): the RIB says receive.
    if (ingress !== null)
      stack.hooks.debug("ip-packet", () => {
        const to = stack.interfaceOfAddress(header.dst) ?? ingress;
        return `IP: tableid=0, s=${formatIpv4Address(header.src)} (${ingress.name}), d=${formatIpv4Address(header.dst)} (${to.name}), routed via RIB`;
      });
    stack.hooks.debug(
      "ip-packet",
      () =>
        `IP: s=${formatIpv4Address(header.src)} (${ingress?.name ?? "local"}), d=${formatIpv4Address(header.dst)}${ingress ? ` (${ingress.name})` : ""}, len ${whole.length}, rcvd 3`,
    );
    const d: LocalDatagram = { header, bytes: whole, ingress, atNs: now };
    const protocol = header.protocol;
    if (protocol === IP_PROTO_ICMP) this.icmpInput(header, ingress);
    let handled = protocol === IP_PROTO_ICMP;
    const byProtocol = this.byProtocol.get(protocol);
    if (byProtocol !== undefined) {
      handled = true;
      for (const h of byProtocol) h(d);
    }
    if ((protocol === IP_PROTO_UDP || protocol === IP_PROTO_TCP) && header.payload.length >= 4) {
      const port = (header.payload[2]! << 8) | header.payload[3]!;
      const byPort = (protocol === IP_PROTO_UDP ? this.byUdpPort : this.byTcpPort).get(port);
      if (byPort !== undefined) {
        handled = true;
        for (const h of byPort) h(d);
      } else if (protocol === IP_PROTO_UDP && !byProtocol && !stack.isGroupAddress(header.dst)) {
        // Nothing listens on UDP here: port unreachable (this is what ends a traceroute).
        stack.icmp.sendUnreachable(whole, UNREACH.PORT, ingress);
      }
      handled = true;
    }
    if (!handled) stack.counters.unknownProtocol++;
  }

  /** Keeps one timer armed at the earliest reassembly expiry while fragments wait. */
  private armReassemblyTimer(): void {
    const stack = this.stack;
    const at = stack.reassembler.nextExpiryAt();
    if (at === null || (this.reassemblyTimerAt !== null && this.reassemblyTimerAt <= at)) return;
    this.reassemblyTimerAt = at;
    stack.hooks.after(at - stack.now(), "ip-reassembly", () => {
      this.reassemblyTimerAt = null;
      stack.counters.reassemblyTimeouts += stack.reassembler.expire(stack.now());
      this.armReassemblyTimer();
    });
  }

  /** The device's own ICMP: answers echo requests and counts what arrives. */
  private icmpInput(header: Ipv4Packet, ingress: RouterInterface | null): void {
    const stack = this.stack;
    const c = stack.counters;
    const parsed = parseIcmp(header.payload);
    if (!parsed.ok) {
      if (parsed.error.reason === "badChecksum") c.icmpChecksumErrors++;
      else c.icmpFormatErrors++;
      return;
    }
    const m = parsed.value;
    stack.hooks.debug("ip-packet-detail", () => `ICMP type=${header.payload[0]}, code=${header.payload[1]}`);
    if (m.kind === "echoRequest") {
      c.echoRequestsReceived++;
      if (stack.isGroupAddress(header.dst)) return; // no smurf replies
      const reply = emitIcmp({ kind: "echoReply", id: m.id, seq: m.seq, data: m.data });
      const { src, dst, dscp } = header;
      // The control plane answers after its processing delay.
      stack.answerDelay.answer(() => {
        const sent = stack.send({ dst: src, src: dst, protocol: IP_PROTO_ICMP, payload: reply, tos: dscp << 2 });
        if (!sent.ok) return;
        c.echoRepliesSent++;
        stack.hooks.debug(
          "ip-icmp",
          () =>
            `ICMP: echo reply sent, src ${formatIpv4Address(dst)}, dst ${formatIpv4Address(src)}, topology BASE, dscp 0 topoid 0`,
        );
      });
    } else if (m.kind === "echoReply") {
      c.echoRepliesReceived++;
      stack.hooks.debug(
        "ip-icmp",
        () =>
          `ICMP: echo reply rcvd, src ${formatIpv4Address(header.src)}, dst ${formatIpv4Address(header.dst)}, topology BASE, dscp 0 topoid 0`,
      );
    } else if (m.kind === "timeExceeded") {
      c.timeExceededReceived++;
      stack.hooks.debug("ip-icmp", () => `ICMP: time exceeded rcvd from ${formatIpv4Address(header.src)}`);
    } else if (m.kind === "destUnreachable") {
      c.unreachablesReceived++;
      const quotedDst = m.original.length >= 20 ? formatIpv4Address(readIpv4(m.original, 16)) : "?";
      stack.hooks.debug(
        "ip-icmp",
        () => `ICMP: dst (${quotedDst}) ${unreachableText(m.code)} rcv from ${formatIpv4Address(header.src)}`,
      );
    } else if (m.kind === "redirect") {
      c.redirectsReceived++;
    } else c.icmpOtherReceived++;
    void ingress;
  }
}
