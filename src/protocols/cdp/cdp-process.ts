// CDP on one router (`cdp run`): every `cdp timer` seconds (60) an
// advertisement goes out of each interface with CDP enabled whose line
// protocol is up, at once when such an interface comes up, carrying the
// holdtime (`cdp holdtime`, 180) the receivers keep it for. A received
// advertisement creates or refreshes the neighbour entry of (device ID, local
// interface), which expires when its holdtime runs out or its interface goes
// down. Bad advertisements are dropped and counted (`show cdp traffic`). The
// IP Prefix item carries On-Demand Routing: what goes into it is the ODR
// layer's business (services.ipPrefixItem), and every neighbour change is
// told to the listeners (the ODR hub and stub).

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { CDP_CAP, CDP_VERSION, emitCdp, parseCdp } from "../../wire/cdp.ts";
import type { InterfaceEvent, ProtocolDefinition, ProtocolHost, RouterProtocol } from "../protocol.ts";

const SEC = 1_000_000_000;

/** Global CDP settings (`cdp timer`, `cdp holdtime`). */
export interface CdpConfig {
  timerSec: number;
  holdtimeSec: number;
}

export const CDP_DEFAULT_TIMER_SEC = 60;
export const CDP_DEFAULT_HOLDTIME_SEC = 180;

/** The ODR content of the IP Prefix item sent out of an interface. */
export type CdpPrefixItem = { defaultGateway: number } | { prefixes: Array<{ prefix: number; length: number }> } | null;

/** What the CDP process needs from its router. */
export interface CdpServices {
  readonly config: CdpConfig;
  /** `cdp enable` on the interface (IOS's per-kind default otherwise). */
  enabledOn(ifc: RouterInterface): boolean;
  /** Sends a CDP payload framed for the interface's kind. */
  send(ifc: RouterInterface, payload: Uint8Array): boolean;
  /** Installs the receiver of CDP payloads (null removes it). */
  listen(receiver: ((ifc: RouterInterface, payload: Uint8Array) => void) | null): void;
  readonly platform: string;
  readonly softwareVersion: string;
  /** ODR's IP Prefix item for an advertisement out of `ifc`. */
  ipPrefixItem(ifc: RouterInterface): CdpPrefixItem;
}

/** One neighbour, as `show cdp neighbors detail` shows it. */
export interface CdpNeighbor {
  readonly deviceId: string;
  readonly localIfc: RouterInterface;
  portId: string;
  addresses: number[];
  capabilities: number;
  platform: string;
  softwareVersion: string;
  version: number;
  holdtimeSec: number;
  expiresAt: TimeNs;
  prefixes?: Array<{ prefix: number; length: number }>;
  defaultGateway?: number;
}

/** What CDP reports: a neighbour appeared or refreshed (`updated`), or went (expired, interface down, cleared). */
export type CdpEvent =
  | { kind: "neighborUpdated"; neighbor: CdpNeighbor; isNew: boolean }
  | { kind: "neighborRemoved"; neighbor: CdpNeighbor; reason: "expired" | "interfaceDown" | "cleared" };

/** `show cdp traffic`'s counters. */
export interface CdpCounters {
  output: number;
  input: number;
  headerSyntax: number;
  checksumErrors: number;
  encapsFailed: number;
  invalid: number;
  v1Output: number;
  v1Input: number;
  v2Output: number;
  v2Input: number;
}

/** The running CDP process of a router. */
export class CdpProcess implements RouterProtocol {
  readonly counters: CdpCounters = {
    output: 0,
    input: 0,
    headerSyntax: 0,
    checksumErrors: 0,
    encapsFailed: 0,
    invalid: 0,
    v1Output: 0,
    v1Input: 0,
    v2Output: 0,
    v2Input: 0,
  };
  private readonly neighbors = new Map<string, { entry: CdpNeighbor; timer: TimerHandle }>();
  private readonly listeners = new Set<(e: CdpEvent) => void>();
  private tick: TimerHandle | null = null;
  /** When the next periodic advertisement goes out. */
  nextAdvertAt: TimeNs = 0;

  constructor(
    private readonly host: ProtocolHost<CdpEvent>,
    private readonly services: CdpServices,
  ) {
    services.listen((ifc, payload) => this.receive(ifc, payload));
    // Let the configuration finish loading before the first advertisements.
    this.schedule(0);
  }

