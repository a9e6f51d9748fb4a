// The interactive console on a running lab, one input line at a time: lines
// go to the attached device as console commands (their output streams as it
// arrives), syslog lines print as they occur, and the prompt follows the
// device's mode (or a dialog's question). `exit` at a device's exec prompt
// detaches to the lab prompt (`wanlab>`), where the lab's own commands run:
// attach, devices, wait, link, save, quit; leaving asks first when a device's
// configuration changed since it was last saved. `?` help, Tab completion and
// Ctrl-C go to the device as requests over the same command channel
// (config/cli/console-requests.ts): the console never reads device state;
// on a terminal it asks the device's `terminal length` before a command and
// pages what the command prints at once. Debug output reaches it as syslog
// after `terminal monitor` (config/console-line.ts).
// Everything that touches the lab (commands, time advances) runs one at a
// time through a queue, so a wall-clock tick never overlaps a command.

import { type DeviceStatus, encodeConsoleRequest } from "../config/cli/console-requests.ts";
import { formatHelpColumns } from "../config/cli/help.ts";
import { stampedSyslog } from "../config/router/log-timestamps.ts";
import type { TimeNs } from "../runtime/device.ts";
import type { CommandOutput, SyslogLine } from "../runtime/lab.ts";
import type { LabSpec } from "../runtime/topology.ts";
import type { WallPacer } from "./wall-pacer.ts";

/** Where the console writes. */
export interface ConsoleIO {
  /** Command output, syslog lines and console messages. */
  write(text: string): void;
  /**
   * The console waits for a line at this prompt (default: write it and `text`): `again` redisplays the line
   * being typed after syslog output; `text` is a line typed before `?`, shown again after the help.
   */
  prompt?(prompt: string, again?: boolean, text?: string): void;
  /**
   * A terminal's pager: shows `text` stopping at ` --More-- ` after `length - 1` lines (space: the next page,
   * Enter: the next line, q or any other key: stop). Resolves false when the user stopped it. Without a pager
   * (pipes, tests) output is written as it comes.
   */
  page?(text: string, length: number): Promise<boolean>;
}

/** What a console needs of a lab: a Lab, or the dashboard's shared view of one (web/serial-lab.ts). */
export interface ConsoleLab {
  readonly spec: LabSpec;
  readonly now: TimeNs;
  readonly syslog: readonly SyslogLine[];
  command(device: string, line: string, onOutput?: (text: string) => void): Promise<CommandOutput>;
  run(durationNs: TimeNs): Promise<void>;
  runTo(atNs: TimeNs): Promise<void>;
  setWire(wire: string, up: boolean): Promise<void>;
  interject(device: string, line: string): void;
  close(): void;
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
  /** Index of the first lab syslog line to print (a console opened on a running lab skips the older ones). */
  syslogFrom?: number;
}

/** The prompt of the lab itself, when no device is attached. */
export const LAB_PROMPT = "wanlab>";

/** The lab's commands, as `?` at the lab prompt lists them. */
const LAB_COMMANDS = [
  { token: "attach", help: "Attach the console to a device (attach R1)" },
  { token: "devices", help: "List the lab's devices" },
  { token: "link", help: "Bring a link down or up (link R1-R2 down)" },
  { token: "quit", help: "Leave the lab (asks first when a configuration is not saved)" },
  { token: "save", help: "write memory on every device" },
  { token: "wait", help: "Let virtual time pass (500ms, 30s, 2m)" },
];

/** The console built-ins, for the banner. */
export const BUILTINS_HELP = [
  "attach <device>       switch the console to another device (from any prompt)",
  "devices               list the lab's devices",
  "wait <duration>       let virtual time pass (500ms, 30s, 2m)",
  "link <name> down|up   fail or restore a link (at the wanlab> prompt)",
  "save                  write memory on every device (at the wanlab> prompt)",
  "quit                  leave the lab; exit at a device's exec prompt goes to the wanlab> prompt",
  "?  help   Tab  complete   Ctrl-C  abort / leave config mode   Ctrl-Z  end   Ctrl-R  search history",
];

/** Virtual time a `link` change gets to reach both ends before the lab prompt comes back. */
const COMMAND_SETTLE_NS = 10_000_000;

