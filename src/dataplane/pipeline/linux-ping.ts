// Linux ping (iputils) on a Linux-style host: one echo request a second
// whatever the replies, `-c` echoes (until Ctrl-C without it), `-s` bytes of
// data after a timestamp (the IP datagram is s + 28 bytes), TTL 64 or `-t`,
// path MTU discovery as `-M do|want|dont` sets it (do: DF, and a datagram
// over the known path MTU is refused locally with `ping: local error: message
// too long, mtu=N`; want, the default: DF while the datagram fits, else
// fragmented locally; dont: never DF), and, after the last echo, up to `-W`
// seconds (10 by default) for the replies still due. Output as iputils prints
// it: `64 bytes from A: icmp_seq=1 ttl=63 time=2.03 ms` with its precision
// rules, `From A icmp_seq=N ...` for ICMP errors (a frag-needed also teaches the
// path MTU cache), and the statistics with `rtt min/avg/max/mdev`.

import type { TimeNs } from "../../runtime/device.ts";
import { emitIcmp, ICMP_ECHO_REQUEST, parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../wire/ipv4-address.ts";
import type { LocalDatagram } from "./ip-stack.ts";
import { learnPathMtu, pathMtu } from "./linux-pmtu.ts";
import { ProbeJob } from "./probe-job.ts";

/** Path MTU discovery strategy (`-M`). */
export type PmtuDiscovery = "do" | "want" | "dont";

/** Linux ping options (defaults: no count, -s 56, -M want, TTL 64, -W 10 for the last replies). */
export interface LinuxPingOptions {
  target: number;
  /** Echoes to send; Infinity without -c (until Ctrl-C). */
  count: number;
  dataBytes: number;
  pmtu: PmtuDiscovery;
  ttl: number;
  /** Seconds to wait for replies after the last echo. */
  lingerSec: number;
  id: number;
}

/** iputils' precision for a round-trip time in microseconds: 0.345, 2.03, 12.3, 123. */
export function formatLinuxRtt(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000)
    return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, "0")}`;
  return `0.${String(us).padStart(3, "0")}`;
}

/** C's `%g` for a percentage: six significant digits, no trailing zeros. */
export function formatPercent(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** Microseconds as iputils prints them in the rtt line: `%ld.%03ld`. */
function millis(us: number): string {
  const whole = Math.floor(us);
  return `${Math.floor(whole / 1000)}.${String(whole % 1000).padStart(3, "0")}`;
}

/** iputils' words for an ICMP error about one of its echoes. */
export function linuxIcmpErrorText(kind: "destUnreachable" | "timeExceeded", code: number, mtu: number): string {
  if (kind === "timeExceeded") return code === 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
  if (code === UNREACH.NET) return "Destination Net Unreachable";
  if (code === UNREACH.HOST) return "Destination Host Unreachable";
  if (code === UNREACH.PROTOCOL) return "Destination Protocol Unreachable";
  if (code === UNREACH.PORT) return "Destination Port Unreachable";
  if (code === UNREACH.FRAG_NEEDED) return `Frag needed and DF set (mtu = ${mtu})`;
  if (code === UNREACH.ADMIN_PROHIBITED) return "Packet filtered";
  return `Dest Unreachable, Bad Code: ${code}`;
}

/** One running Linux ping. */
export class LinuxPingJob extends ProbeJob<LinuxPingOptions> {
  private transmitted = 0;
  private received = 0;
  private errors = 0;
  private startedAt: TimeNs = 0;
  private readonly sentAt = new Map<number, TimeNs>();
  private readonly answered = new Set<number>();
  private readonly rtts: number[] = [];

  start(): void {
    const o = this.opts;
    const target = formatIpv4Address(o.target);
    if (this.stack.lookupPathList(o.target) === undefined) {
      this.write("ping: connect: Network is unreachable\n");
      return this.complete();
    }
    this.write(`PING ${target} (${target}) ${o.dataBytes}(${o.dataBytes + 28}) bytes of data.\n`);
    this.startedAt = this.now();
    this.listen();
    this.sendNext();
  }

  private sendNext(): void {
    const o = this.opts;
    this.transmitted++;
    const seq = this.transmitted & 0xffff;
    const size = o.dataBytes + 28;
    const now = this.now();
    const mtu = pathMtu(this.stack, o.target, now);
    if (o.pmtu === "do" && mtu !== undefined && size > mtu) this.localError(mtu);
    else {
      const data = new Uint8Array(o.dataBytes);
      // A struct timeval (seconds, microseconds) as iputils puts it first, then bytes counting up.
      const view = new DataView(data.buffer);
      if (data.length >= 16) {
        view.setBigUint64(0, BigInt(Math.floor(now / 1e9)), true);
        view.setBigUint64(8, BigInt(Math.floor((now % 1e9) / 1e3)), true);
      }
      for (let i = data.length >= 16 ? 16 : 0; i < data.length; i++) data[i] = i & 0xff;
      const dontFragment = o.pmtu === "do" || (o.pmtu === "want" && (mtu === undefined || size <= mtu));
      this.sentAt.set(seq, now);
      // The 16-bit sequence number wraps after 65536 echoes: a reused number starts unanswered (iputils' rcvd_clear).
      this.answered.delete(seq);
      const result = this.stack.send({
        dst: o.target,
        protocol: IP_PROTO_ICMP,
        payload: emitIcmp({ kind: "echoRequest", id: o.id, seq, data }),
        ttl: o.ttl,
        dontFragment,
      });
      if (!result.ok && result.failure === "fragmentationNeeded") this.localError(result.mtu ?? mtu ?? 0);
    }
    if (this.transmitted < o.count) this.arm(1e9, "ping-interval", () => this.sendNext());
    else if (this.allAccountedFor()) this.finish();
    else this.arm(o.lingerSec * 1e9, "ping-linger", () => this.finish());
  }

  private localError(mtu: number): void {
    this.errors++;
    this.write(`ping: local error: message too long, mtu=${mtu}\n`);
  }

  private allAccountedFor(): boolean {
    return this.transmitted >= this.opts.count && this.received + this.errors >= this.transmitted;
  }

  protected onDatagram(d: LocalDatagram): void {
    const parsed = parseIcmp(d.header.payload);
    if (!parsed.ok) return;
    const m = parsed.value;
    const from = formatIpv4Address(d.header.src);
    if (m.kind === "echoReply") {
      if (m.id !== this.opts.id || d.header.src !== this.opts.target) return;
      const sent = this.sentAt.get(m.seq);
      if (sent === undefined || this.answered.has(m.seq)) return;
      this.answered.add(m.seq);
      this.received++;
      const us = Math.floor((this.now() - sent) / 1e3);
      this.rtts.push(us);
      this.write(
        `${m.data.length + 8} bytes from ${from}: icmp_seq=${m.seq} ttl=${d.header.ttl} time=${formatLinuxRtt(us)} ms\n`,
      );
    } else if (m.kind === "destUnreachable" || m.kind === "timeExceeded") {
      const seq = this.quotedSeq(m.original);
      if (seq === null || this.answered.has(seq)) return;
      this.answered.add(seq);
      this.errors++;
      const mtu = m.kind === "destUnreachable" ? m.nextHopMtu : 0;
      if (m.kind === "destUnreachable" && m.code === UNREACH.FRAG_NEEDED)
        learnPathMtu(this.stack, this.opts.target, mtu, this.now());
      this.write(`From ${from} icmp_seq=${seq} ${linuxIcmpErrorText(m.kind, m.code, mtu)}\n`);
    } else return;
    if (this.allAccountedFor()) this.finish();
  }

  /** The sequence number of our echo an ICMP error quotes, or null. */
  private quotedSeq(q: Uint8Array): number | null {
    if (q.length < 28 || q[9] !== IP_PROTO_ICMP || readIpv4(q, 16) !== this.opts.target) return null;
    const hlen = (q[0]! & 0x0f) * 4;
    if (q.length < hlen + 8 || q[hlen] !== ICMP_ECHO_REQUEST) return null;
    if (((q[hlen + 4]! << 8) | q[hlen + 5]!) !== this.opts.id) return null;
    const seq = (q[hlen + 6]! << 8) | q[hlen + 7]!;
    return this.sentAt.has(seq) ? seq : null;
  }

  /** Ctrl-C: the terminal shows ^C, then the statistics. */
  protected override onInterrupt(): void {
    this.write("^C");
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    const o = this.opts;
    const tx = this.transmitted;
    const loss = tx === 0 ? 0 : ((tx - this.received) * 100) / tx;
    const errors = this.errors > 0 ? ` +${this.errors} errors,` : "";
    const ms = Math.floor((this.now() - this.startedAt) / 1e6);
    let text = `\n--- ${formatIpv4Address(o.target)} ping statistics ---\n`;
    text += `${tx} packets transmitted, ${this.received} received,${errors} ${formatPercent(loss)}% packet loss, time ${ms}ms\n`;
    if (this.rtts.length > 0) {
      const n = this.rtts.length;
      const min = Math.min(...this.rtts);
      const max = Math.max(...this.rtts);
      const sum = this.rtts.reduce((a, b) => a + b, 0);
      const sum2 = this.rtts.reduce((a, b) => a + b * b, 0);
      const avg = sum / n;
      const mdev = Math.sqrt(Math.max(0, sum2 / n - avg * avg));
      text += `rtt min/avg/max/mdev = ${millis(min)}/${millis(avg)}/${millis(max)}/${millis(mdev)} ms\n`;
    }
    this.write(text);
    this.complete();
  }
}
