// The NHRP process of a router: one NhrpInterface per tunnel interface that
// has `ip nhrp network-id`, created and dropped as the configuration and the
// interfaces change, and the NHRP routes (`H`, distance 250) the interfaces'
// shortcuts give, offered to the RIB.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { tunnelOf } from "../../dataplane/tunnel/gre-tunnels.ts";
import type { InterfaceEvent, ProtocolDefinition, ProtocolHost, RouterProtocol } from "../protocol.ts";
import type { NhrpEvent } from "./events.ts";
import type { NhrpInterfaceConfig } from "./nhrp-config.ts";
import { NhrpInterface } from "./nhrp-interface.ts";

/** The interface configurations the process reads (kept by src/config/nhrp). */
export type NhrpConfigLookup = (ifc: RouterInterface) => NhrpInterfaceConfig | undefined;

const OWNER = "nhrp";

/** NHRP on every configured tunnel interface of one router. */
export class NhrpProcess implements RouterProtocol {
  private readonly interfaces = new Map<RouterInterface, NhrpInterface>();
  private requestId: number;
  private offered = new Set<string>();

  constructor(
    private readonly host: ProtocolHost<NhrpEvent>,
    private readonly configOf: NhrpConfigLookup,
  ) {
    const r = host.randomBytes(2);
    // IOS numbers its requests from a small counter; start somewhere seeded.
    this.requestId = ((r[0]! << 8) | r[1]!) + 1;
    this.sync();
  }

  /** The NHRP interfaces, in the router's interface order. */
  all(): NhrpInterface[] {
    return this.host
      .interfaces()
      .map((i) => this.interfaces.get(i))
      .filter((n): n is NhrpInterface => n !== undefined);
  }

  /** NHRP on one interface, if it runs there. */
  on(ifc: RouterInterface): NhrpInterface | undefined {
    return this.interfaces.get(ifc);
  }

  /** Follows the configuration: NHRP starts on interfaces with a network-id, stops elsewhere. */
  sync(): void {
    const present = new Set(this.host.interfaces());
    for (const [ifc, n] of this.interfaces) {
      if (!present.has(ifc) || this.configOf(ifc)?.networkId === undefined || tunnelOf(ifc) !== n.tunnel) {
        n.stop();
        this.interfaces.delete(ifc);
        this.routesChanged();
      }
    }
    for (const ifc of present) {
      const config = this.configOf(ifc);
      const tunnel = tunnelOf(ifc);
      if (config?.networkId === undefined || tunnel === undefined) continue;
      const cur = this.interfaces.get(ifc);
      if (cur !== undefined) {
        cur.reconfigure();
        continue;
      }
      this.interfaces.set(
        ifc,
        new NhrpInterface(ifc, tunnel, config, {
          host: this.host,
          routesChanged: () => this.routesChanged(),
          nextRequestId: () => this.nextRequestId(),
        }),
      );
    }
  }

  private nextRequestId(): number {
    const id = this.requestId;
    this.requestId = (this.requestId + 1) >>> 0 || 1;
    return id;
  }

  interfaceEvent(event: InterfaceEvent): void {
    if (event.kind === "deleted" || event.kind === "created") {
      this.sync();
      return;
    }
    const n = this.interfaces.get(event.ifc);
    if (n !== undefined && (event.kind === "addressChanged" || (event.kind === "lineProtocolChanged" && event.up)))
      n.kick();
    if (n !== undefined && event.kind === "lineProtocolChanged" && !event.up) n.linkDown();
    // The tunnel source's address moved: every NHRP interface may have a new NBMA address.
    if (event.kind === "addressChanged" || event.kind === "lineProtocolChanged")
      for (const other of this.interfaces.values()) if (other !== n) other.kick();
  }

  /** Offers every interface's NHRP routes to the RIB again. */
  routesChanged(): void {
    const rib = this.host.rib;
    const now = new Set<string>();
    for (const n of this.interfaces.values()) {
      for (const r of n.routes()) {
        now.add(`${r.prefix}/${r.length}`);
        rib.setCandidates(
          "nhrp",
          r.prefix,
          r.length,
          [{ nextHop: r.nextHop, interface: n.ifc.name, metric: 1 }],
          OWNER,
        );
      }
    }
    for (const k of this.offered) {
      if (now.has(k)) continue;
      const [p, l] = k.split("/");
      rib.setCandidates("nhrp", Number(p), Number(l), [], OWNER);
    }
    this.offered = now;
    rib.commit();
  }

  stop(): void {
    for (const n of this.interfaces.values()) n.stop();
    this.interfaces.clear();
    this.host.rib.withdrawSource("nhrp", OWNER);
    this.host.rib.commit();
  }
}

/** The definition the router starts (`ip nhrp network-id` on its first interface). */
export function nhrpProtocol(configOf: NhrpConfigLookup): ProtocolDefinition<NhrpProcess, NhrpEvent> {
  return { name: "nhrp", create: (host) => new NhrpProcess(host, configOf) };
}