const UNITS: Record<string, number> = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Parses `500ms`, `30s`, `2m`, `1h` (a bare number is seconds); undefined if it is not one. */
export function parseDuration(text: string): TimeNs | undefined {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i);
  if (m === null) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? "s").toLowerCase()]!);
}

/** Lines of output text (a last line without its newline counts). */
export function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") || text === "" ? n : n + 1;
}

/**
 * Formats a lab syslog line as a router console prints it: `R1: *Mar  1 00:00:01.000: %LINK-3-UPDOWN: ...`,
 * stamped as the device's `service timestamps` says (`stamp`: null for none, omitted for the default).
 */
export function formatSyslog(atNs: TimeNs, text: string, stamp?: string | null): string {
  return stampedSyslog(stamp === undefined ? { atNs, text } : { atNs, text, stamp });
}

/** One console on a lab. */
export class ConsoleSession {
  /** The attached device, or null at the lab prompt. */
  private attached: string | null;
  /** A question the console itself asks (leaving with unsaved changes); the next line answers it. */
  private question: { readonly prompt: string; readonly answer: (line: string) => Promise<void> } | null = null;
  /** The device a command runs on now (Ctrl-C goes there). */
  private running: string | null = null;
  /** The prompt each device showed after its last command. */
  private readonly prompts = new Map<string, string>();
  private syslogShown = 0;
  /** True while the prompt is on screen and no line has been taken since. */
  private atPrompt = false;
  /** True while a command's output stopped mid-line (ping's !!!): syslog then starts on a new line. */
  private midLine = false;
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private isClosed = false;
  private resolveDone!: () => void;
  /** Resolves once the session is closed (quit, end of input, Ctrl-C). */
  readonly done: Promise<void>;

