// IOS traceroute as a job on the virtual clock: UDP probes to port 33434 and
// up, three per TTL, each waiting up to 3 s; a time-exceeded names the hop, a
// port unreachable means the destination answered. Output as IOS prints it,
// including a new indented line when ECMP makes a hop answer from another
// address, `*` for a probe that timed out and `!H`/`!N`/`!A` for unreachables.

import type { TimeNs } from "../../runtime/device.ts";
import type { DeviceTimers } from "../../runtime/device-timers.ts";
import { parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../wire/ipv4-address.ts";
import { emitUdp } from "../../wire/udp.ts";
import type { IpStack, LocalDatagram } from "./ip-stack.ts";
import { ProbeJob } from "./probe-job.ts";
import type { RouterInterface } from "./router-interface.ts";

/** Traceroute options (IOS defaults: probes 3, timeout 3 s, TTL 1-30, port 33434). */
export interface TracerouteOptions {
  target: number;
  sourceAddress?: number;
  sourceInterface?: RouterInterface;
  probes: number;
  timeoutSec: number;
  minTtl: number;
  maxTtl: number;
  port: number;
  /** UDP source port of the probes. */
  sourcePort: number;
}

/** One running traceroute. */
export class TracerouteJob extends ProbeJob<TracerouteOptions> {
  private ttl: number;
  private probe = 0;
  private probeCounter = 0;
  private line = "";
  private lastAddress: number | null = null;
  private reached = false;
  private sentAt: TimeNs = 0;
  private outstandingPort = 0;

  constructor(
    stack: IpStack,
    timers: DeviceTimers,
    now: () => TimeNs,
    opts: TracerouteOptions,
    write: (text: string) => void,
    done: () => void,
  ) {
    super(stack, timers, now, opts, write, done);
    this.ttl = opts.minTtl;
  }

  start(): void {
    this.write(
      `Type escape sequence to abort.\nTracing the route to ${formatIpv4Address(this.opts.target)}\nVRF info: (vrf in name/id, vrf out name/id)\n`,
    );
    this.listen();
    this.startHop();
  }

  private startHop(): void {
    this.line = `${String(this.ttl).padStart(3)} `;
    this.lastAddress = null;
    this.probe = 0;
    this.sendProbe();
  }

  private sendProbe(): void {
    this.outstandingPort = this.opts.port + this.probeCounter++;
    const payload = emitUdp(
      { srcPort: this.opts.sourcePort, dstPort: this.outstandingPort, payload: new Uint8Array(0) },
      {
        src: this.opts.sourceAddress ?? this.opts.sourceInterface?.config.address?.address ?? 0,
        dst: this.opts.target,
      },
    );
    // The UDP checksum needs the real source; zero it (allowed for UDP over IPv4) when it is chosen later.
    if (this.opts.sourceAddress === undefined && this.opts.sourceInterface === undefined) {
      payload[6] = 0;
      payload[7] = 0;
    }
    this.sentAt = this.now();
    this.stack.send({
      dst: this.opts.target,
      src: this.opts.sourceAddress,
      sourceInterface: this.opts.sourceInterface,
      protocol: IP_PROTO_UDP,
      payload,
      ttl: this.ttl,
    });
    this.arm(this.opts.timeoutSec * 1e9, "traceroute-timeout", () => this.result(null, " * "));
  }

  protected onDatagram(d: LocalDatagram): void {
    if (d.header.protocol !== IP_PROTO_ICMP) return;
    const parsed = parseIcmp(d.header.payload);
    if (!parsed.ok) return;
    const m = parsed.value;
    if (m.kind !== "timeExceeded" && m.kind !== "destUnreachable") return;
    const q = m.original;
    if (q.length < 28 || q[9] !== IP_PROTO_UDP || readIpv4(q, 16) !== this.opts.target) return;
    const hlen = (q[0]! & 0x0f) * 4;
    if (q.length < hlen + 4) return;
    const dstPort = (q[hlen + 2]! << 8) | q[hlen + 3]!;
    if (dstPort !== this.outstandingPort) return;
    const ms = Math.floor((this.now() - this.sentAt) / 1e6);
    if (m.kind === "timeExceeded") return this.result(d.header.src, `${ms} msec`);
    if (m.code === UNREACH.PORT) {
      this.reached = true;
      return this.result(d.header.src, `${ms} msec`);
    }
    this.reached = true;
    const flag =
      m.code === UNREACH.NET
        ? "!N"
        : m.code === UNREACH.ADMIN_PROHIBITED
          ? "!A"
          : m.code === UNREACH.PROTOCOL
            ? "!P"
            : "!H";
    return this.result(d.header.src, flag);
  }

  /** Cut short by the escape sequence: the hop line so far, as IOS leaves it. */
  protected override onInterrupt(): void {
    this.write(`${this.line}\n`);
  }

  /** Records one probe: `text` is "N msec", "!H"... or " * " for a timeout. */
  private result(from: number | null, text: string): void {
    this.disarm();
    if (from === null) {
      this.line += text;
    } else if (from !== this.lastAddress) {
      if (this.lastAddress !== null) this.line += "\n    ";
      this.line += `${formatIpv4Address(from)} ${text}`;
      this.lastAddress = from;
    } else {
      this.line += ` ${text}`;
    }
    this.probe++;
    if (this.probe < this.opts.probes) return this.sendProbe();
    this.write(`${this.line}\n`);
    if (this.reached || this.ttl >= this.opts.maxTtl) return this.complete();
    this.ttl++;
    this.startHop();
  }
}
