// The running lab behind the dashboard: the lab on the wall clock, its
// topology as the page draws it, the interfaces' state and counters polled
// from the devices (the `interfaces` console request over the command
// channel, all devices at the same virtual time), link faults, per-link captures, and the
// subscribers of the update stream. Everything that touches the lab goes
// through one SerialLab, so API calls, browser consoles and the ticker queue
// behind each other instead of overlapping.

import { deviceFactories } from "../../actors/index.ts";
import { encodeConsoleRequest, type InterfaceReport } from "../config/cli/console-requests.ts";
import { type ConsoleIO, ConsoleSession, formatSyslog } from "../console/console-session.ts";
import { WallPacer } from "../console/wall-pacer.ts";
import type { TimeNs } from "../runtime/device.ts";
import { Lab, type LabOptions, type WireImpairment } from "../runtime/lab.ts";
import type { LabSpec, WireSpec } from "../runtime/topology.ts";
import { loadScenario } from "../scenario/load.ts";
import { LinkCaptures } from "./link-captures.ts";
import { SerialLab } from "./serial-lab.ts";

/** How often the lab catches up with the wall clock. */
const TICK_MS = 20;
/** How often the interfaces are polled when nothing asks sooner. */
const POLL_MS = 1000;
/** Never more updates than one per this (whatever the lab's size or how often links change). */
const MIN_UPDATE_MS = 250;
/**
 * Updates are at least this many poll times apart, so polling takes at most 1/20 (5 %) of the wall clock:
 * a large lab whose poll takes 150 ms gets an update every 3 s instead of every second.
 */
const POLL_COST_FACTOR = 20;
/** Virtual time a link change gets to reach both ends before the next poll. */
const LINK_SETTLE_NS = 10_000_000;
/** Syslog lines one update carries at most (the newest). */
const SYSLOG_PER_UPDATE = 200;

/** One end of a link: a device's interface. */
export interface LinkEnd {
  readonly device: string;
  readonly interface: string;
}

/** A link as the page draws it: a point-to-point wire, or a segment (a switch) with one end per port. */
export interface LinkInfo {
  readonly name: string;
  readonly kind: "ethernet" | "serial";
  readonly segment: boolean;
  readonly ends: readonly LinkEnd[];
  readonly latencyMs: number;
  readonly bandwidthKbps: number;
}

/** The lab's topology. */
export interface LabTopology {
  readonly name: string;
  readonly seed: number;
  readonly devices: readonly { readonly name: string; readonly kind: string; readonly interfaces: readonly string[] }[];
  readonly links: readonly LinkInfo[];
}

/** A link's state now: its administrative state, each end's line protocol (null: not known yet), its capture. */
export interface LinkState {
  readonly adminUp: boolean;
  readonly ends: readonly (boolean | null)[];
  readonly capture: { readonly running: boolean; readonly packets: number } | null;
}

/** One update of the stream. */
export interface LabUpdate {
  /** Virtual time of the poll. */
  readonly timeNs: TimeNs;
  readonly interfaces: Readonly<Record<string, readonly InterfaceReport[]>>;
  readonly links: Readonly<Record<string, LinkState>>;
  /** Syslog lines since the previous update, as the console prints them. */
  readonly syslog: readonly string[];
}

/** How to start a dashboard lab. */
export interface DashboardLabOptions {
  seed?: number;
  workers?: number;
  /** Virtual time the lab boots at full speed before following the wall clock (default 2 s). */
  bootNs?: TimeNs;
  /** Follow the wall clock (default true; tests drive time themselves). */
  wallClock?: boolean;
  /** The wall clock to follow (default: a new one; the terminal console with --web shares its own). */
  pacer?: WallPacer;
  /** More options for the lab (the console's host bridge: `tap`, `pace`). */
  lab?: Partial<Omit<LabOptions, "workers" | "factories" | "capture">>;
}

/** The dashboard's lab. */
export class DashboardLab {
  readonly captures: LinkCaptures;
  private readonly adminUp = new Map<string, boolean>();
  private latest: LabUpdate;
  private readonly subscribers = new Set<(u: LabUpdate) => void>();
  private syslogSent = 0;
  private timers: ReturnType<typeof setInterval>[] = [];
  private polling: Promise<LabUpdate> | null = null;
  private pollAgain = false;
  private lastUpdateAt = 0;
  /** Wall time the last poll ran (its wait behind a console's command not counted). */
  private lastPollMs = 0;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;

  private constructor(
    readonly lab: SerialLab,
    captures: LinkCaptures,
    readonly topology: LabTopology,
  ) {
    this.captures = captures;
    for (const w of lab.spec.wires) this.adminUp.set(w.name, true);
    this.latest = { timeNs: 0, interfaces: {}, links: this.linkStates({}), syslog: [] };
  }

  /** Loads a scenario, boots its lab and (by default) keeps it on the wall clock, polling its interfaces. */
  static async start(scenario: string, opts: DashboardLabOptions = {}): Promise<DashboardLab> {
    const loaded = loadScenario(scenario, opts.seed ?? 1);
    return DashboardLab.fromSpec(loaded.name, loaded.lab, opts);
  }

  /** The same for a lab built elsewhere (a generated fleet in a benchmark). */
  static async fromSpec(name: string, spec: LabSpec, opts: DashboardLabOptions = {}): Promise<DashboardLab> {
    const captures = new LinkCaptures();
    const lab = await Lab.create(spec, {
      ...opts.lab,
      workers: opts.workers ?? 0,
      factories: deviceFactories,
      capture: captures,
    });
    const serial = new SerialLab(lab, opts.pacer ?? new WallPacer(() => performance.now() * 1e6));
    const d = new DashboardLab(serial, captures, topologyOf(name, spec.seed, lab));
    await serial.run(opts.bootNs ?? 2e9);
    await d.poll();
    if (opts.wallClock ?? true) {
      d.timers.push(setInterval(() => void serial.tick().catch(() => {}), TICK_MS));
      d.timers.push(setInterval(() => d.requestUpdate(), POLL_MS));
    }
    return d;
  }

