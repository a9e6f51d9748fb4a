// iperf 2's UDP mode on the Linux host: `iperf -s -u [-p P] [-D]` and
// `iperf -c A -u [-b RATE[K|M|G]] [-t T] [-l LEN] [-p P] [-S tos]`. The client
// paces LEN-byte datagrams at RATE bits/s of virtual time (1 Mbit/s = 1048576,
// iperf 2's default), each starting with iperf's header (32-bit sequence
// number, send time in seconds and microseconds); after T seconds it sends
// the final datagram (negated sequence number) up to 10 times, 250 ms apart,
// until the server answers with its report: bytes, stop time, lost and
// out-of-order counts, datagrams and jitter (RFC 1889's running estimate of
// the transit-time variation, as iperf computes it). The server counts per
// client and prints iperf 2.0's report with Jitter and Lost/Total; the client
// prints its own report, `Sent N datagrams` and the server's report.

import type { LocalDatagram } from "../../dataplane/pipeline/ip-types.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { emitUdp, parseUdp } from "../../wire/udp.ts";
import type { ExecJob, RouterDevice } from "../router/router-device.ts";

/** iperf 2's UDP datagram length (-l default). */
export const IPERF_UDP_LEN = 1470;
/** iperf 2's UDP rate (-b default): 1 Mbit/s, 1024-based. */
export const IPERF_UDP_RATE = 1024 * 1024;
const RULE = "------------------------------------------------------------";
const BUFFER_LINE = "UDP buffer size:  208 KByte (default)";
/** Sequence number and send time (seconds, microseconds). */
const HEADER_LEN = 12;
/** The server report after the header: flags, total length (2 words), stop time (2), errors, out of order, datagrams, jitter (2). */
const REPORT_LEN = 40;
const REPORT_FLAG = 0x80000000;
const FIN_TRIES = 10;
const FIN_INTERVAL_NS = 250_000_000;
const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;

export interface IperfUdpClientOptions {
  target: number;
  port: number;
  seconds: number;
  /** -b in bits per second. */
  rateBps: number;
  /** -l: UDP payload bytes per datagram. */
  len: number;
  tos: number;
}

/** What a server counted for one client (also what its report datagram carries). */
interface UdpServerReport {
  bytes: number;
  durationNs: number;
  lost: number;
  outOfOrder: number;
  datagrams: number;
  jitterNs: number;
}

/** iperf's `%.2g` of the loss percentage. */
function percent(lost: number, total: number): string {
  const p = total > 0 ? (100 * lost) / total : 0;
  if (p === 0) return "0";
  if (p >= 99.5) return "1e+02";
  return String(Number(p.toPrecision(2)));
}

/** Formats the common part of iperf's report line: interval, transfer, bandwidth. */
export type ReportLine = (id: number, bytes: number, ns: TimeNs) => string;

/** The server line: iperf's report plus jitter and lost/total. */
function serverLine(reportLine: ReportLine, id: number, r: UdpServerReport): string {
  const jitter = (r.jitterNs / 1e6).toFixed(3).padStart(6);
  return `${reportLine(id, r.bytes, r.durationNs)}  ${jitter} ms ${String(r.lost).padStart(4)}/${String(r.datagrams).padStart(5)} (${percent(r.lost, r.datagrams)}%)`;
}

function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = v >>> 16;
  b[off + 2] = v >>> 8;
  b[off + 3] = v;
}

function readU32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

/** Writes iperf's header: sequence number (negative for the final datagram) and send time. */
function writeHeader(b: Uint8Array, seq: number, atNs: TimeNs): void {
  writeU32(b, 0, seq >>> 0);
  writeU32(b, 4, Math.floor(atNs / 1e9));
  writeU32(b, 8, Math.floor((atNs % 1e9) / 1e3));
}

