// The crypto-map data plane of one router (IOS order: after routing, on the
// egress interface that carries the map, entries top-down): a datagram that a
// map entry's ACL permits is sealed into ESP (or AH) on that flow's SA, or,
// with no SA yet, dropped while IKE is asked to negotiate one (the first ping
// shows '.'). Inbound ESP/AH is looked up by (destination, protocol, SPI),
// opened, counted and re-input; clear traffic that should have come encrypted
// is dropped with %CRYPTO-4-RECVD_PKT_NOT_IPSEC.

import { createAhInbound, createAhOutbound, createEspInbound, createEspOutbound } from "../../fastpath/esp/index.ts";
import { type EspBackendChoice, type EspEngineUsage, emptyEngineUsage } from "../../fastpath/esp/types.ts";
import type { CryptoConfig, CryptoMap, CryptoMapEntry } from "../../protocols/ipsec/crypto-config.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { internetChecksum } from "../../wire/checksum.ts";
import { icmpQuote, UNREACH } from "../../wire/icmp.ts";
import { emitIpv4, IP_PROTO_AH, IP_PROTO_ESP, IP_PROTO_GRE, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../wire/ipv4-address.ts";
import { GRE_PROTO_NHRP } from "../../wire/nhrp.ts";
import { encapEspUdp } from "../../wire/udp-encap.ts";
import { type AccessList, type AclEntry, entryMatches } from "../acl.ts";
import { aclFields, type IpCryptoHooks, type IpStack, type SendResult } from "../pipeline/ip-stack.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { FlowIndex } from "./flow-index.ts";
import { GroupSaDataplane } from "./group-sa-dataplane.ts";
import { type IpsecFlow, type IpsecSaPair, type NegotiatedSa, newFlowCounters, type SaRequest } from "./ipsec-sa.ts";
import { type ProxyId, proxiesFromAce, proxyKey, proxyMatchesPacket } from "./proxy-id.ts";
import { SaWaitQueue } from "./sa-wait-queue.ts";

/** What the crypto plane needs from its router. */
export interface CryptoPlaneHost {
  readonly stack: IpStack;
  readonly crypto: CryptoConfig;
  acl(name: string): AccessList | undefined;
  now(): TimeNs;
  /** Fills `out` from the device's seeded random source (IVs). */
  randomFill(out: Uint8Array): void;
  log(text: string): void;
  debugIpsec(line: () => string): void;
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  /** Asks IKE for an SA (idempotent while a negotiation for the same flow runs). */
  requestSa(request: SaRequest): void;
  /** The fast-path implementation for new SAs. */
  readonly espBackend: EspBackendChoice;
}

const SEC = 1_000_000_000;
/** IOS limits repeated crypto syslog lines; one per flow and reason per this period. */
const LOG_HOLDDOWN_NS = 60 * SEC;
/** Rekey when this fraction of a lifetime is left (IOS starts soft-lifetime rekeys at about 90 %). */
const SOFT_LIFETIME_FRACTION = 0.9;

/** One router's crypto maps at packet level. */
export class CryptoMapDataplane implements IpCryptoHooks {
  private readonly flows = new Map<string, IpsecFlow>();
  /** Flows by peer, pairs by SPI, live flows by interface and remote host: nothing scans every flow. */
  private readonly index = new FlowIndex();
  /** Inbound SAs by `dst/proto/spi`. */
  /** `bundleAh`: the key is the AH SPI of an AH+ESP bundle, whose ESP comes out of that AH. */
  private readonly inbound = new Map<string, { flow: IpsecFlow; pair: IpsecSaPair; bundleAh?: true }>();
  private nextConnId = 2001;
  /** Buffers of the datagrams SAs opened (each gets its own): lets a protected tunnel refuse clear GRE. */
  private readonly opened = new WeakSet<ArrayBufferLike>();
  /** Called after an SA pair is installed or removed (a VTI's line protocol follows its SA). */
  readonly saListeners: Array<() => void> = [];
  private readonly lastLog = new Map<string, TimeNs>();

  /** Packets each fast-path engine sealed and opened on this router, over every SA it ever had. */
  readonly engineUsage: { readonly sealed: EspEngineUsage; readonly opened: EspEngineUsage } = {
    sealed: emptyEngineUsage(),
    opened: emptyEngineUsage(),
  };

  /** GETVPN group SAs and downloaded ACLs (`crypto map NAME SEQ gdoi` entries). */
  readonly groups: GroupSaDataplane;
  /** IPsec over DMVPN: NHRP packets waiting for their peer's SA (crypto before NHRP). */
  readonly saWait: SaWaitQueue;

  constructor(private readonly host: CryptoPlaneHost) {
    this.saWait = new SaWaitQueue((delay, name, fn) => host.after(delay, name, fn));
    this.groups = new GroupSaDataplane({
      stack: host.stack,
      now: () => host.now(),
      randomFill: (out) => host.randomFill(out),
      logLimited: (key, text) => this.logLimited(key, text),
      espBackend: host.espBackend,
      usage: this.engineUsage,
    });
  }

  /** The fast-path implementation new SAs use (`show crypto engine brief`). */
  get backend(): string {
    return this.host.espBackend;
  }

  // ---- outbound ---------------------------------------------------------------

  output(
    egress: RouterInterface,
    nextHop: number,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
  ): SendResult | null {
    const map = this.host.crypto.cryptoMaps.get(egress.config.cryptoMap!);
    if (map === undefined) return null;
    return this.outputThrough(map, egress, dgram, ingress, undefined, nextHop);
  }

  /**
   * A tunnel's GRE datagram through the map IOS built for its `tunnel
   * protection` (`Tunnel0-head-0`): sealed on the flow's SA, or dropped while
   * IKE negotiates one; null when the map is gone or does not match.
   */
  protect(
    tunnel: RouterInterface,
    mapName: string,
    dgram: Uint8Array,
    ingress: RouterInterface | null = null,
    pathMtu?: number,
  ): SendResult | null {
    const map = this.host.crypto.cryptoMaps.get(mapName);
    if (map === undefined) return null;
    return this.outputThrough(map, tunnel, dgram, ingress, pathMtu);
  }

  /** True while the map's flow has an SA pair (a VTI is up only then). */
  hasSa(mapName: string): boolean {
    return this.index.mapHasSa(mapName);
  }

  /** Asks IKE for the SA of a tunnel's map before any traffic (IOS brings a VTI's SA up on its own). */
  requestTunnelSa(tunnel: RouterInterface, mapName: string): void {
    const map = this.host.crypto.cryptoMaps.get(mapName);
    const entry = map?.entries[0];
    const ace = entry?.matchAcl?.entries[0];
    if (map === undefined || entry === undefined || ace === undefined || entry.peers.length === 0) return;
    const request = this.requestFor(tunnel, map, entry, ace);
    if (request !== null && this.flowFor(request, false).pairs.length === 0) this.host.requestSa(request);
  }

  private outputThrough(
    map: CryptoMap,
    egress: RouterInterface,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
    pathMtu?: number,
    nextHop?: number,
  ): SendResult | null {
    const fields = aclFields(dgram);
    // IKE and IPsec themselves never go through the map (as on IOS).
    if (fields.protocol === IP_PROTO_ESP || fields.protocol === IP_PROTO_AH) return null;
    if (
      fields.protocol === IP_PROTO_UDP &&
      (fields.srcPort === 500 || fields.dstPort === 500 || fields.srcPort === 4500 || fields.dstPort === 4500)
    )
      return null;
    if (map.multipoint === true) return this.outputMultipoint(map, egress, dgram, ingress, fields, pathMtu);
    for (const entry of map.entries) {
      if (entry.gdoi === true) {
        // A GETVPN entry: the group's downloaded ACL decides (deny: clear; permit: the group SA).
        if (entry.gdoiGroup === undefined || nextHop === undefined) continue;
        const fc = map.gdoiFailClose;
        const taken = this.groups.output(entry.gdoiGroup, egress, nextHop, dgram, ingress, {
          localAcl: entry.matchAddress === undefined ? undefined : this.host.acl(entry.matchAddress),
          failClose:
            fc?.activated === true
              ? { acl: fc.matchAddress === undefined ? undefined : this.host.acl(fc.matchAddress) }
              : undefined,
        });
        if (taken !== undefined) return taken;
        continue;
      }
      if (entry.dynamicMap !== undefined) {
        const flow = this.dynamicFlowFor(egress.name, map.name, fields.src, fields.dst, fields.protocol);
        if (flow !== undefined) return this.seal(flow, egress, dgram, ingress);
        continue;
      }
      const acl = entry.matchAcl ?? (entry.matchAddress === undefined ? undefined : this.host.acl(entry.matchAddress));
      if (acl === undefined || entry.peers.length === 0) continue; // IOS leaves an incomplete entry disabled
      const ace = firstMatch(acl, fields);
      if (ace === null || ace.action === "deny") continue;
      const request = this.requestFor(egress, map, entry, ace);
      if (request === null) continue;
      ace.matches++;
      const flow = this.flowFor(request, false);
      if (flow.pairs.length === 0) {
        this.host.requestSa(request);
        return { ok: false, failure: "encapsulationFailed", egress };
      }
      return this.seal(flow, egress, dgram, ingress, pathMtu);
    }
    return null;
  }

  /**
   * An mGRE tunnel's GRE through its map (IPsec over DMVPN): the peer is the
   * packet's NBMA destination and its SA is found by that key (one flow per
   * peer, a few at most while rekeying). With no SA yet, IKE is asked for
   * one; NHRP waits for it (crypto before NHRP), data is dropped meanwhile.
   */
  private outputMultipoint(
    map: CryptoMap,
    egress: RouterInterface,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
    fields: ReturnType<typeof aclFields>,
    pathMtu?: number,
  ): SendResult | null {
    const entry = map.entries[0];
    const local = this.localAddress(map, egress);
    if (entry === undefined || fields.protocol !== IP_PROTO_GRE || local === null || fields.src !== local) return null;
    const peer = fields.dst;
    for (const flow of this.index.flowsOfPeer(peer))
      if (flow.request.mapName === map.name && flow.pairs.length > 0)
        return this.seal(flow, egress, dgram, ingress, pathMtu);
    const host = (address: number): ProxyId => ({ address, mask: 0xffffffff, protocol: IP_PROTO_GRE, port: 0 });
    this.host.requestSa({
      interfaceName: egress.name,
      mapName: map.name,
      sequence: entry.sequence,
      local,
      peer,
      localProxy: host(local),
      remoteProxy: host(peer),
    });
    if (isNhrpInGre(dgram)) {
      this.saWait.hold(map.name, peer, { egress, dgram });
      return { ok: true, egress };
    }
    return { ok: false, failure: "encapsulationFailed", egress };
  }

  /** The SA request a permit entry stands for on an interface, or null when it cannot be protected. */
  requestFor(egress: RouterInterface, map: CryptoMap, entry: CryptoMapEntry, ace: AclEntry): SaRequest | null {
    const proxies = proxiesFromAce(ace);
    if (proxies === null) return null;
    const local = this.localAddress(map, egress);
    if (local === null) return null;
    return {
      interfaceName: egress.name,
      mapName: map.name,
      sequence: entry.sequence,
      local,
      peer: entry.peers[0]!,
      localProxy: proxies.local,
      remoteProxy: proxies.remote,
    };
  }

  /** The crypto endpoint: `crypto map NAME local-address IF` or the egress interface's address. */
  localAddress(map: CryptoMap, egress: RouterInterface): number | null {
    if (map.localAddressInterface !== undefined) {
      const ifc = this.host.stack.interface(map.localAddressInterface);
      return ifc?.config.address?.address ?? null;
    }
    return egress.config.address?.address ?? null;
  }

  private seal(
    flow: IpsecFlow,
    egress: RouterInterface,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
    egressPathMtu?: number,
  ): SendResult {
    const pair = flow.pairs[0]!;
    const n = pair.negotiated;
    const c = flow.counters;
    let outer: Uint8Array;
    const tos = dgram[1]!;
    const df = (dgram[6]! & 0x40) !== 0;
    if (n.mode === "tunnel") {
      const overhead = this.overhead(pair, dgram.length);
      const pathMtu = egressPathMtu ?? egress.ipMtu;
      if (df && dgram.length + overhead > pathMtu) {
        // IOS answers with the plaintext MTU, so PMTUD on the inside settles below the tunnel's.
        c.sendErrors++;
        const plaintextMtu = this.plaintextMtu(pair, pathMtu);
        if (ingress !== null)
          this.host.stack.reportError(
            dgram,
            {
              kind: "destUnreachable",
              code: UNREACH.FRAG_NEEDED,
              nextHopMtu: plaintextMtu,
              original: icmpQuote(dgram),
            },
            ingress,
          );
        return { ok: false, failure: "fragmentationNeeded", egress, mtu: plaintextMtu };
      }
      const header = {
        dscp: tos >>> 2,
        ecn: tos & 3,
        identification: this.host.stack.nextId(),
        dontFragment: df,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 255,
        src: n.local,
        dst: n.peer,
        options: new Uint8Array(0),
      };
      if (pair.outbound.kind === "esp") {
        const esp = pair.outbound.sa.seal(dgram, 4);
        const encap = n.udpEncap;
        outer =
          encap === null
            ? emitIpv4({ ...header, protocol: IP_PROTO_ESP, payload: esp })
            : emitIpv4({
                ...header,
                protocol: IP_PROTO_UDP,
                payload: encapEspUdp(esp, encap.localPort, encap.peerPort),
              });
      } else {
        const template = emitIpv4({ ...header, protocol: IP_PROTO_AH, payload: new Uint8Array(0) });
        outer = pair.outbound.sa.seal(template.subarray(0, 20), dgram, 4);
      }
    } else {
      // Transport: the original header stays, the upper layer goes inside.
      const hlen = (dgram[0]! & 0x0f) * 4;
      const upper = dgram.subarray(hlen);
      const protocol = dgram[9]!;
      if (pair.outbound.kind === "esp") {
        const sealed = pair.outbound.sa.seal(upper, protocol);
        // Through a NAT (UDP-encapsulated transport, RFC 3948): ESP in UDP 4500 behind the same header.
        const encap = n.udpEncap;
        const esp = encap === null ? sealed : encapEspUdp(sealed, encap.localPort, encap.peerPort);
        outer = new Uint8Array(hlen + esp.length);
        outer.set(dgram.subarray(0, hlen), 0);
        outer.set(esp, hlen);
        fixHeader(outer, encap === null ? IP_PROTO_ESP : IP_PROTO_UDP);
      } else {
        outer = pair.outbound.sa.seal(dgram.subarray(0, hlen), upper, protocol);
      }
    }
    if (pair.ahBundle !== null) {
      // AH+ESP: AH goes outside ESP and authenticates the outer header too.
      const outerHlen = (outer[0]! & 0x0f) * 4;
      outer = pair.ahBundle.outbound.seal(outer.subarray(0, outerHlen), outer.subarray(outerHlen), outer[9]!);
    }
    c.encaps++;
    if (n.outbound.encryption !== null && pair.outbound.kind === "esp") c.encrypt++;
    if (n.outbound.integrity !== null) c.digest++;
    this.account(flow, pair, dgram.length);
    const path = this.routeToPeer(n.peer, egress);
    if (path === null) {
      c.sendErrors++;
      return { ok: false, failure: "noRoute", egress };
    }
    return this.host.stack.classification.encapsulate(this.preClassify(n), dgram, () =>
      this.host.stack.outputProtected(path.egress, path.nextHop, outer, ingress),
    );
  }

  /** `qos pre-classify` for an SA's traffic: on its crypto map entry, or on the tunnel of a tunnel-protection map. */
  private preClassify(n: NegotiatedSa): boolean {
    const map = this.host.crypto.cryptoMaps.get(n.mapName);
    if (map?.tunnel !== undefined) return this.host.stack.interface(map.tunnel)?.config.tunnel?.preClassify === true;
    return map?.entries.find((e) => e.sequence === n.sequence)?.qosPreClassify === true;
  }

  /** Where the protected packet goes: the route to the peer, through the map's interface when it is one of the paths. */
  private routeToPeer(peer: number, egress: RouterInterface): { egress: RouterInterface; nextHop: number } | null {
    const stack = this.host.stack;
    const pathList = stack.lookupPathList(peer);
    if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length === 0) return null;
    const preferred = pathList.paths.find((p) => p.interface === egress.name) ?? stack.choosePath(pathList, 0, peer);
    const ifc = stack.interface(preferred.interface);
    if (ifc === undefined) return null;
    return { egress: ifc, nextHop: preferred.nextHop ?? peer };
  }

  /** Bytes the SA adds to a plaintext datagram of `length` (outer header included in tunnel mode). */
  overhead(pair: IpsecSaPair, length: number): number {
    const outerHeader = pair.negotiated.mode === "tunnel" ? 20 : 0;
    const udp = pair.negotiated.udpEncap === null ? 0 : 8;
    const ah = pair.negotiated.ahBundle === undefined ? 0 : ahLength(pair.negotiated.ahBundle.outbound.integrity);
    if (pair.outbound.kind === "esp")
      return (
        outerHeader + udp + ah + pair.outbound.sa.overhead(pair.negotiated.mode === "tunnel" ? length : length - 20)
      );
    return outerHeader + ahLength(pair.negotiated.outbound.integrity);
  }

  /** The largest datagram that still fits `pathMtu` once protected (IOS's "plaintext mtu"). */
  plaintextMtu(pair: IpsecSaPair, pathMtu: number): number {
    let size = pathMtu;
    while (size > 68 && size + this.overhead(pair, size) > pathMtu) size--;
    return size;
  }

  private account(flow: IpsecFlow, pair: IpsecSaPair, bytes: number): void {
    pair.bytes += bytes;
    const n = pair.negotiated;
    if (!pair.rekeying && n.initiator && pair.bytes / 1024 >= n.lifetimeKb * SOFT_LIFETIME_FRACTION) {
      pair.rekeying = true;
      this.host.requestSa(flow.request);
    }
    if (pair.bytes / 1024 >= n.lifetimeKb) this.expire(flow, pair, "volume");
  }

  // ---- inbound ----------------------------------------------------------------

  input(dgram: Uint8Array, ingress: RouterInterface | null): void {
    this.open(dgram, dgram[9]!, (dgram[0]! & 0x0f) * 4, ingress);
  }

  /** ESP that came in UDP 4500 (NAT traversal): `espAt` is where the ESP header starts, after the UDP header. */
  inputUdpEncap(dgram: Uint8Array, espAt: number, ingress: RouterInterface | null): void {
    this.open(dgram, IP_PROTO_ESP, espAt, ingress);
  }

  /**
   * Looks up, checks, opens and re-inputs one protected packet; `at` is where
   * ESP (or AH's header) starts. `bundle` is the pair whose AH this ESP came
   * out of: only that pair's ESP may follow.
   */
  private open(
    dgram: Uint8Array,
    protocol: number,
    at: number,
    ingress: RouterInterface | null,
    bundle?: IpsecSaPair,
  ): void {
    const hlen = (dgram[0]! & 0x0f) * 4;
    const src = readIpv4(dgram, 12);
    const dst = readIpv4(dgram, 16);
    // ESP: SPI is the first word; AH: after next header, length and reserved.
    const spiAt = protocol === IP_PROTO_ESP ? at : at + 4;
    if (dgram.length < spiAt + 4) return;
    const spi = readIpv4(dgram, spiAt);
    const found = this.inbound.get(inboundKey(dst, protocol, spi));
    if (found === undefined) {
      if (ingress !== null) this.groups.countInvalidSa(this.gdoiGroupsOn(ingress));
      this.logLimited(
        `spi/${spi}`,
        `%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=${formatIpv4Address(dst)}, prot=${protocol}, spi=${hexSpi(spi)}, srcaddr=${formatIpv4Address(src)}, input interface=${ingress?.name ?? "local"}`,
      );
      return;
    }
    const { flow, pair } = found;
    const c = flow.counters;
    if (found.bundleAh === true) return this.openBundleAh(dgram, flow, pair, ingress);
    if ((pair.ahBundle !== null) !== (bundle === pair)) {
      // ESP of a bundle must come inside its AH, and only a bundle's ESP may.
      c.recvErrors++;
      return;
    }
    const opened = pair.inbound.kind === "esp" ? pair.inbound.sa.open(dgram.subarray(at)) : pair.inbound.sa.open(dgram);
    if (opened.status !== "ok") {
      c.recvErrors++;
      if (opened.status === "replayed") {
        c.replayFailed++;
        this.logLimited(
          `replay/${spi}`,
          `%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=${pair.inboundConnId}, sequence number=${opened.sequence}`,
        );
      } else if (opened.status === "authFailed") {
        c.verifyFailed++;
        this.logLimited(
          `auth/${spi}`,
          `%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verify failed for connection id=${pair.inboundConnId}`,
        );
      }
      return;
    }
    let inner: Uint8Array;
    if (pair.negotiated.mode === "tunnel") {
      if (opened.nextHeader !== 4) return void c.recvErrors++;
      inner = opened.payload.slice();
    } else {
      inner = new Uint8Array(hlen + opened.payload.length);
      inner.set(dgram.subarray(0, hlen), 0);
      inner.set(opened.payload, hlen);
      fixHeader(inner, opened.nextHeader);
    }
    c.decaps++;
    if (pair.negotiated.inbound.encryption !== null && pair.inbound.kind === "esp") c.decrypt++;
    if (pair.negotiated.inbound.integrity !== null) c.verify++;
    this.account(flow, pair, inner.length);
    // What a VTI's SA opens enters the router through the tunnel interface.
    const via = this.host.crypto.cryptoMaps.get(flow.request.mapName)?.reinjectVia;
    const tunnel = via === undefined ? undefined : this.host.stack.interface(via);
    if (tunnel !== undefined) this.host.stack.countInput(tunnel, inner.length, false);
    const ifc = tunnel ?? ingress ?? this.host.stack.interface(flow.request.interfaceName);
    if (ifc === undefined) return;
    this.opened.add(inner.buffer);
    this.host.stack.reinject(ifc, inner);
  }

  /** The exception ACL (`match address`) of the gdoi entry naming `group` on an interface's map. */
  private localGdoiAcl(ifc: RouterInterface, group: string): AccessList | undefined {
    const map = ifc.config.cryptoMap === undefined ? undefined : this.host.crypto.cryptoMaps.get(ifc.config.cryptoMap);
    const entry = map?.entries.find((e) => e.gdoi === true && e.gdoiGroup === group);
    return entry?.matchAddress === undefined ? undefined : this.host.acl(entry.matchAddress);
  }

  /** The GDOI groups of the `gdoi` entries of the crypto map on an interface. */
  private gdoiGroupsOn(ifc: RouterInterface): string[] {
    const map = ifc.config.cryptoMap === undefined ? undefined : this.host.crypto.cryptoMaps.get(ifc.config.cryptoMap);
    if (map === undefined) return [];
    const out: string[] = [];
    for (const e of map.entries) if (e.gdoi === true && e.gdoiGroup !== undefined) out.push(e.gdoiGroup);
    return out;
  }

  /** True when `dgram` is (part of) a datagram an SA opened: it came protected. */
  cameFromSa(dgram: Uint8Array): boolean {
    return this.opened.has(dgram.buffer);
  }

  /** The AH of an AH+ESP bundle: verified first, then the ESP inside it is opened as usual. */
  private openBundleAh(dgram: Uint8Array, flow: IpsecFlow, pair: IpsecSaPair, ingress: RouterInterface | null): void {
    const c = flow.counters;
    const opened = pair.ahBundle!.inbound.open(dgram);
    if (opened.status !== "ok") {
      c.recvErrors++;
      if (opened.status === "replayed") c.replayFailed++;
      else if (opened.status === "authFailed") {
        c.verifyFailed++;
        this.logLimited(
          `auth/${pair.negotiated.ahBundle!.inbound.spi}`,
          `%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verify failed for connection id=${pair.inboundConnId}`,
        );
      }
      return;
    }
    if (opened.nextHeader !== IP_PROTO_ESP && opened.nextHeader !== IP_PROTO_UDP) return void c.recvErrors++;
    const hlen = (dgram[0]! & 0x0f) * 4;
    const inner = new Uint8Array(hlen + opened.payload.length);
    inner.set(dgram.subarray(0, hlen), 0);
    inner.set(opened.payload, hlen);
    fixHeader(inner, opened.nextHeader);
    this.open(inner, IP_PROTO_ESP, opened.nextHeader === IP_PROTO_UDP ? hlen + 8 : hlen, ingress, pair);
  }

  acceptClear(ingress: RouterInterface, dgram: Uint8Array): boolean {
    const protocol = dgram[9]!;
    const groups = this.gdoiGroupsOn(ingress);
    // Group SAs keep the original addresses (IP header preservation): their ESP is opened wherever it is going.
    if (protocol === IP_PROTO_ESP && groups.length > 0 && this.groups.open(dgram, ingress)) return false;
    if (protocol === IP_PROTO_ESP || protocol === IP_PROTO_AH) return true;
    if (groups.length > 0 && !this.groups.acceptClear(groups, dgram, (e) => this.localGdoiAcl(ingress, e)))
      return false;
    const fields = aclFields(dgram);
    if (
      protocol === IP_PROTO_UDP &&
      (fields.dstPort === 500 || fields.dstPort === 4500 || fields.srcPort === 500 || fields.srcPort === 4500)
    )
      return true;
    for (const flow of this.index.liveFlowsOn(ingress.name, fields.src)) {
      const r = flow.request;
      if (
        proxyMatchesPacket(r.remoteProxy, fields.src, protocol, fields.srcPort) &&
        proxyMatchesPacket(r.localProxy, fields.dst, protocol, fields.dstPort)
      ) {
        this.logLimited(
          `clear/${flow.key}`,
          `%CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC packet. (ip) vrf/dest_addr= /${formatIpv4Address(fields.dst)}, src_addr= ${formatIpv4Address(fields.src)}, prot= ${protocol}`,
        );
        flow.counters.recvErrors++;
        return false;
      }
    }
    return true;
  }

  // ---- SA installation and removal ------------------------------------------------

  /** Installs the two SAs a quick mode produced. */
  install(n: NegotiatedSa): IpsecSaPair {
    const flow = this.flowFor(n, false);
    const backend = this.host.espBackend;
    const sealing = { backend, usage: this.engineUsage.sealed };
    const opening = { backend, usage: this.engineUsage.opened, replayWindow: 64 };
    const iv = (out: Uint8Array): void => this.host.randomFill(out);
    const pair: IpsecSaPair = {
      negotiated: n,
      inbound:
        n.protocol === "esp"
          ? { kind: "esp", sa: createEspInbound(n.inbound, opening) }
          : { kind: "ah", sa: createAhInbound(n.inbound, opening) },
      outbound:
        n.protocol === "esp"
          ? { kind: "esp", sa: createEspOutbound(n.outbound, { ...sealing, iv }) }
          : { kind: "ah", sa: createAhOutbound(n.outbound, sealing) },
      ahBundle:
        n.ahBundle === undefined
          ? null
          : {
              inbound: createAhInbound(n.ahBundle.inbound, opening),
              outbound: createAhOutbound(n.ahBundle.outbound, sealing),
            },
      inboundConnId: this.nextConnId++,
      outboundConnId: this.nextConnId++,
      createdAt: this.host.now(),
      bytes: 0,
      timers: [],
      rekeying: false,
    };
    const protocol = n.protocol === "esp" ? IP_PROTO_ESP : IP_PROTO_AH;
    this.inbound.set(inboundKey(n.local, protocol, n.inbound.spi), { flow, pair });
    if (n.ahBundle !== undefined)
      this.inbound.set(inboundKey(n.local, IP_PROTO_AH, n.ahBundle.inbound.spi), { flow, pair, bundleAh: true });
    flow.pairs.unshift(pair);
    this.index.pairAdded(flow, pair, pairSpis(pair));
    // Older pairs stop sending now; they keep receiving until they expire.
    if (n.initiator) {
      pair.timers.push(
        this.host.after(Math.floor(n.lifetimeSec * SOFT_LIFETIME_FRACTION * SEC), "ipsec-rekey", () => {
          if (pair.rekeying || !flow.pairs.includes(pair)) return;
          pair.rekeying = true;
          this.host.requestSa(flow.request);
        }),
      );
    }
    pair.timers.push(this.host.after(n.lifetimeSec * SEC, "ipsec-expire", () => this.expire(flow, pair, "time")));
    for (const l of this.saListeners) l();
    // IPsec over DMVPN: the NHRP packets that waited for this peer's SA go now.
    if (this.host.crypto.cryptoMaps.get(n.mapName)?.multipoint === true)
      for (const held of this.saWait.release(n.mapName, n.peer)) this.seal(flow, held.egress, held.dgram, null);
    return pair;
  }

  private expire(flow: IpsecFlow, pair: IpsecSaPair, why: "time" | "volume"): void {
    this.host.debugIpsec(
      () =>
        `IPSEC(key_engine_delete_sas): delete SA with spi ${hexSpi(pair.negotiated.inbound.spi)} (${why} lifetime expired)`,
    );
    this.removePair(flow, pair);
  }

  /** Removes SA pairs chosen by `which` (all when omitted); returns what was removed so IKE can send deletes. */
  clear(which?: (flow: IpsecFlow, pair: IpsecSaPair) => boolean): { flow: IpsecFlow; pair: IpsecSaPair }[] {
    return this.clearFlows([...this.flows.values()], which);
  }

  private clearFlows(
    flows: readonly IpsecFlow[],
    which?: (flow: IpsecFlow, pair: IpsecSaPair) => boolean,
  ): { flow: IpsecFlow; pair: IpsecSaPair }[] {
    const removed: { flow: IpsecFlow; pair: IpsecSaPair }[] = [];
    for (const flow of flows) {
      for (const pair of [...flow.pairs]) {
        if (which !== undefined && !which(flow, pair)) continue;
        this.removePair(flow, pair);
        removed.push({ flow, pair });
      }
      // IOS rebuilds the ident when its SAs are cleared: its counters start again from zero.
      if (flow.pairs.length === 0) {
        flow.sentBefore += flow.counters.encaps;
        flow.receivedBefore += flow.counters.decaps;
        flow.counters = newFlowCounters();
      }
    }
    return removed;
  }

  /** Removes SA pairs of one peer's flows chosen by `which` (all when omitted), as `clear` does, without looking at other peers. */
  clearPeer(
    peer: number,
    which?: (flow: IpsecFlow, pair: IpsecSaPair) => boolean,
  ): { flow: IpsecFlow; pair: IpsecSaPair }[] {
    return this.clearFlows([...this.index.flowsOfPeer(peer)], which);
  }

  /** Removes the pair whose SPI (either direction) is `spi` from `peer` (a DELETE from the peer names its inbound SPI, our outbound). */
  removeBySpi(peer: number, spi: number): boolean {
    const flows = new Set(
      this.index
        .pairsWithSpi(spi)
        .filter((e) => e.flow.request.peer === peer)
        .map((e) => e.flow),
    );
    return this.clearFlows([...flows], (f, p) => f.request.peer === peer && pairSpis(p).includes(spi)).length > 0;
  }

  private removePair(flow: IpsecFlow, pair: IpsecSaPair): void {
    for (const t of pair.timers) t.cancel();
    flow.pairs = flow.pairs.filter((p) => p !== pair);
    this.index.pairRemoved(flow, pair, pairSpis(pair));
    const n = pair.negotiated;
    this.inbound.delete(inboundKey(n.local, n.protocol === "esp" ? IP_PROTO_ESP : IP_PROTO_AH, n.inbound.spi));
    if (n.ahBundle !== undefined) this.inbound.delete(inboundKey(n.local, IP_PROTO_AH, n.ahBundle.inbound.spi));
    if (flow.dynamic && flow.pairs.length === 0) {
      this.flows.delete(flow.key);
      this.index.removeFlow(flow);
    }
    for (const l of this.saListeners) l();
  }

  // ---- flows ---------------------------------------------------------------------

  /** The flow of a request (created on first use). */
  flowFor(r: SaRequest, dynamic: boolean): IpsecFlow {
    const key = flowKey(r);
    let flow = this.flows.get(key);
    if (flow === undefined) {
      flow = {
        key,
        request: { ...r },
        counters: newFlowCounters(),
        pairs: [],
        dynamic,
        sentBefore: 0,
        receivedBefore: 0,
      };
      this.flows.set(key, flow);
      this.index.addFlow(flow);
    }
    return flow;
  }

  /** Marks a flow as created by a peer through a dynamic map. */
  markDynamic(r: SaRequest): void {
    const flow = this.flowFor(r, true);
    if (flow.pairs.length === 0) flow.dynamic = true;
  }

  private dynamicFlowFor(
    ifname: string,
    mapName: string,
    src: number,
    dst: number,
    protocol: number,
  ): IpsecFlow | undefined {
    for (const flow of this.index.liveFlowsOn(ifname, dst)) {
      const r = flow.request;
      if (!flow.dynamic || r.mapName !== mapName) continue;
      if (
        proxyMatchesPacket(r.localProxy, src, protocol, undefined) &&
        proxyMatchesPacket(r.remoteProxy, dst, protocol, undefined)
      )
        return flow;
    }
    return undefined;
  }

  /**
   * Packets protected towards and received from a peer so far (DPD and NAT
   * keepalives watch these). `peerPort` tells apart peers behind one PAT
   * address (their UDP-encapsulated SAs go to different ports).
   */
  peerActivity(peer: number, peerPort?: number): { sent: number; received: number } {
    let sent = 0;
    let received = 0;
    for (const flow of this.index.flowsOfPeer(peer)) {
      if (!flowOnPort(flow, peerPort)) continue;
      sent += flow.counters.encaps + flow.sentBefore;
      received += flow.counters.decaps + flow.receivedBefore;
    }
    return { sent, received };
  }

  /** Every flow, for show commands. */
  allFlows(): IpsecFlow[] {
    return [...this.flows.values()];
  }

  /** The flows towards a peer, in creation order. */
  flowsOfPeer(peer: number): Iterable<IpsecFlow> {
    return this.index.flowsOfPeer(peer);
  }

  /** The flow holding an inbound or outbound SPI. */
  findSpi(spi: number): { flow: IpsecFlow; pair: IpsecSaPair } | undefined {
    return this.index.pairsWithSpi(spi)[0];
  }

  private logLimited(key: string, text: string): void {
    const now = this.host.now();
    const last = this.lastLog.get(key);
    if (last !== undefined && now - last < LOG_HOLDDOWN_NS) return;
    this.lastLog.set(key, now);
    this.host.log(text);
  }
}

