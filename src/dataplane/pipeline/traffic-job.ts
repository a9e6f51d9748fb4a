// wanlab's traffic generator as an exec job on the virtual clock, in the
// spirit of a TRex or Ixia port (IOS has no such command): `count` UDP
// datagrams of `size` bytes (the whole IP packet, as ping counts it) to a
// target, paced at `rate` packets per second of virtual time: datagram i
// leaves at start + round(i * 1e9 / rate) ns, so the spacing never drifts.
// Datagrams go through the device's normal output path, so the egress link's
// serialization delay and 40-packet hold queue apply: a stream above the link
// rate fills the queue, and what does not fit is dropped and counted as
// output drops, as on a real router. The payload starts with a 32-bit
// sequence number (then 0xab 0xcd filler) so captures show order and loss.
// Nothing is needed on the receiving side: UDP to a closed port is answered
// by a (rate-limited) port unreachable. At the end the job prints what it
// sent, what failed to send and why, and the ICMP errors about the stream
// that came back while it ran.

import type { TimeNs } from "../../runtime/device.ts";
import type { DeviceTimers } from "../../runtime/device-timers.ts";
import { checksumAdd, checksumFinish, pseudoHeaderSum } from "../../wire/checksum.ts";
import { parseIcmp } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../wire/ipv4-address.ts";
import { emitUdpInto, UDP_HEADER_LEN } from "../../wire/udp.ts";
import { unreachableText } from "./icmp-sender.ts";
import type { IpStack, LocalDatagram, SendFailure } from "./ip-stack.ts";
import { ProbeJob } from "./probe-job.ts";
import type { RouterInterface } from "./router-interface.ts";

/** Traffic stream options (defaults in the exec command: size 100, rate 1000, count 1000, dport 9). */
export interface TrafficOptions {
  target: number;
  sourceAddress?: number;
  sourceInterface?: RouterInterface;
  /** Whole IP datagram in bytes (20-byte IP header + 8-byte UDP header + payload). */
  size: number;
  /** Datagrams per second of virtual time. */
  ratePps: number;
  count: number;
  dstPort: number;
  srcPort: number;
  tos: number;
  ttl?: number;
  dontFragment: boolean;
}

/** What a finished stream did (also printed as the command's summary). */
export interface TrafficSummary {
  sent: number;
  failed: number;
  /** Failures by reason (queueFull is an output drop on the egress interface). */
  failures: Partial<Record<SendFailure, number>>;
  /** ICMP errors quoting the stream that arrived while it ran, by kind. */
  icmpErrors: Record<string, number>;
  /** Virtual time from the first datagram to the last. */
  elapsedNs: TimeNs;
}

const IP_UDP_HEADERS = 20 + UDP_HEADER_LEN;

const FAILURE_TEXT: Record<SendFailure, string> = {
  queueFull: "output queue full",
  noRoute: "no route",
  noSourceAddress: "no source address",
  fragmentationNeeded: "fragmentation needed and DF set",
  aclDenied: "denied by output access list",
  interfaceDown: "interface down",
  encapsulationFailed: "encapsulation failed (ARP incomplete)",
};

/** One running UDP stream. */
export class TrafficJob extends ProbeJob<TrafficOptions> {
  private index = 0;
  private startAt: TimeNs = 0;
  private lastSentAt: TimeNs = 0;
  /** Source address the UDP checksum covers (null: chosen by the stack per datagram, checksum left 0). */
  private source: number | null = null;
  /** UDP header and payload of datagram 0; the others differ only in sequence number and checksum. */
  private template = new Uint8Array(0);
  /** Unfolded checksum sum of the template (pseudo-header included) without its sequence number. */
  private templateSum = 0;
  private readonly summary: TrafficSummary = { sent: 0, failed: 0, failures: {}, icmpErrors: {}, elapsedNs: 0 };

  constructor(
    stack: IpStack,
    timers: DeviceTimers,
    now: () => TimeNs,
    opts: TrafficOptions,
    write: (text: string) => void,
    done: () => void,
  ) {
    super(stack, timers, now, opts, write, done);
  }

  /** Prints the header and sends the first datagram. */
  start(): void {
    const o = this.opts;
    this.source = o.sourceAddress ?? o.sourceInterface?.config.address?.address ?? this.egressAddress();
    const spacingMs = (1e3 / o.ratePps).toFixed(3);
    let header = `Type escape sequence to abort.\nSending ${o.count}, ${o.size}-byte UDP datagrams to ${formatIpv4Address(o.target)} port ${o.dstPort} at ${o.ratePps} packets/s (every ${spacingMs} ms):\n`;
    if (this.source !== null)
      header += `Packet sent with a source address of ${formatIpv4Address(this.source)}, port ${o.srcPort}\n`;
    if (o.dontFragment) header += "Packet sent with the DF bit set\n";
    this.write(header);
    this.buildTemplate();
    this.listen();
    this.startAt = this.now();
    this.sendNext();
  }

  /** Result so far (final once the job has finished). */
  get result(): Readonly<TrafficSummary> {
    return this.summary;
  }