/** Sends a UDP payload from the device (checksum over the source the route picks). */
function sendUdp(
  device: RouterDevice,
  src: number,
  srcPort: number,
  dst: number,
  dstPort: number,
  data: Uint8Array,
  tos: number,
): boolean {
  const payload = emitUdp({ srcPort, dstPort, payload: data }, { src, dst });
  return device.stack.send({ dst, src, protocol: IP_PROTO_UDP, payload, tos }).ok;
}

/** The address the device sends to `dst` from (its egress interface's), or null without a route. */
function sourceFor(device: RouterDevice, dst: number): number | null {
  const stack = device.stack;
  if (stack.isLocalAddress(dst)) return dst;
  const pathList = stack.lookupPathList(dst);
  if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length === 0) return null;
  return stack.interface(stack.choosePath(pathList, 0, dst, false).interface)?.config.address?.address ?? null;
}

/** One client as the server sees it. */
class UdpPeer {
  firstNs: TimeNs = 0;
  bytes = 0;
  expected = 0;
  lost = 0;
  outOfOrder = 0;
  lastTransitNs: number | null = null;
  jitterNs = 0;
  report: UdpServerReport | null = null;
  constructor(readonly id: number) {}
}

/**
 * Listens for iperf UDP clients on `port`; `connected` and `finished` hear each
 * client (the daemon passes neither). Returns the function that stops it.
 */
export function listenIperfUdp(
  device: RouterDevice,
  port: number,
  connected?: (id: number, local: number, peer: number, peerPort: number) => void,
  finished?: (id: number, r: UdpServerReport) => void,
): () => void {
  const peers = new Map<string, UdpPeer>();
  let nextId = 3;
  return device.stack.bind({ udpPort: port }, (d: LocalDatagram) => {
    const udp = parseUdp(d.header.payload);
    if (!udp.ok || udp.value.dstPort !== port || udp.value.payload.length < HEADER_LEN) return;
    const data = udp.value.payload;
    const key = `${d.header.src}:${udp.value.srcPort}`;
    let peer = peers.get(key);
    const seq = readU32(data, 0) | 0;
    if (peer === undefined) {
      if (seq < 0) return; // a final datagram of a client we never heard: nothing to report
      peer = new UdpPeer(nextId++);
      peer.firstNs = d.atNs;
      peers.set(key, peer);
      connected?.(peer.id, d.header.dst, d.header.src, udp.value.srcPort);
    }
    if (seq >= 0) {
      if (peer.report !== null) return;
      peer.bytes += data.length;
      if (seq < peer.expected) {
        // Counted lost when the later one came: it was only late (iperf moves it to out-of-order).
        peer.outOfOrder++;
        if (peer.lost > 0) peer.lost--;
      } else {
        peer.lost += seq - peer.expected;
        peer.expected = seq + 1;
      }
      const sentNs = readU32(data, 4) * 1e9 + readU32(data, 8) * 1e3;
      const transit = d.atNs - sentNs;
      if (peer.lastTransitNs !== null) {
        const delta = Math.abs(transit - peer.lastTransitNs);
        peer.jitterNs += (delta - peer.jitterNs) / 16;
      }
      peer.lastTransitNs = transit;
      return;
    }
    // The final datagram (negated count): report once, answer every copy.
    if (peer.report === null) {
      const datagrams = -seq;
      peer.lost += Math.max(0, datagrams - peer.expected);
      peer.report = {
        bytes: peer.bytes,
        durationNs: d.atNs - peer.firstNs,
        lost: peer.lost,
        outOfOrder: peer.outOfOrder,
        datagrams,
        jitterNs: peer.jitterNs,
      };
      finished?.(peer.id, peer.report);
    }
    const r = peer.report;
    const reply = new Uint8Array(HEADER_LEN + REPORT_LEN);
    reply.set(data.subarray(0, HEADER_LEN));
    writeU32(reply, 12, REPORT_FLAG);
    writeU32(reply, 16, Math.floor(r.bytes / 2 ** 32));
    writeU32(reply, 20, r.bytes >>> 0);
    writeU32(reply, 24, Math.floor(r.durationNs / 1e9));
    writeU32(reply, 28, Math.floor((r.durationNs % 1e9) / 1e3));
    writeU32(reply, 32, r.lost);
    writeU32(reply, 36, r.outOfOrder);
    writeU32(reply, 40, r.datagrams);
    writeU32(reply, 44, Math.floor(r.jitterNs / 1e9));
    writeU32(reply, 48, Math.floor((r.jitterNs % 1e9) / 1e3));
    sendUdp(device, d.header.dst, port, d.header.src, udp.value.srcPort, reply, 0);
  });
}

