// Keyed indexes over one router's IPsec flows, so that nothing per packet or
// per event scans every flow (a DMVPN hub holds one flow per spoke): flows
// by peer (DPD activity, a dead peer's SAs, renegotiation), SA pairs by SPI
// (fresh SPIs, DELETE notifies), how many flows of a map hold an SA (a VTI's
// line protocol), and the flows holding SAs per interface by remote host
// address (clear traffic that should have come protected, dynamic-map
// sealing). Insertion order is kept everywhere, so results are the same as a
// scan over all flows in creation order would give.

import type { IpsecFlow, IpsecSaPair } from "./ipsec-sa.ts";

/** A pair and the flow that owns it. */
export interface FlowPair {
  flow: IpsecFlow;
  pair: IpsecSaPair;
}

/** Flows holding SAs on one interface: those whose remote identity is one host, by that address, and the rest. */
interface InterfaceFlows {
  hosts: Map<number, Set<IpsecFlow>>;
  wide: Set<IpsecFlow>;
}

const HOST_MASK = 0xffffffff;

/** The indexes; the data plane tells it when flows and pairs come and go. */
export class FlowIndex {
  private readonly byPeer = new Map<number, Set<IpsecFlow>>();
  private readonly bySpi = new Map<number, FlowPair[]>();
  private readonly pairedByMap = new Map<string, number>();
  private readonly live = new Map<string, InterfaceFlows>();

  /** A flow was created. */
  addFlow(flow: IpsecFlow): void {
    let set = this.byPeer.get(flow.request.peer);
    if (set === undefined) this.byPeer.set(flow.request.peer, (set = new Set()));
    set.add(flow);
  }

  /** A flow was forgotten (it holds no pair by then). */
  removeFlow(flow: IpsecFlow): void {
    const set = this.byPeer.get(flow.request.peer);
    set?.delete(flow);
    if (set?.size === 0) this.byPeer.delete(flow.request.peer);
  }

  /** The flows towards a peer, in creation order. */
  flowsOfPeer(peer: number): Iterable<IpsecFlow> {
    return this.byPeer.get(peer) ?? [];
  }

  /** A pair was added to `flow.pairs` (call after adding it). */
  pairAdded(flow: IpsecFlow, pair: IpsecSaPair, spis: readonly number[]): void {
    for (const spi of new Set(spis)) {
      const list = this.bySpi.get(spi);
      if (list === undefined) this.bySpi.set(spi, [{ flow, pair }]);
      else list.push({ flow, pair });
    }
    if (flow.pairs.length !== 1) return;
    this.pairedByMap.set(flow.request.mapName, (this.pairedByMap.get(flow.request.mapName) ?? 0) + 1);
    const at = this.interfaceFlows(flow.request.interfaceName);
    const remote = flow.request.remoteProxy;
    if (remote.mask >>> 0 !== HOST_MASK) at.wide.add(flow);
    else {
      let set = at.hosts.get(remote.address);
      if (set === undefined) at.hosts.set(remote.address, (set = new Set()));
      set.add(flow);
    }
  }

  /** A pair was removed from `flow.pairs` (call after removing it). */
  pairRemoved(flow: IpsecFlow, pair: IpsecSaPair, spis: readonly number[]): void {
    for (const spi of new Set(spis)) {
      const list = this.bySpi.get(spi);
      if (list === undefined) continue;
      const kept = list.filter((e) => e.pair !== pair);
      if (kept.length === 0) this.bySpi.delete(spi);
      else this.bySpi.set(spi, kept);
    }
    if (flow.pairs.length !== 0) return;
    const mapCount = (this.pairedByMap.get(flow.request.mapName) ?? 0) - 1;
    if (mapCount <= 0) this.pairedByMap.delete(flow.request.mapName);
    else this.pairedByMap.set(flow.request.mapName, mapCount);
    const at = this.live.get(flow.request.interfaceName);
    if (at === undefined) return;
    const remote = flow.request.remoteProxy;
    if (remote.mask >>> 0 !== HOST_MASK) at.wide.delete(flow);
    else {
      const set = at.hosts.get(remote.address);
      set?.delete(flow);
      if (set?.size === 0) at.hosts.delete(remote.address);
    }
    if (at.wide.size === 0 && at.hosts.size === 0) this.live.delete(flow.request.interfaceName);
  }

  /** The pairs holding an SPI (either direction), oldest first. */
  pairsWithSpi(spi: number): readonly FlowPair[] {
    return this.bySpi.get(spi >>> 0) ?? [];
  }

  /** Whether some flow of the map holds an SA pair. */
  mapHasSa(mapName: string): boolean {
    return (this.pairedByMap.get(mapName) ?? 0) > 0;
  }

  /**
   * The flows holding SAs on an interface whose remote identity may contain
   * `remoteAddress`: those for exactly that host, then the wider ones.
   */
  *liveFlowsOn(interfaceName: string, remoteAddress: number): Generator<IpsecFlow> {
    const at = this.live.get(interfaceName);
    if (at === undefined) return;
    const hosts = at.hosts.get(remoteAddress >>> 0);
    if (hosts !== undefined) yield* hosts;
    yield* at.wide;
  }

  private interfaceFlows(name: string): InterfaceFlows {
    let at = this.live.get(name);
    if (at === undefined) this.live.set(name, (at = { hosts: new Map(), wide: new Set() }));
    return at;
  }
}
