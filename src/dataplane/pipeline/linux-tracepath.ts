// Linux tracepath (iputils) on a Linux-style host: path MTU discovery hop by
// hop. UDP probes as large as the path MTU known so far (the egress MTU or the
// host's cache), DF set, TTL 1, 2 ... `-m` (30), up to three tries per TTL
// waiting 1 s each. A time-exceeded names the hop; a frag-needed prints `pmtu
// N` on its hop line, lowers the size (and teaches the cache) and probes the
// same TTL again; the destination's port unreachable prints `reached`. Output
// as tracepath prints it: ` 1?: [LOCALHOST]  pmtu 1500`, ` 1:  ADDRESS` padded
// to 52 columns, the time `  0.512ms `, `asymm N` when the reply came back over
// a different number of hops (from its TTL), `no reply` after three silent
// tries, and `     Resume: pmtu N hops H back B `.

import type { TimeNs } from "../../runtime/device.ts";
import type { DeviceTimers } from "../../runtime/device-timers.ts";
import { parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../wire/ipv4-address.ts";
import { emitUdp } from "../../wire/udp.ts";
import type { IpStack, LocalDatagram } from "./ip-stack.ts";
import { learnPathMtu, pathMtu } from "./linux-pmtu.ts";
import { ProbeJob } from "./probe-job.ts";

/** tracepath options (defaults: -m 30, base port 44444). */
export interface LinuxTracepathOptions {
  target: number;
  maxHops: number;
  port: number;
  sourcePort: number;
}

const HOST_COLUMN = 52;
const TRIES = 3;

/** Hops a reply travelled back, from its TTL as tracepath guesses the sender's initial TTL (64, 128 or 255). */
export function hopsBack(ttl: number): number {
  if (ttl <= 64) return 65 - ttl;
  if (ttl <= 128) return 129 - ttl;
  return 256 - ttl;
}

/** One running tracepath. */
export class LinuxTracepathJob extends ProbeJob<LinuxTracepathOptions> {
  private ttl = 1;
  private tries = 0;
  private counter = 0;
  private mtu = 1500;
  private sentAt: TimeNs = 0;
  private outstandingPort = 0;
  private hopsTo = -1;
  private hopsFrom = -1;

  constructor(
    stack: IpStack,
    timers: DeviceTimers,
    now: () => TimeNs,
    opts: LinuxTracepathOptions,
    write: (text: string) => void,
    done: () => void,
  ) {
    super(stack, timers, now, opts, write, done);
  }

  start(): void {
    const mtu = pathMtu(this.stack, this.opts.target, this.now());
    if (mtu === undefined) {
      this.write("tracepath: connect: Network is unreachable\n");
      return this.complete();
    }
    this.mtu = mtu;
    this.write(`${" 1?: [LOCALHOST]".padEnd(37)} pmtu ${mtu}\n`);
    this.listen();
    this.sendProbe();
  }

  private sendProbe(): void {
    this.outstandingPort = this.opts.port + this.counter++;
    const payload = emitUdp(
      {
        srcPort: this.opts.sourcePort,
        dstPort: this.outstandingPort,
        payload: new Uint8Array(Math.max(0, this.mtu - 28)),
      },
      { src: 0, dst: this.opts.target },
    );
    payload[6] = 0; // the stack picks the source: no UDP checksum (allowed over IPv4)
    payload[7] = 0;
    this.sentAt = this.now();
    const r = this.stack.send({
      dst: this.opts.target,
      protocol: IP_PROTO_UDP,
      payload,
      ttl: this.ttl,
      dontFragment: true,
    });
    if (!r.ok && r.failure === "fragmentationNeeded" && r.mtu !== undefined && r.mtu < this.mtu) {
      // The local MTU shrank since the start (ip link set ... mtu): as the kernel would say, the LOCALHOST line again.
      this.mtu = r.mtu;
      this.write(`${`${String(this.ttl).padStart(2)}?: [LOCALHOST]`.padEnd(37)} pmtu ${r.mtu}\n`);
      return this.sendProbe();
    }
    this.arm(1e9, "tracepath-timeout", () => this.silent());
  }

  private silent(): void {
    this.tries++;
    if (this.tries < TRIES) return this.sendProbe();
    this.write(`${String(this.ttl).padStart(2)}:  no reply\n`);
    this.nextTtl();
  }

  private nextTtl(): void {
    if (this.ttl >= this.opts.maxHops) {
      this.write(`     Too many hops: pmtu ${this.mtu}\n`);
      return this.resume();
    }
    this.ttl++;
    this.tries = 0;
    this.sendProbe();
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
    this.disarm();
    const us = Math.floor((this.now() - this.sentAt) / 1e3);
    const back = hopsBack(d.header.ttl);
    let line = `${String(this.ttl).padStart(2)}:  ${formatIpv4Address(d.header.src).padEnd(HOST_COLUMN)}`;
    line += `${String(Math.floor(us / 1000)).padStart(3)}.${String(us % 1000).padStart(3, "0")}ms `;
    if (back !== this.ttl) line += `asymm ${String(back).padStart(2)} `;
    if (m.kind === "timeExceeded") {
      this.write(`${line}\n`);
      return this.nextTtl();
    }
    if (m.code === UNREACH.FRAG_NEEDED && m.nextHopMtu > 0 && m.nextHopMtu < this.mtu) {
      this.write(`${line}pmtu ${m.nextHopMtu}\n`);
      this.mtu = m.nextHopMtu;
      learnPathMtu(this.stack, this.opts.target, m.nextHopMtu, this.now());
      this.tries = 0;
      return this.sendProbe();
    }
    if (m.code === UNREACH.PORT) {
      this.write(`${line}reached\n`);
      this.hopsTo = this.ttl;
      this.hopsFrom = back;
      return this.resume();
    }
    const flag = m.code === UNREACH.NET ? "!N" : m.code === UNREACH.ADMIN_PROHIBITED ? "!A" : "!H";
    this.write(`${line}${flag}\n`);
    this.resume();
  }

  /** Ctrl-C ends tracepath without the Resume line. */
  protected override onInterrupt(): void {
    this.write("^C\n");
  }

  private resume(): void {
    let text = `     Resume: pmtu ${this.mtu} `;
    if (this.hopsTo >= 0) text += `hops ${this.hopsTo} `;
    if (this.hopsFrom >= 0) text += `back ${this.hopsFrom} `;
    this.write(`${text}\n`);
    this.complete();
  }
}
