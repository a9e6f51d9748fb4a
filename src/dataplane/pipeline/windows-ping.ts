// Windows ping on a host device, as seed 002 contrasts it with IOS ping:
// `-l N` is the ICMP data size (the IP datagram is N + 28 bytes), `-n` the
// count, `-f` sets DF, `-i` the TTL, `-w` the timeout in ms, `-t` until
// Ctrl-C (which prints the statistics, then `Control-C` and `^C`); one echo
// per second, TTL 128, the alphabet data pattern, and Windows' reply and
// statistics lines. The ICMP sequence number is 16 bits: it wraps after 65536
// echoes while the count goes on (`-n 70000`, `-t`).

import type { TimeNs } from "../../runtime/device.ts";
import { emitIcmp, parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { LocalDatagram } from "./ip-stack.ts";
import { ProbeJob } from "./probe-job.ts";
import { quotesEcho } from "./quoted-echo.ts";

/** Windows ping options (defaults: -n 4, -l 32, -w 4000, TTL 128). */
export interface WindowsPingOptions {
  target: number;
  /** Echoes to send; Infinity for `-t` (until Ctrl-C). */
  count: number;
  dataBytes: number;
  timeoutMs: number;
  dontFragment: boolean;
  ttl: number;
  id: number;
}

const ALPHABET = "abcdefghijklmnopqrstuvwabcdefghi";

/** One running Windows ping. */
export class WindowsPingJob extends ProbeJob<WindowsPingOptions> {
  /** Echoes done so far; the one outstanding carries it as its (wrapped) ICMP sequence number. */
  private seq = 0;
  private received = 0;
  private rtts: number[] = [];
  private sentAt: TimeNs = 0;

  start(): void {
    this.write(`\nPinging ${formatIpv4Address(this.opts.target)} with ${this.opts.dataBytes} bytes of data:\n`);
    this.listen();
    this.send();
  }

  private send(): void {
    const data = new Uint8Array(this.opts.dataBytes);
    for (let i = 0; i < data.length; i++) data[i] = ALPHABET.charCodeAt(i % ALPHABET.length);
    this.sentAt = this.now();
    const result = this.stack.send({
      dst: this.opts.target,
      protocol: IP_PROTO_ICMP,
      payload: emitIcmp({ kind: "echoRequest", id: this.opts.id, seq: this.icmpSeq(), data }),
      ttl: this.opts.ttl,
      dontFragment: this.opts.dontFragment,
    });
    if (!result.ok && result.failure === "fragmentationNeeded")
      return this.outcome("Packet needs to be fragmented but DF set.");
    if (!result.ok && result.failure === "noRoute") return this.outcome("PING: transmit failed. General failure. ");
    this.arm(this.opts.timeoutMs * 1e6, "winping-timeout", () => this.outcome("Request timed out."));
  }

  protected onDatagram(d: LocalDatagram): void {
    if (d.header.protocol !== IP_PROTO_ICMP || !this.waiting) return;
    const parsed = parseIcmp(d.header.payload);
    if (!parsed.ok) return;
    const m = parsed.value;
    const from = formatIpv4Address(d.header.src);
    if (m.kind === "echoReply") {
      if (m.id !== this.opts.id || m.seq !== this.icmpSeq()) return;
      const ms = Math.floor((this.now() - this.sentAt) / 1e6);
      this.received++;
      this.rtts.push(ms);
      return this.outcome(
        `Reply from ${from}: bytes=${m.data.length} time${ms < 1 ? "<1" : "="}${ms < 1 ? "" : ms}ms TTL=${d.header.ttl}`,
      );
    }
    if (
      (m.kind === "destUnreachable" || m.kind === "timeExceeded") &&
      quotesEcho(m.original, this.opts.target, this.opts.id, this.icmpSeq())
    ) {
      if (m.kind === "timeExceeded") return this.outcome(`Reply from ${from}: TTL expired in transit.`);
      if (m.code === UNREACH.FRAG_NEEDED) return this.outcome("Packet needs to be fragmented but DF set.");
      const what = m.code === UNREACH.NET ? "network" : m.code === UNREACH.PORT ? "port" : "host";
      return this.outcome(`Reply from ${from}: Destination ${what} unreachable.`);
    }
  }

  /** The outstanding echo's ICMP sequence number: 16 bits, wrapping after 65536 echoes. */
  private icmpSeq(): number {
    return this.seq & 0xffff;
  }

  private outcome(line: string): void {
    this.disarm();
    this.write(`${line}\n`);
    this.seq++;
    if (this.seq >= this.opts.count) return this.finish();
    // Windows waits a second between echoes.
    this.arm(1e9, "winping-interval", () => this.send());
  }

  /** Ctrl-C: the statistics of the echoes answered or timed out so far, then Windows' `Control-C` and `^C`. */
  protected override onInterrupt(): void {
    this.finish(true);
  }

  private finish(interrupted = false): void {
    if (this.finished) return;
    const sent = Math.min(this.seq, this.opts.count);
    const lost = sent - this.received;
    const percent = sent === 0 ? 0 : Math.floor((100 * lost) / sent);
    let text = `\nPing statistics for ${formatIpv4Address(this.opts.target)}:\n    Packets: Sent = ${sent}, Received = ${this.received}, Lost = ${lost} (${percent}% loss),\n`;
    if (this.rtts.length > 0) {
      const min = Math.min(...this.rtts);
      const max = Math.max(...this.rtts);
      const avg = Math.round(this.rtts.reduce((a, b) => a + b, 0) / this.rtts.length);
      text += `Approximate round trip times in milli-seconds:\n    Minimum = ${min}ms, Maximum = ${max}ms, Average = ${avg}ms\n`;
    }
    if (interrupted) text += "Control-C\n^C\n";
    this.write(text);
    this.complete();
  }
}
