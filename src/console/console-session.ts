// The interactive console on a running lab, one input line at a time: lines
// go to the attached device as console commands (their output streams as it
// arrives), a few built-ins are handled here (attach, devices, wait, quit),
// syslog lines print as they occur, and the prompt follows the device's mode.
// Everything that touches the lab (commands, time advances) runs one at a
// time through a queue, so a wall-clock tick never overlaps a command.

import { logTimestamp } from "../config/ios-clock.ts";
import type { TimeNs } from "../runtime/device.ts";
import type { Lab } from "../runtime/lab.ts";
import type { WallPacer } from "./wall-pacer.ts";

/** Where the console writes. */
export interface ConsoleIO {
  /** Command output, syslog lines and console messages. */
  write(text: string): void;
  /** The console waits for a line at this prompt (default: write it). */
  prompt?(prompt: string): void;
}

/** How to run a console session. */
export interface ConsoleSessionOptions {
  /** Device to attach to first (default: the first router, else the first device). */
  device?: string;
  /** Write each input line after its prompt, as a terminal would echo it (piped input, tests). */
  echo?: boolean;
  /** Follow the wall clock on tick(). */
  pacer?: WallPacer;
  /** Longest stretch of virtual time one tick advances, so typed commands are not held up. */
  maxTickNs?: TimeNs;
}

/** The console built-ins, for the banner and `help`. */
export const BUILTINS_HELP = [
  "attach <device>   switch the console to another device",
  "devices           list the lab's devices",
  "wait <duration>   let virtual time pass (500ms, 30s, 2m)",
  "quit              leave the console (also Ctrl-D, or exit at an exec prompt)",
];

const UNITS: Record<string, number> = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Parses `500ms`, `30s`, `2m`, `1h` (a bare number is seconds); undefined if it is not one. */
export function parseDuration(text: string): TimeNs | undefined {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i);
  if (m === null) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? "s").toLowerCase()]!);
}

/** Formats a lab syslog line as a router console prints it: `R1: *Mar  1 00:00:01.000: %LINK-3-UPDOWN: ...`. */
export function formatSyslog(atNs: TimeNs, text: string): string {
  const colon = text.indexOf(": ");
  if (colon < 0) return `${logTimestamp(atNs)}: ${text}`;
  return `${text.slice(0, colon)}: ${logTimestamp(atNs)}: ${text.slice(colon + 2)}`;
}

/** One console on a lab. */
export class ConsoleSession {
  private attached: string;
  /** The prompt each device showed after its last command. */
  private readonly prompts = new Map<string, string>();
  private syslogShown = 0;
  /** True while the prompt is on screen and no line has been taken since. */
  private atPrompt = false;
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private isClosed = false;
  private resolveDone!: () => void;
  /** Resolves once the session is closed (quit, end of input, Ctrl-C). */
  readonly done: Promise<void>;