  /** Address of the interface the route to the target leaves by, as the stack would pick it. */
  private egressAddress(): number | null {
    const pathList = this.stack.lookupPathList(this.opts.target);
    if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length === 0) {
      return this.stack.isLocalAddress(this.opts.target) ? this.opts.target : null;
    }
    const path = this.stack.choosePath(pathList, 0, this.opts.target, false);
    return this.stack.interface(path.interface)?.config.address?.address ?? null;
  }

  private sendNext(): void {
    const o = this.opts;
    const now = this.now();
    const payload = this.datagram(this.index);
    const result = this.stack.send({
      dst: o.target,
      src: this.source ?? undefined,
      sourceInterface: o.sourceInterface,
      protocol: IP_PROTO_UDP,
      payload,
      tos: o.tos,
      ttl: o.ttl,
      dontFragment: o.dontFragment,
    });
    const s = this.summary;
    if (result.ok) s.sent++;
    else {
      s.failed++;
      const why = result.failure ?? "encapsulationFailed";
      s.failures[why] = (s.failures[why] ?? 0) + 1;
    }
    this.lastSentAt = now;
    this.index++;
    if (this.index >= o.count) return this.finish();
    // Absolute schedule from the start: rounding never accumulates.
    const nextAt = this.startAt + Math.round((this.index * 1e9) / o.ratePps);
    this.arm(nextAt - now, "traffic", () => this.sendNext());
  }

  private buildTemplate(): void {
    const o = this.opts;
    const data = new Uint8Array(Math.max(0, o.size - IP_UDP_HEADERS));
    for (let i = 4; i < data.length; i++) data[i] = i & 1 ? 0xcd : 0xab;
    const udp = new Uint8Array(UDP_HEADER_LEN + data.length);
    emitUdpInto(
      { srcPort: o.srcPort, dstPort: o.dstPort, payload: data },
      { src: this.source ?? 0, dst: o.target },
      udp,
      0,
    );
    udp[6] = udp[7] = 0;
    this.templateSum = checksumAdd(pseudoHeaderSum(this.source ?? 0, o.target, IP_PROTO_UDP, udp.length), udp);
    this.template = udp;
  }

  /** UDP header and payload of datagram `seq`: the sequence number leads the payload. */
  private datagram(seq: number): Uint8Array {
    const udp = this.template.slice();
    let sum = this.templateSum;
    if (udp.length >= UDP_HEADER_LEN + 4) {
      udp[8] = seq >>> 24;
      udp[9] = seq >>> 16;
      udp[10] = seq >>> 8;
      udp[11] = seq;
      sum += (seq >>> 16) + (seq & 0xffff);
    }
    // Without a known source the checksum would be wrong: send none (allowed for UDP over IPv4).
    if (this.source !== null) {
      const c = checksumFinish(sum) || 0xffff;
      udp[6] = c >>> 8;
      udp[7] = c;
    }
    return udp;
  }

  /** Counts ICMP errors that quote a datagram of this stream. */
  protected onDatagram(d: LocalDatagram): void {
    if (d.header.protocol !== IP_PROTO_ICMP) return;
    const parsed = parseIcmp(d.header.payload);
    if (!parsed.ok) return;
    const m = parsed.value;
    if (m.kind !== "destUnreachable" && m.kind !== "timeExceeded") return;
    const q = m.original;
    if (q.length < 28 || q[9] !== IP_PROTO_UDP || readIpv4(q, 16) !== this.opts.target) return;
    const hlen = (q[0]! & 0x0f) * 4;
    if (
      q.length < hlen + 4 ||
      ((q[hlen]! << 8) | q[hlen + 1]!) !== this.opts.srcPort ||
      ((q[hlen + 2]! << 8) | q[hlen + 3]!) !== this.opts.dstPort
    )
      return;
    const kind = m.kind === "timeExceeded" ? "time exceeded" : unreachableText(m.code);
    this.summary.icmpErrors[kind] = (this.summary.icmpErrors[kind] ?? 0) + 1;
  }

  /** Cut short by the escape sequence: the summary of what was sent so far. */
  protected override onInterrupt(): void {
    this.finish();
  }

  private finish(): void {
    const s = this.summary;
    s.elapsedNs = this.lastSentAt - this.startAt;
    // The stream lasts count intervals: from the first datagram to one interval after the last.
    const seconds = (s.elapsedNs + 1e9 / this.opts.ratePps) / 1e9;
    const pps = Math.round(s.sent / seconds);
    const kbps = Math.round((s.sent * this.opts.size * 8) / seconds / 1000);
    const reasons = Object.entries(s.failures).map(([k, n]) => `${n} ${FAILURE_TEXT[k as SendFailure]}`);
    let text = `Sent ${s.sent} of ${this.opts.count} datagrams, ${s.failed} failed to send${reasons.length > 0 ? ` (${reasons.join(", ")})` : ""}\n`;
    text += `Stream of ${(seconds * 1e3).toFixed(3)} ms: ${pps} packets/s, ${kbps} kbit/s of IP sent\n`;
    const errors = Object.entries(s.icmpErrors);
    if (errors.length > 0) text += `ICMP errors received: ${errors.map(([k, n]) => `${n} ${k}`).join(", ")}\n`;
    this.write(text);
    this.complete();
  }
}