/** The server report a client reads from the answer to its final datagram, or null if it is not one. */
function parseServerReport(data: Uint8Array): UdpServerReport | null {
  if (data.length < HEADER_LEN + REPORT_LEN || (readU32(data, 12) & REPORT_FLAG) === 0) return null;
  return {
    bytes: readU32(data, 16) * 2 ** 32 + readU32(data, 20),
    durationNs: readU32(data, 24) * 1e9 + readU32(data, 28) * 1e3,
    lost: readU32(data, 32),
    outOfOrder: readU32(data, 36),
    datagrams: readU32(data, 40),
    jitterNs: readU32(data, 44) * 1e9 + readU32(data, 48) * 1e3,
  };
}

/** The banner of `iperf -s -u`. */
export function udpServerBanner(port: number): string {
  return `${RULE}\nServer listening on UDP port ${port}\nReceiving ${IPERF_UDP_LEN} byte datagrams\n${BUFFER_LINE}\n${RULE}\n`;
}

/** `iperf -s -u` in the foreground: reports each client until Ctrl-C. */
export class IperfUdpServerJob implements ExecJob {
  private stop: (() => void) | null = null;

  constructor(
    private readonly device: RouterDevice,
    private readonly port: number,
    private readonly reportLine: ReportLine,
    private readonly write: (text: string) => void,
    private readonly done: () => void,
  ) {}

  start(): void {
    if (this.device.stack.udpBound(this.port)) {
      this.write("bind failed: Address already in use\n");
      return this.done();
    }
    this.write(udpServerBanner(this.port));
    this.stop = listenIperfUdp(
      this.device,
      this.port,
      (id, local, peer, peerPort) =>
        this.write(
          `[${String(id).padStart(3)}] local ${formatIpv4Address(local)} port ${this.port} connected with ${formatIpv4Address(peer)} port ${peerPort}\n`,
        ),
      (id, r) => {
        this.write(
          `[ ID] Interval       Transfer     Bandwidth        Jitter   Lost/Total Datagrams\n${serverLine(this.reportLine, id, r)}\n`,
        );
        if (r.outOfOrder > 0) {
          const s = (r.durationNs / 1e9).toFixed(1).padStart(4);
          this.write(`[${String(id).padStart(3)}]  0.0-${s} sec  ${r.outOfOrder} datagrams received out-of-order\n`);
        }
      },
    );
  }

  abort(): void {
    this.stop?.();
    this.stop = null;
  }

  interrupt(): void {
    this.abort();
    this.write("^C");
    this.done();
  }
}

/** `iperf -c A -u`: the paced stream, the final datagram until the server's report, the reports. */
export class IperfUdpClientJob implements ExecJob {
  private readonly id = 3;
  private src = 0;
  private localPort = 0;
  private unbind: (() => void) | null = null;
  private timer: TimerHandle | null = null;
  private startNs: TimeNs = 0;
  private sent = 0;
  private bytes = 0;
  private finTries = 0;
  private ended = false;

  constructor(
    private readonly device: RouterDevice,
    private readonly opts: IperfUdpClientOptions,
    private readonly reportLine: ReportLine,
    private readonly write: (text: string) => void,
    private readonly done: () => void,
  ) {}

