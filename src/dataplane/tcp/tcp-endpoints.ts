// A device's TCP: every TCP segment delivered to the device comes here. Its
// checksum is verified (a bad or malformed segment is dropped and counted),
// it goes to the connection of its 4-tuple, or, when it is a SYN to a
// listening port, opens one (SYN-RECEIVED); anything else is answered with a
// RST as RFC 9293 3.10.7.1 says for a CLOSED port (which is also how IOS and
// hosts refuse a port nobody listens on). Active opens pick the source
// address and the MSS (IP MTU less 40) from the route to the peer, and a
// seeded random ephemeral port and initial sequence number. A fragmentation-
// needed quoting one of our segments shrinks that connection's segments (RFC
// 1191) and is remembered in the stack's path MTU cache.

import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP, IP_PROTO_TCP } from "../../wire/ipv4.ts";
import { readIpv4 } from "../../wire/ipv4-address.ts";
import {
  emitTcp,
  parseTcp,
  TCP_ACK,
  TCP_RST,
  TCP_SYN,
  type TcpSegment,
  tcpDstPort,
  tcpSrcPort,
} from "../../wire/tcp.ts";
import type { IpStack, LocalDatagram } from "../pipeline/ip-stack.ts";
import { learnPathMtu } from "../pipeline/linux-pmtu.ts";
import { type TcpApplication, TcpConnection } from "./tcp-connection.ts";

/** What the endpoints need from the device. */
export interface TcpEndpointsHost {
  stack: IpStack;
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  randomU32(): number;
}

/** Linux's net.ipv4.ip_local_port_range. */
const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;

/** Why an active open could not start. */
export type TcpConnectFailure = "noRoute" | "noSourceAddress";

/** The TCP endpoints of one device. */
export class TcpEndpoints {
  private readonly connections = new Map<string, TcpConnection>();
  private readonly listeners = new Map<number, (c: TcpConnection) => TcpApplication>();
  /** Dropped and answered segments (`netstat -s`-style counters). */
  readonly counters = { badSegments: 0, resetsSent: 0, segmentsReceived: 0 };

  constructor(private readonly host: TcpEndpointsHost) {
    host.stack.bind({ ipProtocol: IP_PROTO_TCP }, (d) => this.receive(d));
    host.stack.bind({ ipProtocol: IP_PROTO_ICMP }, (d) => this.icmpError(d));
  }

  /** RFC 1191: a fragmentation-needed quoting one of our segments lowers that connection's segment size. */
  private icmpError(d: LocalDatagram): void {
    const m = parseIcmp(d.header.payload);
    if (!m.ok || m.value.kind !== "destUnreachable" || m.value.code !== UNREACH.FRAG_NEEDED) return;
    const quoted = m.value.original;
    const hlen = ((quoted[0] ?? 0) & 0x0f) * 4;
    if (quoted.length < hlen + 4 || hlen < 20 || quoted[9] !== IP_PROTO_TCP) return;
    const local = readIpv4(quoted, 12);
    const remote = readIpv4(quoted, 16);
    const c = this.connections.get(key(local, tcpSrcPort(quoted, hlen), remote, tcpDstPort(quoted, hlen)));
    const mtu = m.value.nextHopMtu;
    if (c === undefined || mtu === undefined || mtu === 0) return;
    learnPathMtu(this.host.stack, remote, mtu, this.host.stack.now());
    c.pathMtuLearned(mtu);
  }

  /** Listens on a port; `accept` gives each new connection its application. Returns the function that stops. */
  listen(port: number, accept: (c: TcpConnection) => TcpApplication): () => void {
    this.listeners.set(port, accept);
    return () => {
      if (this.listeners.get(port) === accept) this.listeners.delete(port);
    };
  }

  /** True while something listens on the port. */
  listening(port: number): boolean {
    return this.listeners.has(port);
  }

  /** Open connections (for `ss`-style listings), in a stable order. */
  all(): TcpConnection[] {
    return [...this.connections.values()];
  }

