// Linux traceroute (traceroute 2.x, UDP) on a Linux-style host: 60-byte
// probes (32 bytes of UDP data) to port 33434 and up, `-q` (3) per TTL from
// `-f` (1) to `-m` (30), each waiting up to `-w` seconds (5). Output as Linux
// prints it: `traceroute to A (A), 30 hops max, 60 byte packets`, then per
// hop ` 1  A (A)  0.512 ms  0.401 ms  0.388 ms` (`-n`: the address alone; a
// lab has no DNS, so without -n the name is the address too), `*` for a probe
// that timed out, a new address when another router answers, and `!H`, `!N`,
// `!P`, `!X`, `!F-N` after the time of an unreachable. It stops after the hop
// where the destination (port unreachable) or an unreachable answered.

import type { TimeNs } from "../../runtime/device.ts";
import type { DeviceTimers } from "../../runtime/device-timers.ts";
import { parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../wire/ipv4-address.ts";
import { emitUdp } from "../../wire/udp.ts";
import type { IpStack, LocalDatagram } from "./ip-stack.ts";
import { ProbeJob } from "./probe-job.ts";

/** Linux traceroute options (defaults: -f 1, -m 30, -q 3, -w 5, port 33434). */
export interface LinuxTracerouteOptions {
  target: number;
  firstTtl: number;
  maxTtl: number;
  probes: number;
  waitSec: number;
  numeric: boolean;
  port: number;
  sourcePort: number;
}

const DATA_BYTES = 32;

/** The flag Linux traceroute prints after the time of an unreachable (empty for port unreachable). */
export function tracerouteFlag(code: number, mtu: number): string {
  if (code === UNREACH.PORT) return "";
  if (code === UNREACH.NET) return " !N";
  if (code === UNREACH.HOST) return " !H";
  if (code === UNREACH.PROTOCOL) return " !P";
  if (code === UNREACH.FRAG_NEEDED) return ` !F-${mtu}`;
  if (code === UNREACH.ADMIN_PROHIBITED) return " !X";
  return ` !<${code}>`;
}

/** Milliseconds with three decimals, from nanoseconds: `0.512`. */
export function threeDecimals(ns: number): string {
  const us = Math.floor(ns / 1e3);
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, "0")}`;
}

/** One running Linux traceroute. */
export class LinuxTracerouteJob extends ProbeJob<LinuxTracerouteOptions> {
  private ttl: number;
  private probe = 0;
  private counter = 0;
  private line = "";
  private lastAddress: number | null = null;
  private stop = false;
  private sentAt: TimeNs = 0;
  private outstandingPort = 0;

  constructor(
    stack: IpStack,
    timers: DeviceTimers,
    now: () => TimeNs,
    opts: LinuxTracerouteOptions,
    write: (text: string) => void,
    done: () => void,
  ) {
    super(stack, timers, now, opts, write, done);
    this.ttl = opts.firstTtl;
  }

  start(): void {
    const t = formatIpv4Address(this.opts.target);
    if (this.stack.lookupPathList(this.opts.target) === undefined) {
      this.write("connect: Network is unreachable\n");
      return this.complete();
    }
    this.write(`traceroute to ${t} (${t}), ${this.opts.maxTtl} hops max, ${20 + 8 + DATA_BYTES} byte packets\n`);
    this.listen();
    this.startHop();
  }

  private startHop(): void {
    this.line = `${String(this.ttl).padStart(2)} `;
    this.lastAddress = null;
    this.probe = 0;
    this.sendProbe();
  }

  private sendProbe(): void {
    this.outstandingPort = this.opts.port + this.counter++;
    const payload = emitUdp(
      { srcPort: this.opts.sourcePort, dstPort: this.outstandingPort, payload: new Uint8Array(DATA_BYTES) },
      { src: 0, dst: this.opts.target },
    );
    // The source address is chosen by the stack: a zero UDP checksum is allowed over IPv4.
    payload[6] = 0;
    payload[7] = 0;
    this.sentAt = this.now();
    this.stack.send({ dst: this.opts.target, protocol: IP_PROTO_UDP, payload, ttl: this.ttl });
    this.arm(this.opts.waitSec * 1e9, "traceroute-timeout", () => this.result(null, " *"));
  }

  protected onDatagram(d: LocalDatagram): void {
    if (d.header.protocol !== IP_PROTO_ICMP || !this.waiting) return;
    const parsed = parseIcmp(d.header.payload);
    if (!parsed.ok) return;
    const m = parsed.value;
    if (m.kind !== "timeExceeded" && m.kind !== "destUnreachable") return;
    const q = m.original;
    if (q.length < 28 || q[9] !== IP_PROTO_UDP || readIpv4(q, 16) !== this.opts.target) return;
    const hlen = (q[0]! & 0x0f) * 4;
    if (q.length < hlen + 4 || ((q[hlen + 2]! << 8) | q[hlen + 3]!) !== this.outstandingPort) return;
    const time = `  ${threeDecimals(this.now() - this.sentAt)} ms`;
    if (m.kind === "timeExceeded") return this.result(d.header.src, time);
    this.stop = true;
    return this.result(d.header.src, time + tracerouteFlag(m.code, m.nextHopMtu));
  }

  /** Ctrl-C: the hop line so far, as the terminal leaves it. */
  protected override onInterrupt(): void {
    this.write(`${this.line}^C\n`);
  }

  private result(from: number | null, text: string): void {
    this.disarm();
    if (from !== null && from !== this.lastAddress) {
      const a = formatIpv4Address(from);
      this.line += this.opts.numeric ? ` ${a}` : ` ${a} (${a})`;
      this.lastAddress = from;
    }
    this.line += text;
    this.probe++;
    if (this.probe < this.opts.probes) return this.sendProbe();
    this.write(`${this.line}\n`);
    if (this.stop || this.ttl >= this.opts.maxTtl) return this.complete();
    this.ttl++;
    this.startHop();
  }
}