  constructor(
    readonly lab: Lab,
    private readonly io: ConsoleIO,
    private readonly opts: ConsoleSessionOptions = {},
  ) {
    const devices = lab.spec.devices;
    if (devices.length === 0) throw new Error("the lab has no devices");
    const first =
      opts.device !== undefined
        ? this.findDevice(opts.device)
        : (devices.find((d) => d.kind === "router") ?? devices[0]);
    if (first === undefined) throw new Error(`no device named '${opts.device}'`);
    this.attached = first.name;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Name of the attached device. */
  get device(): string {
    return this.attached;
  }

  /** The attached device's current prompt. */
  get prompt(): string {
    return this.promptOf(this.attached);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** True while a line or a time advance is queued or running. */
  get busy(): boolean {
    return this.queued > 0;
  }

  /**
   * Lets the lab boot for `bootNs` of virtual time (at full speed, its syslog
   * printing like a router's boot messages), then shows the first prompt.
   */
  start(bootNs: TimeNs = 0): Promise<void> {
    return this.serial(async () => {
      if (bootNs > 0) await this.lab.runTo(this.lab.now + bootNs);
      this.opts.pacer?.catchUp(this.lab.now);
      this.flushSyslog();
      this.showPrompt();
    });
  }

  /**
   * Handles one input line (queued behind anything still running). Resolves
   * false once the session is closed, true otherwise.
   */
  handleLine(line: string): Promise<boolean> {
    return this.serial(async () => {
      if (this.isClosed) return false;
      await this.execute(line);
      if (this.isClosed) return false;
      this.showPrompt();
      return true;
    });
  }

  /**
   * One wall-clock tick: when nothing else is queued, advances the lab toward
   * the pacer's target (at most maxTickNs at a time) and prints new syslog.
   */
  tick(): Promise<void> {
    const pacer = this.opts.pacer;
    if (pacer === undefined || this.queued > 0 || this.isClosed) return Promise.resolve();
    return this.serial(async () => {
      const target = Math.min(pacer.target(), this.lab.now + (this.opts.maxTickNs ?? 100_000_000));
      await this.lab.runTo(target);
      this.flushSyslog();
    });
  }

  /** Advances the lab to an absolute virtual time (queued) and prints new syslog. */
  advanceTo(atNs: TimeNs): Promise<void> {
    return this.serial(async () => {
      if (this.isClosed) return;
      await this.lab.runTo(atNs);
      this.flushSyslog();
    });
  }

  /** Prints the syslog lines that arrived since the last call. */
  flushSyslog(): void {
    if (this.isClosed || this.syslogShown >= this.lab.syslog.length) return;
    let text = "";
    for (; this.syslogShown < this.lab.syslog.length; this.syslogShown++) {
      const s = this.lab.syslog[this.syslogShown]!;
      text += `${formatSyslog(s.atNs, s.text)}\n`;
    }
    if (this.atPrompt) {
      // Like `logging synchronous`: the lines go below the prompt, then the prompt comes back.
      this.io.write(`\n${text}`);
      this.showPrompt();
    } else {
      this.io.write(text);
    }
  }

  /** Closes the session after everything queued has run (end of input: the line under the prompt ends). */
  finish(): Promise<void> {
    return this.serial(async () => {
      if (this.atPrompt && !this.isClosed) this.io.write("\n");
      this.close();
    });
  }

  /** Closes the lab (once) and resolves `done`. */
  close(): void {
    if (this.isClosed) return;
    this.flushSyslog();
    this.isClosed = true;
    this.atPrompt = false;
    try {
      this.lab.close();
    } finally {
      this.resolveDone();
    }
  }

  private async execute(line: string): Promise<void> {
    this.atPrompt = false;
    if (this.opts.echo) this.io.write(`${line}\n`);
    const trimmed = line.trim();
    if (trimmed === "") return;
    const [word, ...rest] = trimmed.split(/\s+/);
    const verb = word!.toLowerCase();
    const inExec = !this.prompt.includes("(");
    switch (verb) {
      case "quit":
        this.close();
        return;
      case "exit":
      case "logout":
        if (inExec && rest.length === 0) {
          this.close();
          return;
        }
        break;
      case "attach":
        this.attach(rest);
        return;
      case "devices":
        if (rest.length === 0) {
          this.listDevices();
          return;
        }
        break;
      case "wait": {
        const d = parseDuration(rest.join(" "));
        if (d === undefined) this.io.write("% wait needs a duration like 500ms, 30s, 2m\n");
        else {
          await this.lab.run(d);
          this.opts.pacer?.catchUp(this.lab.now);
          this.flushSyslog();
        }
        return;
      }
    }
    await this.runOnDevice(line);
  }

  private async runOnDevice(line: string): Promise<void> {
    const device = this.attached;
    this.flushSyslog();
    try {
      const out = await this.lab.command(device, line, (text) => {
        if (this.isClosed) return;
        this.flushSyslog();
        this.io.write(text);
      });
      if (this.isClosed) return;
      this.prompts.set(device, out.prompt);
    } catch (e) {
      if (this.isClosed) return;
      this.io.write(`% ${(e as Error).message}\n`);
    }
    this.opts.pacer?.catchUp(this.lab.now);
    this.flushSyslog();
  }

  private attach(args: string[]): void {
    const names = this.lab.spec.devices.map((d) => d.name).join(", ");
    if (args.length !== 1) {
      this.io.write(`% attach needs a device name: ${names}\n`);
      return;
    }
    const device = this.findDevice(args[0]!);
    if (device === undefined) {
      this.io.write(`% Unknown device '${args[0]}'. Devices: ${names}\n`);
      return;
    }
    this.attached = device.name;
  }

  private listDevices(): void {
    const devices = this.lab.spec.devices;
    const nameWidth = Math.max(6, ...devices.map((d) => d.name.length));
    const kindWidth = Math.max(4, ...devices.map((d) => d.kind.length));
    let text = `${"Device".padEnd(nameWidth)}  ${"Kind".padEnd(kindWidth)}  Interfaces\n`;
    for (const d of devices) {
      const mark = d.name === this.attached ? "  (attached)" : "";
      text += `${d.name.padEnd(nameWidth)}  ${d.kind.padEnd(kindWidth)}  ${d.ports.map((p) => p.name).join(", ")}${mark}\n`;
    }
    this.io.write(text);
  }

  private findDevice(name: string) {
    return this.lab.spec.devices.find((d) => d.name.toLowerCase() === name.toLowerCase());
  }

  private promptOf(device: string): string {
    return this.prompts.get(device) ?? `${device}#`;
  }

  private showPrompt(): void {
    if (this.isClosed) return;
    this.atPrompt = true;
    if (this.io.prompt !== undefined) this.io.prompt(this.prompt);
    else this.io.write(this.prompt);
  }

  /** Runs `fn` after everything queued before it; nothing touching the lab ever overlaps. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const run = this.tail.then(fn).finally(() => this.queued--);
    this.tail = run.catch(() => {});
    return run;
  }
}
