// What ping, Windows ping and traceroute share: an exec job on the virtual
// clock that sends probes, listens to datagrams delivered to the device, keeps
// at most one timeout armed, and ends once (by finishing or being aborted).

import type { TimeNs } from "../../runtime/device.ts";
import type { DeviceTimers, TimerHandle } from "../../runtime/device-timers.ts";
import { IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import type { IpStack, LocalDatagram } from "./ip-stack.ts";

/** Base of a probing exec job; subclasses send probes and read replies. */
export abstract class ProbeJob<O> {
  private timer: TimerHandle | null = null;
  private unsubscribe: (() => void) | null = null;
  /** True once the job finished or was aborted: late replies are ignored. */
  protected finished = false;

  constructor(
    protected readonly stack: IpStack,
    private readonly timers: DeviceTimers,
    protected readonly now: () => TimeNs,
    protected readonly opts: O,
    protected readonly write: (text: string) => void,
    private readonly done: () => void,
  ) {}

  /** Prints the header and sends the first probe. */
  abstract start(): void;

  /** A datagram was delivered to this device while the job runs. */
  protected abstract onDatagram(d: LocalDatagram): void;

  /** Starts listening to the ICMP delivered to this device: replies and errors (call from start()). */
  protected listen(): void {
    this.unsubscribe = this.stack.bind({ ipProtocol: IP_PROTO_ICMP }, (d) => {
      if (!this.finished) this.onDatagram(d);
    });
  }

  /** Arms the single outstanding timer (replacing any other). */
  protected arm(delayNs: TimeNs, name: string, fn: () => void): void {
    this.timer?.cancel();
    this.timer = this.timers.after(delayNs, name, () => {
      this.timer = null;
      fn();
    });
  }

  /** Cancels the outstanding timer, if any. */
  protected disarm(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** True while a timer is armed (a probe is waiting). */
  protected get waiting(): boolean {
    return this.timer !== null;
  }

  /**
   * The console's escape sequence (Ctrl-^ x, or Ctrl-C): stops sending and
   * ends the command as IOS does, with what the job prints when cut short
   * (onInterrupt: a summary of the probes done so far; nothing by default).
   */
  interrupt(): void {
    if (this.finished) return;
    this.disarm();
    this.onInterrupt();
    this.complete();
  }

  /** Prints what an interrupted job prints (before the command ends); `finished` is still false here. */
  protected onInterrupt(): void {}

  /** Stops early without ending the command (device reload). */
  abort(): void {
    this.disarm();
    this.unsubscribe?.();
    this.finished = true;
  }

  /** Ends the job once and tells the console the command is over. */
  protected complete(): void {
    if (this.finished) return;
    this.disarm();
    this.finished = true;
    this.unsubscribe?.();
    this.done();
  }
}