  constructor(
    readonly lab: ConsoleLab,
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
    this.syslogShown = opts.syslogFrom ?? 0;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Name of the attached device (null at the lab prompt). */
  get device(): string | null {
    return this.attached;
  }

  /** The prompt now: the console's question, the attached device's prompt, or the lab's. */
  get prompt(): string {
    if (this.question !== null) return this.question.prompt;
    return this.attached === null ? LAB_PROMPT : this.promptOf(this.attached);
  }

  /** True while a line typed now answers a question (a device dialog or the console's own): not for history. */
  get answering(): boolean {
    return this.question !== null || (this.attached !== null && !/[>#]$/.test(this.prompt));
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
      text += `${formatSyslog(s.atNs, s.text, s.stamp)}\n`;
    }
    if (this.atPrompt) {
      // Like `logging synchronous`: the lines go below the prompt, then the prompt comes back.
      this.io.write(`\n${text}`);
      this.showPrompt(true);
    } else {
      this.io.write(this.midLine ? `\n${text}` : text);
      this.midLine = false;
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
    if (this.question !== null) {
      const q = this.question;
      this.question = null;
      await q.answer(line);
      return;
    }
    const trimmed = line.trim();
    const device = this.attached;
    if (trimmed === "") {
      // An empty line answers a device's dialog (its default); at a prompt it just shows the prompt again.
      if (device !== null && this.answering) await this.runOnDevice(line);
      return;
    }
    const [word, ...rest] = trimmed.split(/\s+/);
    const verb = word!.toLowerCase();
    if (device !== null && this.answering) {
      await this.runOnDevice(line);
      return;
    }
    const inExec = device === null || /[>#]$/.test(this.prompt) ? !this.prompt.includes("(") : false;
    switch (verb) {
      case "quit":
        if (rest.length === 0) return this.leave();
        break;
      case "exit":
      case "logout":
        if (inExec && rest.length === 0) {
          if (device === null) return this.leave();
          this.attached = null;
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
    if (device === null) return this.labCommand(verb, rest);
    await this.runOnDevice(line);
  }

  /** The lab prompt's own commands (attach, devices, wait and quit are shared with device prompts). */
  private async labCommand(verb: string, args: string[]): Promise<void> {
    if ("save".startsWith(verb) && verb.length >= 2 && args.length === 0) return this.saveAll();
    if ("link".startsWith(verb) && verb.length >= 2) {
      const state = args[1]?.toLowerCase();
      if (args.length !== 2 || (state !== "down" && state !== "up")) {
        this.io.write(`% link needs a name and down or up: ${this.wireNames()}\n`);
        return;
      }
      const wire = this.lab.spec.wires.find((w) => w.name.toLowerCase() === args[0]!.toLowerCase());
      if (wire === undefined) {
        this.io.write(`% Unknown link '${args[0]}'. Links: ${this.wireNames()}\n`);
        return;
      }
      await this.lab.setWire(wire.name, state === "up");
      await this.lab.run(COMMAND_SETTLE_NS);
      this.opts.pacer?.catchUp(this.lab.now);
      this.flushSyslog();
      return;
    }
    this.io.write(
      `% Unknown lab command '${verb}'. At ${LAB_PROMPT}: ${LAB_COMMANDS.map((c) => c.token).join(", ")}; attach a device for IOS commands\n`,
    );
  }

  private wireNames(): string {
    return this.lab.spec.wires.map((w) => w.name).join(", ");
  }

  /** `save`: write memory on every device that keeps a startup configuration, one line each. */
  private async saveAll(): Promise<void> {
    for (const d of this.lab.spec.devices) {
      if ((await this.status(d.name))?.saves === false) {
        this.io.write(`${d.name}: nothing to save (no startup configuration)\n`);
        continue;
      }
      const out = await this.lab.command(d.name, "write memory");
      const ok = out.output.includes("[OK]");
      this.io.write(`${d.name}: ${ok ? "[OK]" : out.output.trim().split("\n").pop()}\n`);
    }
    this.opts.pacer?.catchUp(this.lab.now);
    this.flushSyslog();
  }

  /** Devices whose running configuration changed since they last saved it (asked of each device). */
  async unsavedDevices(): Promise<string[]> {
    const out: string[] = [];
    for (const d of this.lab.spec.devices) {
      const status = await this.status(d.name);
      if (status?.modified === true) out.push(d.name);
    }
    return out;
  }

  private async status(device: string): Promise<DeviceStatus | undefined> {
    try {
      const r = await this.lab.command(device, encodeConsoleRequest({ kind: "status" }));
      return JSON.parse(r.output) as DeviceStatus;
    } catch {
      return undefined;
    }
  }

  /** `quit`: leaves at once when every configuration is saved, else asks first. */
  private async leave(): Promise<void> {
    const unsaved = await this.unsavedDevices();
    if (unsaved.length === 0) {
      this.close();
      return;
    }
    this.io.write(`Configuration modified since the last save on ${unsaved.join(", ")}.\n`);
    this.question = {
      prompt: "Leave the lab without saving? [yes/no]: ",
      answer: async (reply) => {
        const a = reply.trim().toLowerCase();
        if (a !== "" && "yes".startsWith(a)) this.close();
        else if (a !== "" && "no".startsWith(a)) return;
        else this.io.write("% Please answer 'yes' or 'no'.\n");
      },
    };
  }

  /**
   * `?` typed after `line`: the device's help (or the lab's commands at the
   * lab prompt), then the prompt again with the line as typed.
   */
  help(line: string): Promise<void> {
    return this.serial(async () => {
      if (this.isClosed) return;
      this.atPrompt = false;
      const device = this.attached;
      if (this.question !== null) {
        // No help inside a question; IOS shows the question again.
      } else if (device === null) {
        const word = line.trim().toLowerCase();
        if (/\s$/.test(line) || word === "") this.io.write(`${formatHelpColumns(LAB_COMMANDS)}\n`);
        else {
          const hits = LAB_COMMANDS.filter((c) => c.token.startsWith(word)).map((c) => c.token);
          this.io.write(hits.length > 0 ? `${hits.join("  ")}  \n\n` : "% Unrecognized command\n");
        }
      } else {
        const out = await this.request(device, encodeConsoleRequest({ kind: "help", line }));
        if (out !== "") this.io.write(out.endsWith("\n\n") || out.startsWith("%") ? out : `${out}\n`);
      }
      this.showPrompt(false, line);
    });
  }

  /** Tab: the line completed by the device (unchanged when nothing is unique). */
  complete(line: string): Promise<string> {
    return this.serial(async () => {
      const device = this.attached;
      if (this.isClosed || this.question !== null) return line;
      if (device === null) {
        const m = /^(\s*)(\S+)$/.exec(line);
        const hits = m === null ? [] : LAB_COMMANDS.filter((c) => c.token.startsWith(m[2]!.toLowerCase()));
        return hits.length === 1 && m !== null ? `${m[1]}${hits[0]!.token} ` : line;
      }
      return this.request(device, encodeConsoleRequest({ kind: "complete", line }));
    });
  }

  /**
   * Ctrl-C (or Ctrl-^ x): while a command runs, the device stops it (it prints
   * what it has); at a prompt, a dialog or configuration mode is left as IOS
   * leaves it. The typed line is dropped.
   */
  interrupt(): Promise<void> {
    const running = this.running;
    if (running !== null) {
      this.lab.interject(running, encodeConsoleRequest({ kind: "break" }));
      return Promise.resolve();
    }
    return this.serial(async () => {
      if (this.isClosed) return;
      this.atPrompt = false;
      if (this.question !== null) this.question = null;
      else if (this.attached !== null) {
        const device = this.attached;
        const out = await this.lab.command(device, encodeConsoleRequest({ kind: "break" }));
        this.prompts.set(device, out.prompt);
        this.opts.pacer?.catchUp(this.lab.now);
        this.flushSyslog();
      }
      this.showPrompt();
    });
  }

  /** Ctrl-Z: in configuration mode, runs what was typed and goes back to exec, as `end` does. */
  ctrlZ(line: string): Promise<boolean> {
    const inConfig = this.attached !== null && !this.answering && this.prompt.includes("(");
    if (!inConfig) {
      return this.serial(async () => {
        this.atPrompt = false;
        this.showPrompt();
        return !this.isClosed;
      });
    }
    return this.handleLine(`${line}\u001a`);
  }

  private async request(device: string, line: string): Promise<string> {
    try {
      const out = await this.lab.command(device, line);
      this.opts.pacer?.catchUp(this.lab.now);
      return out.output;
    } catch (e) {
      return `% ${(e as Error).message}\n`;
    }
  }

  private async runOnDevice(line: string): Promise<void> {
    const device = this.attached;
    if (device === null) return;
    this.flushSyslog();
    // On a terminal, output goes through the pager at the device's `terminal length` (0: no paging).
    const pager = this.io.page?.bind(this.io);
    const length = pager === undefined ? 0 : ((await this.status(device))?.length ?? 0);
    let shown: Promise<boolean> = Promise.resolve(true);
    this.running = device;
    try {
      const out = await this.lab.command(device, line, (text) => {
        if (this.isClosed) return;
        if (pager === undefined || length === 0) {
          this.flushSyslog();
          this.io.write(text);
          this.midLine = !text.endsWith("\n");
          return;
        }
        // IOS pages what a command prints at once (show, more); output that streams while a command runs
        // (ping's !, traceroute's hops) comes in small pieces and never fills a screen by itself. After q the
        // rest of the command's output is dropped.
        shown = shown.then((more) => {
          if (!more || this.isClosed) return false;
          this.flushSyslog();
          this.midLine = !text.endsWith("\n");
          if (lineCount(text) < length) {
            this.io.write(text);
            return true;
          }
          return pager(text, length);
        });
      });
      await shown;
      if (this.isClosed) return;
      this.prompts.set(device, out.prompt);
    } catch (e) {
      if (this.isClosed) return;
      this.io.write(`% ${(e as Error).message}\n`);
    } finally {
      this.running = null;
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

  /** Shows the prompt: after a command, again after syslog output (`again`), or with a line to redisplay (`?`). */
  private showPrompt(again = false, line = ""): void {
    if (this.isClosed) return;
    this.atPrompt = true;
    this.midLine = false;
    if (this.io.prompt !== undefined) this.io.prompt(this.prompt, again, line);
    else this.io.write(this.prompt + line);
  }

  /** Runs `fn` after everything queued before it; nothing touching the lab ever overlaps. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const run = this.tail.then(fn).finally(() => this.queued--);
    this.tail = run.catch(() => {});
    return run;
  }
}
