// On-Demand Routing on the hub (`router odr`): each stub neighbour's CDP
// advertisement lists its connected prefixes in the IP Prefix item; the hub
// installs them as `o` routes (distance 160, metric 1) through the address
// the stub advertised on that link, and keeps them while updates come: a
// prefix not refreshed within the invalid time (`timers basic`), or whose
// CDP neighbour went away, is withdrawn. The hub itself puts its own address
// on each link into its CDP as the stubs' default gateway (odr-stub.ts is the
// stub side).

import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import type { CdpEvent, CdpNeighbor, CdpProcess } from "../cdp/cdp-process.ts";
import type { ProtocolDefinition, ProtocolHost, RouterProtocol } from "../protocol.ts";

const SEC = 1_000_000_000;

/** `router odr`'s settings. */
export interface OdrConfig {
  timers: { update: number; invalid: number; holddown: number; flush: number };
  distance: number;
}

/** IOS's ODR timers: updates every 90 s, invalid after 270, hold down 0, flushed after 360. */
export const ODR_DEFAULT_TIMERS = { update: 90, invalid: 270, holddown: 0, flush: 360 } as const;
export const ODR_DISTANCE = 160;
export const ODR_METRIC = 1;
export const ODR_INSTANCE = "odr";

/** What ODR reports (a stub's routes learned or lost). */
export type OdrEvent =
  | { kind: "learned"; gateway: number; prefixes: number }
  | { kind: "lost"; gateway: number; reason: "invalid" | "neighborGone" };

interface Source {
  gateway: number;
  ifc: string;
  prefixes: Array<{ prefix: number; length: number }>;
  lastUpdate: TimeNs;
  invalid: TimerHandle;
}

/** The hub's ODR process. */
export class OdrProcess implements RouterProtocol {
  private readonly sources = new Map<string, Source>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly host: ProtocolHost<OdrEvent>,
    readonly config: OdrConfig,
  ) {}

  /** Listens to a CDP process (when `cdp run` starts, or at once if it runs). */
  attach(cdp: CdpProcess | undefined): void {
    this.unsubscribe?.();
    this.unsubscribe = cdp === undefined ? null : cdp.onNeighbor((e) => this.cdpEvent(e));
    if (cdp !== undefined) for (const n of cdp.neighborList()) this.learn(n);
  }

  /** The gateways heard from, for `show ip protocols`. */
  informationSources(): Array<{ gateway: number; lastUpdate: TimeNs }> {
    return [...this.sources.values()]
      .map((s) => ({ gateway: s.gateway, lastUpdate: s.lastUpdate }))
      .sort((a, b) => a.gateway - b.gateway);
  }

  stop(): void {
    this.unsubscribe?.();
    for (const key of [...this.sources.keys()]) this.withdraw(key, null);
    this.host.rib.commit();
  }

  private cdpEvent(e: CdpEvent): void {
    if (e.kind === "neighborUpdated") this.learn(e.neighbor);
    else {
      this.withdraw(keyOf(e.neighbor), "neighborGone");
      this.host.rib.commit();
    }
  }

  private learn(n: CdpNeighbor): void {
    const key = keyOf(n);
    const gateway = n.addresses[0];
    if (n.prefixes === undefined || gateway === undefined) {
      if (this.sources.has(key)) this.withdraw(key, "neighborGone");
      this.host.rib.commit();
      return;
    }
    const old = this.sources.get(key);
    old?.invalid.cancel();
    const rib = this.host.rib;
    const now = this.host.now();
    const fresh = new Set(n.prefixes.map((p) => `${p.prefix}/${p.length}`));
    for (const p of old?.prefixes ?? [])
      if (!fresh.has(`${p.prefix}/${p.length}`)) rib.setCandidates("odr", p.prefix, p.length, [], key);
    for (const p of n.prefixes)
      rib.setCandidates(
        "odr",
        p.prefix,
        p.length,
        [{ nextHop: gateway, interface: n.localIfc.name, metric: ODR_METRIC, distance: this.config.distance }],
        key,
      );
    const invalid = this.host.after(this.config.timers.invalid * SEC, "odr invalid", () => {
      this.withdraw(key, "invalid");
      this.host.rib.commit();
    });
    this.sources.set(key, { gateway, ifc: n.localIfc.name, prefixes: n.prefixes, lastUpdate: now, invalid });
    rib.commit();
    if (old === undefined) this.host.emit({ kind: "learned", gateway, prefixes: n.prefixes.length });
  }

  private withdraw(key: string, reason: "invalid" | "neighborGone" | null): void {
    const s = this.sources.get(key);
    if (s === undefined) return;
    s.invalid.cancel();
    for (const p of s.prefixes) this.host.rib.setCandidates("odr", p.prefix, p.length, [], key);
    this.sources.delete(key);
    if (reason !== null) this.host.emit({ kind: "lost", gateway: s.gateway, reason });
  }
}

function keyOf(n: CdpNeighbor): string {
  return `${n.localIfc.name}|${n.deviceId}`;
}

/** ODR as a protocol definition. */
export function odrProtocol(config: OdrConfig): ProtocolDefinition<OdrProcess, OdrEvent> {
  return { name: ODR_INSTANCE, create: (host) => new OdrProcess(host, config) };
}
