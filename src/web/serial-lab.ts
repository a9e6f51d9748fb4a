// One lab shared by the dashboard's clients: API calls, browser consoles and
// the wall-clock ticker all touch the lab through one queue, so a command, a
// time advance or a link change never overlaps another (Lab runs one thing at
// a time). Each browser console gets a view of it whose close() leaves the
// lab running: closing a console tab must not stop the lab for the others.

import type { ConsoleLab } from "../console/console-session.ts";
import type { WallPacer } from "../console/wall-pacer.ts";
import type { TimeNs } from "../runtime/device.ts";
import type { CommandOutput, Lab, SyslogLine, WireImpairment } from "../runtime/lab.ts";
import type { LabSpec } from "../runtime/topology.ts";

/** Serialises every use of a lab. */
export class SerialLab implements ConsoleLab {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private closed = false;

  constructor(
    readonly lab: Lab,
    /** The wall clock the lab follows; every command that runs ahead moves it on. */
    readonly pacer: WallPacer,
  ) {}

  get spec(): LabSpec {
    return this.lab.spec;
  }
  get now(): TimeNs {
    return this.lab.now;
  }
  get syslog(): readonly SyslogLine[] {
    return this.lab.syslog;
  }
  /** True while something is queued or running. */
  get busy(): boolean {
    return this.queued > 0;
  }
  get isClosed(): boolean {
    return this.closed;
  }

  command(device: string, line: string, onOutput?: (text: string) => void): Promise<CommandOutput> {
    return this.serial(async () => {
      const out = await this.lab.command(device, line, onOutput);
      this.pacer.catchUp(this.lab.now);
      return out;
    });
  }

  /**
   * Runs one command on each device at the same virtual time (the dashboard's counter poll); `ms` is the wall
   * time it ran, not counting its wait in the queue.
   */
  commands(requests: readonly { device: string; line: string }[]): Promise<{ outputs: CommandOutput[]; ms: number }> {
    return this.serial(async () => {
      const started = performance.now();
      const outputs = await this.lab.commands(requests);
      this.pacer.catchUp(this.lab.now);
      return { outputs, ms: performance.now() - started };
    });
  }

  run(durationNs: TimeNs): Promise<void> {
    return this.serial(async () => {
      await this.lab.run(durationNs);
      this.pacer.catchUp(this.lab.now);
    });
  }

  runTo(atNs: TimeNs): Promise<void> {
    return this.serial(() => this.lab.runTo(atNs));
  }

  /** Follows the wall clock (at most `maxNs` of virtual time per call); skipped while anything else waits. */
  tick(maxNs: TimeNs = 100_000_000): Promise<void> {
    if (this.queued > 0 || this.closed) return Promise.resolve();
    return this.serial(() => this.lab.runTo(Math.min(this.pacer.target(), this.lab.now + maxNs)));
  }

  setWire(wire: string, up: boolean): Promise<void> {
    return this.serial(() => this.lab.setWire(wire, up));
  }

  /** Changes a wire's loss and latency (Lab.impairWire). */
  impairWire(wire: string, impairment: WireImpairment): Promise<void> {
    return this.serial(() => this.lab.impairWire(wire, impairment));
  }

  interject(device: string, line: string): void {
    this.lab.interject(device, line);
  }

  /** Stops the lab once everything queued has run. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.tail.then(() => this.lab.close());
  }

  /** A view for one console: the same lab, but closing the console leaves the lab running. */
  view(): ConsoleLab {
    const self = this;
    return {
      get spec() {
        return self.spec;
      },
      get now() {
        return self.now;
      },
      get syslog() {
        return self.syslog;
      },
      command: (d, l, o) => this.command(d, l, o),
      run: (n) => this.run(n),
      runTo: (n) => this.runTo(n),
      setWire: (w, u) => this.setWire(w, u),
      interject: (d, l) => this.interject(d, l),
      close: () => {},
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the lab is closed"));
    this.queued++;
    const run = this.tail.then(fn).finally(() => this.queued--);
    this.tail = run.catch(() => {});
    return run;
  }
}