  /** Active open to dst:port (its segments with ToS `tos`); the application hears the outcome. */
  connect(dst: number, port: number, app: TcpApplication, tos = 0): TcpConnection | TcpConnectFailure {
    const stack = this.host.stack;
    let local = dst;
    let mtu = 65535;
    if (!stack.isLocalAddress(dst)) {
      const pathList = stack.lookupPathList(dst);
      if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length === 0) return "noRoute";
      const egress = stack.interface(stack.choosePath(pathList, 0, dst, false).interface);
      const address = egress?.config.address?.address;
      if (egress === undefined || address === undefined) return "noSourceAddress";
      local = address;
      mtu = egress.ipMtu;
    }
    let localPort = 0;
    for (let tries = 0; tries < 64 && localPort === 0; tries++) {
      const p = EPHEMERAL_LOW + (this.host.randomU32() % (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1));
      if (!this.connections.has(key(local, p, dst, port))) localPort = p;
    }
    const c = this.create(local, localPort, dst, port, mtu, tos);
    c.app = app;
    c.open();
    return c;
  }

  private create(
    local: number,
    localPort: number,
    remote: number,
    remotePort: number,
    mtu: number,
    tos = 0,
  ): TcpConnection {
    const k = key(local, localPort, remote, remotePort);
    const c: TcpConnection = new TcpConnection(
      {
        localAddress: local,
        localPort,
        remoteAddress: remote,
        remotePort,
        iss: this.host.randomU32(),
        mss: Math.max(mtu - 40, 88),
      },
      {
        send: (seg) => this.send(local, remote, seg, tos),
        after: (ns, name, fn) => this.host.after(ns, name, fn),
        now: () => this.host.stack.now(),
        released: () => {
          if (this.connections.get(k) === c) this.connections.delete(k);
        },
      },
    );
    this.connections.set(k, c);
    return c;
  }

  private receive(d: LocalDatagram): void {
    const { header } = d;
    const parsed = parseTcp(header.payload, { src: header.src, dst: header.dst });
    if (!parsed.ok) return void this.counters.badSegments++;
    this.counters.segmentsReceived++;
    const seg = parsed.value;
    const c = this.connections.get(key(header.dst, seg.dstPort, header.src, seg.srcPort));
    if (c !== undefined) return c.segment(seg);
    const accept = this.listeners.get(seg.dstPort);
    if (accept !== undefined && (seg.flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN) {
      // The MSS we answer with: the IP MTU of the interface the SYN came in on.
      const mtu = d.ingress?.ipMtu ?? 65535;
      const conn = this.create(header.dst, seg.dstPort, header.src, seg.srcPort, mtu);
      conn.app = accept(conn);
      conn.accept(seg);
      return;
    }
    if (accept !== undefined && !(seg.flags & TCP_ACK) && !(seg.flags & TCP_RST)) return; // LISTEN drops the rest
    if (!this.host.stack.isGroupAddress(header.dst) && !this.host.stack.isBroadcastAddress(header.dst))
      this.reset(header.dst, header.src, seg);
  }

  /** RFC 9293's reset for a segment that belongs to no connection. */
  private reset(local: number, remote: number, seg: TcpSegment): void {
    if (seg.flags & TCP_RST) return;
    const len = seg.payload.length + (seg.flags & TCP_SYN ? 1 : 0) + (seg.flags & 1 ? 1 : 0);
    const rst: TcpSegment =
      seg.flags & TCP_ACK
        ? { ...blank(seg), seq: seg.ack, ack: 0, flags: TCP_RST }
        : { ...blank(seg), seq: 0, ack: (seg.seq + len) >>> 0, flags: TCP_RST | TCP_ACK };
    this.counters.resetsSent++;
    this.send(local, remote, rst);
  }

  private send(local: number, remote: number, seg: TcpSegment, tos = 0): void {
    const payload = emitTcp(seg, { src: local, dst: remote });
    this.host.stack.send({ dst: remote, src: local, protocol: IP_PROTO_TCP, payload, dontFragment: true, tos });
  }
}

function blank(seg: TcpSegment): TcpSegment {
  return {
    srcPort: seg.dstPort,
    dstPort: seg.srcPort,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    urgent: 0,
    options: [],
    payload: new Uint8Array(0),
  };
}

function key(local: number, localPort: number, remote: number, remotePort: number): string {
  return `${local}:${localPort}>${remote}:${remotePort}`;
}