  start(): void {
    const o = this.opts;
    this.write(
      `${RULE}\nClient connecting to ${formatIpv4Address(o.target)}, UDP port ${o.port}\nSending ${o.len} byte datagrams\n${BUFFER_LINE}\n${RULE}\n`,
    );
    const src = sourceFor(this.device, o.target);
    if (src === null) return this.end("connect failed: Network is unreachable");
    this.src = src;
    for (let tries = 0; tries < 64 && this.localPort === 0; tries++) {
      const p = EPHEMERAL_LOW + (this.device.ctx.randomU32() % (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1));
      if (!this.device.stack.udpBound(p)) this.localPort = p;
    }
    this.unbind = this.device.stack.bind({ udpPort: this.localPort }, (d) => this.answer(d));
    this.write(
      `[${String(this.id).padStart(3)}] local ${formatIpv4Address(src)} port ${this.localPort} connected with ${formatIpv4Address(o.target)} port ${o.port}\n`,
    );
    this.startNs = this.device.now();
    this.sendNext();
  }

  /** Datagram i leaves at start + i * len * 8 / rate: the schedule never drifts. */
  private sendNext(): void {
    const o = this.opts;
    const now = this.device.now();
    if (now - this.startNs >= o.seconds * 1e9) return this.finishSending();
    const data = new Uint8Array(o.len);
    for (let i = HEADER_LEN; i < data.length; i++) data[i] = 0x30 + (i % 10);
    writeHeader(data, this.sent, now);
    // A datagram the output queue refused still counts as sent, as iperf's sendto() to a full qdisc does.
    sendUdp(this.device, this.src, this.localPort, o.target, o.port, data, o.tos);
    this.sent++;
    this.bytes += o.len;
    const nextAt = this.startNs + Math.round((this.sent * o.len * 8 * 1e9) / o.rateBps);
    this.timer = this.device.timers.after(Math.max(0, nextAt - now), "iperf-udp", () => this.sendNext());
  }

  private finishSending(): void {
    const ns = this.device.now() - this.startNs;
    this.write(`[ ID] Interval       Transfer     Bandwidth\n${this.reportLine(this.id, this.bytes, ns)}\n`);
    this.write(`[${String(this.id).padStart(3)}] Sent ${this.sent} datagrams\n`);
    this.sendFin();
  }

  private sendFin(): void {
    if (this.finTries >= FIN_TRIES) {
      this.write(
        `[${String(this.id).padStart(3)}] WARNING: did not receive ack of last datagram after ${FIN_TRIES} tries.\n`,
      );
      return this.end(null);
    }
    this.finTries++;
    const data = new Uint8Array(this.opts.len);
    writeHeader(data, -this.sent, this.device.now());
    sendUdp(this.device, this.src, this.localPort, this.opts.target, this.opts.port, data, this.opts.tos);
    this.timer = this.device.timers.after(FIN_INTERVAL_NS, "iperf-udp-fin", () => this.sendFin());
  }

  private answer(d: LocalDatagram): void {
    if (this.ended || this.finTries === 0) return;
    const udp = parseUdp(d.header.payload);
    if (!udp.ok || d.header.src !== this.opts.target) return;
    const r = parseServerReport(udp.value.payload);
    if (r === null) return;
    this.write(`[${String(this.id).padStart(3)}] Server Report:\n${serverLine(this.reportLine, this.id, r)}\n`);
    this.end(null);
  }

  private end(message: string | null): void {
    if (this.ended) return;
    this.ended = true;
    this.timer?.cancel();
    this.unbind?.();
    if (message !== null) this.write(`${message}\n`);
    this.done();
  }

  abort(): void {
    this.ended = true;
    this.timer?.cancel();
    this.unbind?.();
  }

  interrupt(): void {
    if (this.ended) return;
    this.abort();
    this.write("^C");
    this.done();
  }
}
