// The contract between the runtime and a device actor. A device owns its state
// and sees the world only through this context: ports that carry real frame
// bytes, a virtual clock with timers, a seeded random source and a console.

/** Virtual time in integer nanoseconds since the lab started. */
import type { CryptoKeyRecord } from "../capture/crypto-keys.ts";

export type TimeNs = number;

/** What kind of wire a port is attached to; decides the framing on it. */
export type PortKind = "ethernet" | "serial";

/** One physical port of a device as the topology wires it. */
export interface PortInfo {
  /** Index used with send()/receive(). */
  index: number;
  /** Interface name as written in the topology and config (canonical, e.g. "GigabitEthernet0/0"). */
  name: string;
  kind: PortKind;
  /** Link speed in bits per second (sets serialization delay and the default `bandwidth`). */
  bitsPerSecond: number;
  /** Largest layer-3 payload the wire carries; bigger frames are dropped as giants. */
  wireMtu: number;
}

/**
 * What survives a device's restart (IOS's NVRAM). The runtime keeps it per
 * device across crashes and reloads; the device reads and writes it.
 */
export interface DeviceNvram {
  /** The startup configuration a restart boots from; null after `write erase` (boot with an empty configuration). */
  startupConfig: string | null;
}

/** Why a device actor is starting: the device kind renders it (IOS logs a restart after a crash or reload). */
export type BootReason = { kind: "powerOn" } | { kind: "reload" } | { kind: "crash"; error: string };

/** Handle for a scheduled timer. */
export type TimerId = number;

/** What the runtime gives a device actor. */
export interface DeviceContext {
  readonly name: string;
  /** Stable numeric id (index of the device name in sorted order); independent of worker placement. */
  readonly id: number;
  readonly ports: readonly PortInfo[];
  /** Current virtual time. */
  now(): TimeNs;
  /** Arms a timer that calls actor.timer(tag) after delayNs. */
  schedule(delayNs: TimeNs, tag: string): TimerId;
  cancel(id: TimerId): void;
  /** Queues bytes for transmission on a port; false if the port is down or its output queue is full (drop). */
  send(port: number, bytes: Uint8Array): boolean;
  /** Time at which the port's transmitter is free again (serialization of what is already queued). */
  txBusyUntil(port: number): TimeNs;
  /** Frames waiting in the port's output hold queue now (not counting the one being serialized). */
  outputQueueDepth(port: number): number;
  /** Sets the port's output hold queue limit in packets (IOS `hold-queue N out`; 40 until set). */
  setOutputQueueLimit(port: number, packets: number): void;
  /** The device's NVRAM, kept by the runtime across restarts. */
  readonly nvram: DeviceNvram;
  /** Why this instance of the device started. */
  readonly boot: BootReason;
  /**
   * Restarts the device from its NVRAM after the current event (`reload`):
   * ports go dark, a new instance boots from nvram.startupConfig.
   */
  reload(): void;
  /** Raises or drops carrier on a port (interface `shutdown` / `no shutdown`); the far end sees it after the link latency. */
  setPortEnabled(port: number, enabled: boolean): void;
  /** The interface's MTU (layer-2 payload) on a port, for a host TAP that follows it (src/host-bridge). */
  setPortMtu?(port: number, mtu: number): void;
  /** Seeded pseudo-random number in [0, 1) private to this device. */
  random(): number;
  /** Seeded pseudo-random 32-bit unsigned integer private to this device. */
  randomU32(): number;
  /** Output for a command started with actor.command(); `done` ends it and carries the prompt shown next. */
  reply(commandId: number, text: string, done: boolean, prompt?: string): void;
  /**
   * A syslog line that the lab console shows (the device also keeps its own
   * buffer), with the device's own timestamp text (`service timestamps`):
   * null for none, omitted for the lab's default stamp.
   */
  console(line: string, stamp?: string | null): void;
  /** Key material of a new SA, for Wireshark decryption of captures (the lab may ignore it). */
  exportKeys?(record: CryptoKeyRecord): void;
}

/** A device: router, host, server... Every entry point runs on the device's own event loop. */
export interface DeviceActor {
  /** Called once after construction, at the current virtual time. */
  start(ctx: DeviceContext): void;
  /** A frame arrived on a port. The bytes are owned by the device from now on. */
  receive(port: number, bytes: Uint8Array): void;
  /** A timer armed with ctx.schedule fired. */
  timer(tag: string): void;
  /** Carrier on a port changed (far end shut, link failed or restored). */
  carrier(port: number, up: boolean): void;
  /** A console line typed at the device (exec mode text). Output goes through ctx.reply(id, ...). */
  command(id: number, line: string): void;
  /** The running configuration as text (a restart boots from nvram.startupConfig instead, as IOS does). */
  runningConfig(): string;
  /**
   * What the device keeps outside its configuration and must still have
   * after a restart (IOS's private NVRAM: RSA key pairs). Opaque text,
   * handed back to the factory as `privateConfig`.
   */
  privateConfig?(): string;
}

/** How a device kind is built from its configuration text (and, after a restart, its private NVRAM). */
export type DeviceFactory = (name: string, configText: string, privateConfig?: string) => DeviceActor;