  /** Subscribes to neighbour changes; returns the unsubscribe. */
  onNeighbor(fn: (e: CdpEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The neighbours, in the order IOS lists them (by local interface, then device ID). */
  neighborList(): CdpNeighbor[] {
    const ifcs = this.host.interfaces();
    return [...this.neighbors.values()]
      .map((n) => n.entry)
      .sort((a, b) => ifcs.indexOf(a.localIfc) - ifcs.indexOf(b.localIfc) || (a.deviceId < b.deviceId ? -1 : 1));
  }

  /** Seconds until an entry expires, as `Holdtme` shows it. */
  remainingSec(n: CdpNeighbor): number {
    return Math.max(0, Math.ceil((n.expiresAt - this.host.now()) / SEC));
  }

  /** `cdp timer` changed: the next advertisement follows the new period. */
  reconfigure(): void {
    this.schedule(this.services.config.timerSec * SEC);
  }

  /** `clear cdp table`. */
  clearTable(): void {
    for (const [key, n] of [...this.neighbors]) this.remove(key, n.entry, "cleared");
  }

  /** `clear cdp counters`. */
  clearCounters(): void {
    for (const k of Object.keys(this.counters) as Array<keyof CdpCounters>) this.counters[k] = 0;
  }

  /** Sends an advertisement out of one interface now (also used when ODR's content changes). */
  advertise(ifc: RouterInterface): void {
    if (!this.services.enabledOn(ifc) || !ifc.lineProtocolUp || ifc.status !== "up") return;
    const item = this.services.ipPrefixItem(ifc);
    const payload = emitCdp({
      version: CDP_VERSION,
      ttl: this.services.config.holdtimeSec,
      deviceId: this.host.hostname,
      addresses: ifc.config.address === undefined ? [] : [ifc.config.address.address],
      portId: ifc.name,
      capabilities: CDP_CAP.router,
      softwareVersion: this.services.softwareVersion,
      platform: this.services.platform,
      ...(item === null ? {} : item),
    });
    if (this.services.send(ifc, payload)) {
      this.counters.output++;
      this.counters.v2Output++;
    } else this.counters.encapsFailed++;
  }

  interfaceEvent(event: InterfaceEvent): void {
    if (event.kind === "lineProtocolChanged") {
      if (event.up) this.advertise(event.ifc);
      else this.dropInterface(event.ifc);
    } else if (event.kind === "deleted") this.dropInterface(event.ifc);
  }

  stop(): void {
    this.services.listen(null);
    this.tick?.cancel();
    for (const [key, n] of [...this.neighbors]) this.remove(key, n.entry, "cleared");
  }

  private schedule(delayNs: TimeNs): void {
    this.tick?.cancel();
    this.nextAdvertAt = this.host.now() + delayNs;
    this.tick = this.host.after(delayNs, "cdp advertise", () => {
      for (const ifc of this.host.interfaces()) this.advertise(ifc);
      this.schedule(this.services.config.timerSec * SEC);
    });
  }

  private dropInterface(ifc: RouterInterface): void {
    for (const [key, n] of [...this.neighbors])
      if (n.entry.localIfc === ifc) this.remove(key, n.entry, "interfaceDown");
  }

  private remove(key: string, entry: CdpNeighbor, reason: "expired" | "interfaceDown" | "cleared"): void {
    const n = this.neighbors.get(key);
    if (n === undefined) return;
    n.timer.cancel();
    this.neighbors.delete(key);
    this.tell({ kind: "neighborRemoved", neighbor: entry, reason });
  }

  private tell(e: CdpEvent): void {
    for (const fn of [...this.listeners]) fn(e);
    this.host.emit(e);
  }

  private receive(ifc: RouterInterface, payload: Uint8Array): void {
    if (!this.services.enabledOn(ifc)) return;
    const parsed = parseCdp(payload);
    if (!parsed.ok) {
      const r = parsed.error.reason;
      if (r === "badChecksum") this.counters.checksumErrors++;
      else if (r === "truncated" || r === "badVersion") this.counters.headerSyntax++;
      else this.counters.invalid++;
      return;
    }
    const p = parsed.value;
    this.counters.input++;
    if (p.version === 1) this.counters.v1Input++;
    else this.counters.v2Input++;
    const key = `${ifc.name}\u0000${p.deviceId}`;
    const now = this.host.now();
    const old = this.neighbors.get(key);
    old?.timer.cancel();
    const entry: CdpNeighbor = {
      deviceId: p.deviceId,
      localIfc: ifc,
      portId: p.portId,
      addresses: p.addresses,
      capabilities: p.capabilities,
      platform: p.platform,
      softwareVersion: p.softwareVersion,
      version: p.version,
      holdtimeSec: p.ttl,
      expiresAt: now + p.ttl * SEC,
      ...(p.prefixes !== undefined ? { prefixes: p.prefixes } : {}),
      ...(p.defaultGateway !== undefined ? { defaultGateway: p.defaultGateway } : {}),
    };
    const timer = this.host.after(p.ttl * SEC, "cdp holdtime", () => this.remove(key, entry, "expired"));
    this.neighbors.set(key, { entry, timer });
    this.tell({ kind: "neighborUpdated", neighbor: entry, isNew: old === undefined });
  }
}

/** The instance name of CDP in the router's protocol set. */
export const CDP_INSTANCE = "cdp";

/** CDP as a protocol definition over the router's services. */
export function cdpProtocol(services: CdpServices): ProtocolDefinition<CdpProcess, CdpEvent> {
  return { name: CDP_INSTANCE, create: (host) => new CdpProcess(host, services) };
}
