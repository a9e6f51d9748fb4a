// The supervisor: builds each device's actor from its configuration, calls
// into it under supervision, and applies the restart policy. A device that
// throws is restarted (its ports go dark first, so neighbours see it go), a
// device that keeps crashing (more than five crashes in a minute of virtual
// time) is left down; after a crash or a `reload` a device boots from the
// startup configuration in its NVRAM, as IOS does. What outlives an instance
// (NVRAM, the seeded random source, sequence counters, the ports'
// transmitters) is carried to the next one.

import type { BootReason, DeviceActor, DeviceContext, DeviceFactory, DeviceNvram, TimeNs, TimerId } from "./device.ts";
import type { LifecycleFact } from "./lifecycle.ts";
import { PortModel } from "./port-model.ts";
import { hashSeed, SeededRandom } from "./random.ts";
import type { DeviceSpec, LabSpec } from "./topology.ts";

/** Crashes within this window of virtual time before the supervisor gives up on a device. */
const CRASH_WINDOW_NS = 60_000_000_000;
const MAX_CRASHES_IN_WINDOW = 5;

/** One device under supervision: its current actor and what the runtime keeps for it. */
export interface DeviceSlot {
  spec: DeviceSpec;
  actor: DeviceActor;
  generation: number;
  seq: number;
  timerCounter: number;
  cancelled: Set<TimerId>;
  random: SeededRandom;
  ports: PortModel[];
  pendingCommands: Set<number>;
  crashTimes: TimeNs[];
  failed: boolean;
  /** NVRAM: carried from one instance of the device to the next. */
  nvram: DeviceNvram;
  boot: BootReason;
  /** `reload` asked for a restart once the current event is handled. */
  reloadRequested: boolean;
  ctx: DeviceContext;
}

/** What the supervisor needs from the partition that runs the devices. */
export interface SupervisorHost {
  now(): TimeNs;
  /** The context a new instance of the device sees. */
  contextFor(slot: DeviceSlot): DeviceContext;
  setPortEnabled(slot: DeviceSlot, port: number, enabled: boolean): void;
  /** Carrier a port has now (to tell a starting actor). */
  carrierOf(port: PortModel): boolean;
  pushReply(slot: DeviceSlot, commandId: number, text: string, done: boolean): void;
  /** A lifecycle fact for the lab to render (the runtime writes no device text itself). */
  pushFact(slot: DeviceSlot, fact: LifecycleFact): void;
}

/** The devices of one partition and their restart policy. */
export class Supervisor {
  /** Devices by id. */
  readonly slots = new Map<number, DeviceSlot>();

  constructor(
    private readonly lab: LabSpec,
    private readonly factories: Record<string, DeviceFactory>,
    private readonly host: SupervisorHost,
  ) {}

  /** Builds a device's first instance (not started yet). */
  add(spec: DeviceSpec): void {
    this.slots.set(spec.id, this.build(spec, spec.config, 0));
  }

  /** Starts an actor and tells it which ports have carrier (segments always do; links once the far end is enabled). */
  start(slot: DeviceSlot): void {
    this.invoke(slot, () => {
      slot.actor.start(slot.ctx);
      for (const port of slot.ports) if (this.host.carrierOf(port)) slot.actor.carrier(port.info.index, true);
    });
  }

  /** Calls into an actor under supervision. */
  invoke(slot: DeviceSlot, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.crash(slot, err);
      return;
    }
    if (slot.reloadRequested) this.reload(slot);
  }

  /** `reload`: the device restarts from its NVRAM; neighbours see its ports go dark. */
  reload(slot: DeviceSlot): void {
    slot.reloadRequested = false;
    for (const id of slot.pendingCommands) this.host.pushReply(slot, id, "", true);
    slot.pendingCommands.clear();
    const privateConfig = readPrivateConfig(slot.actor);
    this.portsDark(slot);
    const fresh = this.build(slot.spec, slot.nvram.startupConfig ?? "", slot.generation + 1, slot, privateConfig, {
      kind: "reload",
    });
    this.slots.set(slot.spec.id, fresh);
    this.start(fresh);
  }

  /** An actor threw: restart it (the new instance learns why from ctx.boot), or leave it down after too many crashes. */
  crash(slot: DeviceSlot, err: unknown): void {
    const host = this.host;
    const now = host.now();
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    slot.crashTimes = slot.crashTimes.filter((t) => now - t < CRASH_WINDOW_NS);
    slot.crashTimes.push(now);
    for (const commandId of slot.pendingCommands) host.pushFact(slot, { kind: "commandCrashed", commandId, error });
    slot.pendingCommands.clear();
    const privateConfig = readPrivateConfig(slot.actor);
    // The old instance's ports go dark, so neighbours see the reload.
    this.portsDark(slot);
    if (slot.crashTimes.length > MAX_CRASHES_IN_WINDOW) {
      slot.failed = true;
      slot.generation++;
      host.pushFact(slot, {
        kind: "leftDown",
        crashes: slot.crashTimes.length,
        windowSeconds: CRASH_WINDOW_NS / 1e9,
        error,
      });
      return;
    }
    // As IOS after a crash: the startup configuration (what was not saved is lost), empty after `write erase`.
    const config = slot.nvram.startupConfig ?? "";
    const fresh = this.build(slot.spec, config, slot.generation + 1, slot, privateConfig, { kind: "crash", error });
    this.slots.set(slot.spec.id, fresh);
    this.start(fresh);
  }

  private portsDark(slot: DeviceSlot): void {
    for (const port of slot.ports) if (port.enabled) this.host.setPortEnabled(slot, port.info.index, false);
  }

  private build(
    spec: DeviceSpec,
    config: string,
    generation: number,
    previous?: DeviceSlot,
    privateConfig?: string,
    boot: BootReason = { kind: "powerOn" },
  ): DeviceSlot {
    const factory = this.factories[spec.kind];
    if (factory === undefined) throw new Error(`device ${spec.name}: unknown kind '${spec.kind}'`);
    const seed = this.lab.seed;
    const ports =
      previous?.ports ?? spec.ports.map((p) => new PortModel(p, this.lab.wires[p.wireId]!, seed, spec.name));
    const slot: DeviceSlot = {
      spec,
      actor: factory(spec.name, config, privateConfig),
      generation,
      seq: previous?.seq ?? 0,
      timerCounter: previous?.timerCounter ?? 0,
      cancelled: new Set(),
      random: previous?.random ?? new SeededRandom(hashSeed(seed, `device:${spec.name}`)),
      ports,
      pendingCommands: new Set(),
      crashTimes: previous?.crashTimes ?? [],
      failed: false,
      nvram: previous?.nvram ?? { startupConfig: spec.config },
      boot,
      reloadRequested: false,
      ctx: undefined as unknown as DeviceContext,
    };
    slot.ctx = this.host.contextFor(slot);
    return slot;
  }
}

/** The private NVRAM of an instance that is going away (none if it cannot be read). */
function readPrivateConfig(actor: DeviceActor): string | undefined {
  try {
    return actor.privateConfig?.();
  } catch {
    // Nothing readable in the private NVRAM: the device restarts without it.
    return undefined;
  }
}
