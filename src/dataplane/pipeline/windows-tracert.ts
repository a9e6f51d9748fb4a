// Windows tracert on a host device: ICMP echo requests (64 zero bytes of
// data) with TTL 1, 2, ... up to `-h` (30), three per hop, each waiting up to
// `-w` ms (4000); a time-exceeded names the hop, the echo reply of the target
// ends the trace. Output as tracert prints it: the hop number, three columns
// of `<1 ms` / `N ms` / `*`, the address or `Request timed out.`, a
// `reports: Destination ... unreachable.` line for an unreachable, and
// `Trace complete.`. `-d` (no name lookups) changes nothing: a lab has no DNS.

import type { TimeNs } from "../../runtime/device.ts";
import type { DeviceTimers } from "../../runtime/device-timers.ts";
import { emitIcmp, parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { IpStack, LocalDatagram } from "./ip-stack.ts";
import { ProbeJob } from "./probe-job.ts";
import { quotesEcho } from "./quoted-echo.ts";

/** tracert options (defaults: -h 30, -w 4000). */
export interface WindowsTracertOptions {
  target: number;
  maxHops: number;
  timeoutMs: number;
  /** ICMP identifier of the probes. */
  id: number;
}

const PROBES = 3;
const DATA_BYTES = 64;

/** One probe's column: `    <1 ms`, `  12 ms`, `     *   `, nine characters each. */
export function tracertColumn(ms: number | null): string {
  if (ms === null) return "     *   ";
  if (ms < 1) return "    <1 ms";
  return `  ${String(ms).padStart(4)} ms`;
}

/** Words Windows uses for an unreachable code. */
function unreachableText(code: number): string {
  if (code === UNREACH.NET) return "Destination net unreachable.";
  if (code === UNREACH.PROTOCOL) return "Destination protocol unreachable.";
  if (code === UNREACH.PORT) return "Destination port unreachable.";
  if (code === UNREACH.ADMIN_PROHIBITED) return "Communication administratively prohibited.";
  return "Destination host unreachable.";
}

/** One running tracert. */
export class WindowsTracertJob extends ProbeJob<WindowsTracertOptions> {
  private ttl = 1;
  private probe = 0;
  private seq = 0;
  private line = "";
  private hop: number | null = null;
  private reached = false;
  private sentAt: TimeNs = 0;

  constructor(
    stack: IpStack,
    timers: DeviceTimers,
    now: () => TimeNs,
    opts: WindowsTracertOptions,
    write: (text: string) => void,
    done: () => void,
  ) {
    super(stack, timers, now, opts, write, done);
  }

  start(): void {
    this.write(
      `\nTracing route to ${formatIpv4Address(this.opts.target)} over a maximum of ${this.opts.maxHops} hops\n\n`,
    );
    this.listen();
    this.startHop();
  }

  private startHop(): void {
    this.line = String(this.ttl).padStart(3);
    this.hop = null;
    this.probe = 0;
    this.sendProbe();
  }

  private sendProbe(): void {
    this.seq = (this.seq + 1) & 0xffff;
    this.sentAt = this.now();
    const result = this.stack.send({
      dst: this.opts.target,
      protocol: IP_PROTO_ICMP,
      payload: emitIcmp({ kind: "echoRequest", id: this.opts.id, seq: this.seq, data: new Uint8Array(DATA_BYTES) }),
      ttl: this.ttl,
    });
    if (!result.ok && result.failure === "noRoute") {
      this.write("Unable to contact IP driver. General failure.\n");
      return this.complete();
    }
    this.arm(this.opts.timeoutMs * 1e6, "tracert-timeout", () => this.result(null, null));
  }

  protected onDatagram(d: LocalDatagram): void {
    if (d.header.protocol !== IP_PROTO_ICMP || !this.waiting) return;
    const parsed = parseIcmp(d.header.payload);
    if (!parsed.ok) return;
    const m = parsed.value;
    const ms = Math.floor((this.now() - this.sentAt) / 1e6);
    if (m.kind === "echoReply") {
      if (m.id !== this.opts.id || m.seq !== this.seq || d.header.src !== this.opts.target) return;
      this.reached = true;
      return this.result(d.header.src, ms);
    }
    if (m.kind !== "timeExceeded" && m.kind !== "destUnreachable") return;
    if (!quotesEcho(m.original, this.opts.target, this.opts.id, this.seq)) return;
    if (m.kind === "timeExceeded") return this.result(d.header.src, ms);
    // An unreachable ends the trace: Windows names the router that reported it instead of the columns.
    this.disarm();
    this.write(
      `${String(this.ttl).padStart(3)}  ${formatIpv4Address(d.header.src)}  reports: ${unreachableText(m.code)}\n`,
    );
    this.write("\nTrace complete.\n");
    this.complete();
  }

  /** Ctrl-C: the hop line so far and `^C`. */
  protected override onInterrupt(): void {
    this.write(`${this.line}^C\n`);
  }

  private result(from: number | null, ms: number | null): void {
    this.disarm();
    this.line += tracertColumn(ms);
    if (from !== null) this.hop = from;
    this.probe++;
    if (this.probe < PROBES) return this.sendProbe();
    this.write(`${this.line}  ${this.hop === null ? "Request timed out." : formatIpv4Address(this.hop)}\n`);
    if (this.reached || this.ttl >= this.opts.maxHops) {
      this.write("\nTrace complete.\n");
      return this.complete();
    }
    this.ttl++;
    this.startHop();
  }
}
