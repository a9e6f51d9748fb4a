// The stub side of On-Demand Routing: a router running no routing protocol
// that hears an ODR hub's CDP (the IP Prefix item holding one address, the
// hub's default gateway) installs a default route `o*` 0.0.0.0/0 [160/1]
// through that address on that interface, for as long as the hub's CDP entry
// lives; it is withdrawn when the entry expires, is cleared or its interface
// goes down, or when the router starts a routing protocol (no longer a stub).

import type { Rib } from "../../dataplane/rib.ts";
import type { CdpEvent, CdpNeighbor } from "../cdp/cdp-process.ts";
import { ODR_DISTANCE, ODR_METRIC } from "./odr-process.ts";

/** Keeps a stub's ODR default routes in step with its CDP neighbours. */
export class OdrStub {
  private readonly owners = new Set<string>();

  constructor(
    private readonly rib: Rib,
    /** True while the router runs no routing protocol. */
    private readonly isStub: () => boolean,
  ) {}

  /** A CDP neighbour change. */
  cdpEvent(e: CdpEvent): void {
    const n = e.neighbor;
    const owner = `${n.localIfc.name}|${n.deviceId}`;
    if (e.kind === "neighborUpdated" && n.defaultGateway !== undefined && this.isStub()) this.install(owner, n);
    else if (this.owners.delete(owner)) {
      this.rib.setCandidates("odr", 0, 0, [], owner);
      this.rib.commit();
    }
  }

  /** Withdraws every default route (CDP stopped, or the router stopped being a stub). */
  clear(): void {
    for (const owner of this.owners) this.rib.setCandidates("odr", 0, 0, [], owner);
    this.owners.clear();
    this.rib.commit();
  }

  private install(owner: string, n: CdpNeighbor): void {
    this.owners.add(owner);
    this.rib.setCandidates(
      "odr",
      0,
      0,
      [{ nextHop: n.defaultGateway!, interface: n.localIfc.name, metric: ODR_METRIC, distance: ODR_DISTANCE }],
      owner,
    );
    this.rib.commit();
  }
}