/** Whether a flow belongs to the peer on `peerPort` (always, when either side has no NAT-T port). */
export function flowOnPort(flow: IpsecFlow, peerPort: number | undefined): boolean {
  const port = flow.pairs[0]?.negotiated.udpEncap?.peerPort;
  return peerPort === undefined || port === undefined || port === peerPort;
}

/** Whether an IPv4 datagram is GRE carrying NHRP (protocol type 0x2001). */
function isNhrpInGre(dgram: Uint8Array): boolean {
  const hlen = (dgram[0]! & 0x0f) * 4;
  return dgram.length >= hlen + 4 && ((dgram[hlen + 2]! << 8) | dgram[hlen + 3]!) === GRE_PROTO_NHRP;
}

function firstMatch(acl: AccessList, fields: ReturnType<typeof aclFields>): AclEntry | null {
  for (const e of acl.entries) if (entryMatches(e, fields)) return e;
  return null;
}

function flowKey(r: SaRequest): string {
  return `${r.interfaceName}|${r.mapName}|${r.sequence}|${proxyKey(r.localProxy)}|${proxyKey(r.remoteProxy)}`;
}

/** Every SPI of a pair: both directions, AH's too for a bundle. */
function pairSpis(p: IpsecSaPair): number[] {
  const n = p.negotiated;
  const spis = [n.inbound.spi >>> 0, n.outbound.spi >>> 0];
  if (n.ahBundle !== undefined) spis.push(n.ahBundle.inbound.spi >>> 0, n.ahBundle.outbound.spi >>> 0);
  return spis;
}

function inboundKey(dst: number, protocol: number, spi: number): string {
  return `${dst}/${protocol}/${spi >>> 0}`;
}

/** IOS's `0x2B0C8E47(722247239)` form of an SPI. */
export function hexSpi(spi: number): string {
  return `0x${(spi >>> 0).toString(16).toUpperCase()}(${spi >>> 0})`;
}

/** AH header length with its ICV (RFC 4302: 12 bytes of fields plus the ICV, padded to 4 bytes). */
function ahLength(integrity: string | null): number {
  const icv =
    integrity === "md5" || integrity === "sha1" ? 12 : integrity === "sha256" ? 16 : integrity === "sha384" ? 24 : 32;
  return 12 + icv;
}

/** Sets protocol and total length of a rebuilt header and recomputes its checksum. */
function fixHeader(dgram: Uint8Array, protocol: number): void {
  dgram[9] = protocol;
  dgram[2] = dgram.length >>> 8;
  dgram[3] = dgram.length & 0xff;
  dgram[10] = 0;
  dgram[11] = 0;
  const sum = internetChecksum(dgram, 0, (dgram[0]! & 0x0f) * 4);
  dgram[10] = sum >>> 8;
  dgram[11] = sum & 0xff;
}

export type { ProxyId };