  /** The last update (what a new stream client gets first). */
  get state(): LabUpdate {
    return this.latest;
  }

  device(name: string) {
    return this.topology.devices.find((d) => d.name.toLowerCase() === name.toLowerCase());
  }

  wire(name: string): WireSpec | undefined {
    return this.lab.spec.wires.find((w) => w.name.toLowerCase() === name.toLowerCase());
  }

  /** Runs one command line on a device (its output and the prompt after it). */
  async exec(device: string, line: string): Promise<{ output: string; prompt: string }> {
    const out = await this.lab.command(device, line);
    this.requestUpdate();
    return { output: out.output, prompt: out.prompt };
  }

  /** Brings a link down or up; the next update shows the ends' line protocol. */
  async setLink(wire: WireSpec, up: boolean): Promise<void> {
    await this.lab.setWire(wire.name, up);
    this.adminUp.set(wire.name, up);
    await this.lab.run(LINK_SETTLE_NS);
    this.requestUpdate();
  }

  /** Sets a link's loss and latency from now on; throws with the reason when the lab refuses them. */
  async impairLink(wire: WireSpec, impairment: WireImpairment): Promise<void> {
    await this.lab.impairWire(wire.name, impairment);
    this.requestUpdate();
  }

  /** A console session on the shared lab, writing to `io` (the browser's terminal). */
  console(io: ConsoleIO, device: string, syslogFrom = 0): ConsoleSession {
    return new ConsoleSession(this.lab.view(), io, { device, pacer: this.lab.pacer, syslogFrom });
  }

  /** Calls `fn` with every update until the returned function is called. */
  subscribe(fn: (u: LabUpdate) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Asks for an update soon: at once when the last one is old enough, else when it is (see updateGapMs). */
  requestUpdate(): void {
    if (this.pollTimer !== null || this.lab.isClosed) return;
    const wait = Math.max(0, this.lastUpdateAt + this.updateGapMs - performance.now());
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.poll().catch(() => {});
    }, wait);
  }

  /** Least wall time between two updates: MIN_UPDATE_MS, or POLL_COST_FACTOR times the last poll's wall time. */
  get updateGapMs(): number {
    return Math.max(MIN_UPDATE_MS, POLL_COST_FACTOR * this.lastPollMs);
  }

  /** Polls every device's interfaces now and sends the update to the subscribers. */
  poll(): Promise<LabUpdate> {
    if (this.polling !== null) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = this.pollOnce().finally(() => {
      this.polling = null;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.requestUpdate();
      }
    });
    return this.polling;
  }

  private async pollOnce(): Promise<LabUpdate> {
    const names = this.topology.devices.map((d) => d.name);
    // A console request, not a command: it stays out of `show history` and works in any mode.
    const request = encodeConsoleRequest({ kind: "interfaces" });
    const { outputs: outs, ms } = await this.lab.commands(names.map((device) => ({ device, line: request })));
    const interfaces: Record<string, InterfaceReport[]> = {};
    outs.forEach((o, i) => (interfaces[names[i]!] = parseReport(o.output)));
    const syslog = this.lab.syslog;
    const from = Math.max(this.syslogSent, syslog.length - SYSLOG_PER_UPDATE);
    const lines = syslog.slice(from).map((s) => formatSyslog(s.atNs, s.text, s.stamp));
    this.syslogSent = syslog.length;
    this.latest = { timeNs: this.lab.now, interfaces, links: this.linkStates(interfaces), syslog: lines };
    this.lastUpdateAt = performance.now();
    this.lastPollMs = ms;
    for (const fn of this.subscribers) fn(this.latest);
    return this.latest;
  }

  /** Each link's admin state, its ends' line protocol and its capture. */
  private linkStates(interfaces: Record<string, readonly InterfaceReport[]>): Record<string, LinkState> {
    const out: Record<string, LinkState> = {};
    for (const link of this.topology.links) {
      const wire = this.wire(link.name)!;
      out[link.name] = {
        adminUp: this.adminUp.get(link.name) ?? true,
        ends: link.ends.map((e) => interfaces[e.device]?.find((i) => i.name === e.interface)?.protocolUp ?? null),
        capture: this.captures.state(wire),
      };
    }
    return out;
  }

  /** Stops the ticker and the lab. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.subscribers.clear();
    this.lab.close();
  }
}

/** A device's answer to the `interfaces` request (none from a device that does not know it). */
function parseReport(text: string): InterfaceReport[] {
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? (list as InterfaceReport[]) : [];
  } catch {
    return [];
  }
}

/** The topology of a running lab, by name. */
function topologyOf(name: string, seed: number, lab: Lab): LabTopology {
  const spec = lab.spec;
  return {
    name,
    seed,
    devices: spec.devices.map((d) => ({ name: d.name, kind: d.kind, interfaces: d.ports.map((p) => p.name) })),
    links: spec.wires.map((w) => ({
      name: w.name,
      kind: w.kind,
      segment: w.segment,
      ends: w.ends.map((e) => {
        const d = spec.devices[e.deviceId]!;
        return { device: d.name, interface: d.ports[e.port]!.name };
      }),
      latencyMs: w.latencyNs / 1e6,
      bandwidthKbps: Math.round(w.bitsPerSecond / 1000),
    })),
  };
}
