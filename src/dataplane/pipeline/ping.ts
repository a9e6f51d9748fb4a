// IOS ping as a job on the virtual clock: echo requests one after another (the
// next leaves when the previous is answered or times out), with extended
// options (repeat, datagram size as the whole IP packet, DF, ToS, source,
// timeout, size sweep) and IOS's output: `!` reply, `.` timeout, `U`
// unreachable, `M` could not fragment (a frag-needed from another router; a DF
// echo over our own MTU is not sent and times out), `&` lifetime exceeded, 70 per line,
// then the success-rate line with round-trip times from virtual time.

import type { TimeNs } from "../../runtime/device.ts";
import type { DeviceTimers } from "../../runtime/device-timers.ts";
import { emitIcmp, parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { IpStack, LocalDatagram } from "./ip-stack.ts";
import { ProbeJob } from "./probe-job.ts";
import { quotesEcho } from "./quoted-echo.ts";
import type { RouterInterface } from "./router-interface.ts";

/** Extended ping options (IOS defaults: repeat 5, size 100, timeout 2 s). */
export interface PingOptions {
  target: number;
  repeat: number;
  /** Datagram sizes (whole IP packet), in sending order for one round; a sweep lists many. */
  sizes: number[];
  /** True when sizes came from a sweep (changes the header line). */
  sweep: boolean;
  timeoutSec: number;
  dontFragment: boolean;
  tos: number;
  sourceAddress?: number;
  sourceInterface?: RouterInterface;
  /** ICMP identifier. */
  id: number;
  /** The extended dialog's data pattern, 16 bits repeated through the echo data (IOS's default 0xABCD). */
  pattern?: number;
  /** `Validate reply data? yes`: a reply whose data differs from what was sent counts as lost. */
  validate?: boolean;
}

const DEFAULT_PATTERN = 0xabcd;
const PER_LINE = 70;
const IP_ICMP_HEADERS = 28;

/** One running ping. */
export class PingJob extends ProbeJob<PingOptions> {
  private readonly order: number[] = [];
  private index = 0;
  private received = 0;
  private column = 0;
  private rtts: number[] = [];
  private sentAt: TimeNs = 0;
  private sentData: Uint8Array = new Uint8Array(0);

  constructor(
    stack: IpStack,
    timers: DeviceTimers,
    now: () => TimeNs,
    opts: PingOptions,
    write: (text: string) => void,
    done: () => void,
  ) {
    super(stack, timers, now, opts, write, done);
    for (let r = 0; r < opts.repeat; r++) for (const size of opts.sizes) this.order.push(size);
  }

  /** Prints the header and sends the first echo. */
  start(): void {
    const o = this.opts;
    const target = formatIpv4Address(o.target);
    const sizeText = o.sweep ? `[${o.sizes[0]}..${o.sizes[o.sizes.length - 1]}]` : `${o.sizes[0]}`;
    let header = `Type escape sequence to abort.\nSending ${this.order.length}, ${sizeText}-byte ICMP Echos to ${target}, timeout is ${o.timeoutSec} seconds:\n`;
    const source = o.sourceAddress ?? o.sourceInterface?.config.address?.address;
    if (source !== undefined) header += `Packet sent with a source address of ${formatIpv4Address(source)} \n`;
    if (o.dontFragment) header += "Packet sent with the DF bit set\n";
    const pattern = o.pattern ?? DEFAULT_PATTERN;
    if (pattern !== DEFAULT_PATTERN)
      header += `Packet has data pattern 0x${pattern.toString(16).toUpperCase().padStart(4, "0")}\n`;
    if (o.validate === true) header += "Reply data will be validated\n";
    this.write(header);
    this.listen();
    this.sendNext();
  }

  private sendNext(): void {
    if (this.index >= this.order.length) return this.finish();
    const size = this.order[this.index]!;
    const data = new Uint8Array(Math.max(0, size - IP_ICMP_HEADERS));
    const pattern = this.opts.pattern ?? DEFAULT_PATTERN;
    for (let i = 0; i < data.length; i++) data[i] = i & 1 ? pattern & 0xff : pattern >>> 8;
    this.sentData = data;
    const payload = emitIcmp({ kind: "echoRequest", id: this.opts.id, seq: this.seq(), data });
    this.sentAt = this.now();
    // A DF echo larger than our own egress MTU is never sent (show ip traffic counts it as couldn't
    // fragment): IOS prints no M for it, the echo times out (seed 002's `!!!!!!!!!!!.`). M comes only
    // from a frag-needed another router sends back.
    this.stack.send({
      dst: this.opts.target,
      src: this.opts.sourceAddress,
      sourceInterface: this.opts.sourceInterface,
      protocol: IP_PROTO_ICMP,
      payload,
      tos: this.opts.tos,
      dontFragment: this.opts.dontFragment,
    });
    this.arm(this.opts.timeoutSec * 1e9, "ping-timeout", () => this.mark("."));
  }

  protected onDatagram(d: LocalDatagram): void {
    if (d.header.protocol !== IP_PROTO_ICMP) return;
    const parsed = parseIcmp(d.header.payload);
    if (!parsed.ok) return;
    const m = parsed.value;
    if (m.kind === "echoReply") {
      if (m.id !== this.opts.id || m.seq !== this.seq() || d.header.src !== this.opts.target) return;
      if (this.opts.validate === true && !sameBytes(m.data, this.sentData)) return this.mark(".");
      this.received++;
      this.rtts.push(Math.floor((this.now() - this.sentAt) / 1e6));
      return this.mark("!");
    }
    if (m.kind !== "destUnreachable" && m.kind !== "timeExceeded") return;
    if (!quotesEcho(m.original, this.opts.target, this.opts.id, this.seq())) return;
    if (m.kind === "timeExceeded") return this.mark("&");
    return this.mark(m.code === UNREACH.FRAG_NEEDED ? "M" : "U");
  }

  /** The ICMP sequence number of the echo outstanding: 16 bits, so it wraps after 65536 echoes while the count goes on. */
  private seq(): number {
    return this.index & 0xffff;
  }

  private mark(ch: string): void {
    this.disarm();
    if (this.column === PER_LINE) {
      this.write("\n");
      this.column = 0;
    }
    this.write(ch);
    this.column++;
    this.index++;
    this.sendNext();
  }

  /** Cut short by the escape sequence: IOS's summary counts the echoes done so far. */
  protected override onInterrupt(): void {
    this.order.length = this.index;
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    const sent = this.order.length;
    const percent = sent === 0 ? 0 : Math.floor((100 * this.received) / sent);
    let line = `\nSuccess rate is ${percent} percent (${this.received}/${sent})`;
    if (this.rtts.length > 0) {
      const min = Math.min(...this.rtts);
      const max = Math.max(...this.rtts);
      const avg = Math.floor(this.rtts.reduce((a, b) => a + b, 0) / this.rtts.length);
      line += `, round-trip min/avg/max = ${min}/${avg}/${max} ms`;
    }
    this.write(`${line}\n`);
    this.complete();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
