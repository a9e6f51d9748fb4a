// The IPv4 forwarding pipeline, in IOS order. Input: header checks -> virtual
// fragment reassembly on NAT interfaces -> input ACL -> (crypto-map
// interfaces refuse clear traffic that should have come encrypted) -> NAT
// outside->inside -> local delivery, multicast reception, or
// forwarding: TTL, CEF lookup (longest match, ECMP by per-destination hash or
// per-packet round robin), ICMP redirect when the datagram leaves by the
// interface it came in on, TCP MSS clamping (`ip tcp adjust-mss`). Output:
// NAT inside->outside -> output ACL -> crypto map -> MTU (fragment, or drop
// and send fragmentation-needed when DF is set) -> the egress interface kind's
// framing (Ethernet/ARP, HDLC, loopback, GRE or a VTI). Option-less unicast through plain Ethernet is fast-switched
// first (fast-switch.ts), as IOS punts only the rest to the full path.

import { ETHERNET_HEADER_LEN } from "../../wire/ethernet.ts";
import { icmpQuote, TIME_EXCEEDED, UNREACH } from "../../wire/icmp.ts";
import { checkIpv4, ipv4DecrementTtl } from "../../wire/ipv4.ts";
import { maskFromLength, readIpv4 } from "../../wire/ipv4-address.ts";
import { clampTcpMss } from "../../wire/tcp-mss.ts";
import { FIB_MISS } from "../fib.ts";
import { fragmentDatagram } from "../fragment.ts";
import type { FibPath, PathList } from "../rib.ts";
import { aclFields } from "./acl-fields.ts";
import { fastForward } from "./fast-switch.ts";
import type { IpStack } from "./ip-stack.ts";
import type { SendResult } from "./ip-types.ts";
import type { RouterInterface } from "./router-interface.ts";

/** The forwarding half of one device's stack. */
export class Forwarding {
  constructor(private readonly stack: IpStack) {}

  /** A datagram at `off` in a frame received on `ifc` (or one that came out of an IPsec SA: `decapsulated`). */
  input(ifc: RouterInterface, frame: Uint8Array, off: number, decapsulated = false): void {
    const stack = this.stack;
    const counters = stack.counters;
    counters.received++;
    if (off === ETHERNET_HEADER_LEN && fastForward(stack, ifc, frame)) return;
    const checked = checkIpv4(frame, off, true);
    if (!checked.ok) {
      if (checked.error.reason === "badChecksum") counters.checksumErrors++;
      else counters.formatErrors++;
      ifc.counters.inputErrors++;
      return;
    }
    const total = (frame[off + 2]! << 8) | frame[off + 3]!;
    // Work on the datagram alone from here (Ethernet padding dropped); the bytes stay shared.
    const dgram = frame.subarray(off, off + total);
    if ((dgram[0]! & 0x0f) !== 5) counters.withOptions++;
    // A fragment on a NAT interface may wait for its first fragment (virtual reassembly), then go on from here.
    if (
      !decapsulated &&
      stack.nat !== null &&
      ifc.config.nat !== undefined &&
      (dgram[6]! & 0x3f) + dgram[7]! !== 0 &&
      stack.nat.virtualReassembly(ifc, dgram, (held) => this.afterReassembly(ifc, held, false))
    )
      return;
    this.afterReassembly(ifc, dgram, decapsulated);
  }

  /** Input from the input ACL on (a fragment VFR held comes back here). */
  private afterReassembly(ifc: RouterInterface, dgram: Uint8Array, decapsulated: boolean): void {
    const stack = this.stack;
    const counters = stack.counters;
    if (ifc.config.accessGroupIn !== undefined && !this.aclPermits(ifc.config.accessGroupIn, dgram)) {
      counters.aclDeniedIn++;
      stack.icmp.sendUnreachable(dgram, UNREACH.ADMIN_PROHIBITED, ifc);
      return;
    }
    if (stack.inputPolicy !== null && !stack.inputPolicy(ifc, dgram)) return; // counted by the policy's class
    if (
      !decapsulated &&
      stack.crypto !== null &&
      ifc.config.cryptoMap !== undefined &&
      !stack.crypto.acceptClear(ifc, dgram)
    )
      return;
    if (stack.nat !== null && ifc.config.nat !== undefined && !stack.nat.input(ifc, dgram)) return;
    const dst = readIpv4(dgram, 16);
    if (dst >>> 28 === 0xe) {
      counters.multicastReceived++;
      // Groups joined on the interface are ours; link-local groups are never forwarded, and
      // routed multicast (PIM) will plug in here.
      if (stack.joined(ifc, dst)) stack.deliverLocal(dgram, ifc);
      return;
    }
    if (dst === 0xffffffff || stack.isBroadcastAddress(dst)) {
      counters.broadcastsReceived++;
      stack.deliverLocal(dgram, ifc);
      return;
    }
    if (stack.isLocalAddress(dst)) {
      stack.deliverLocal(dgram, ifc);
      return;
    }
    if (!stack.routing) return;
    this.forward(dgram, ifc);
  }

  private forward(dgram: Uint8Array, ingress: RouterInterface): void {
    const stack = this.stack;
    if (dgram[8]! <= 1) {
      stack.counters.badTtl++;
      stack.icmp.send(dgram, { kind: "timeExceeded", code: TIME_EXCEEDED.TTL, original: icmpQuote(dgram) }, ingress);
      return;
    }
    const dst = readIpv4(dgram, 16);
    const pathList = this.lookupPathList(dst);
    if (pathList?.kind === "receive") {
      stack.deliverLocal(dgram, ingress);
      return;
    }
    if (pathList?.kind === "discard") {
      stack.counters.forcedDrop++; // a CEF drop entry: silently
      return;
    }
    if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length === 0) {
      stack.counters.noRoute++;
      stack.icmp.sendUnreachable(dgram, UNREACH.HOST, ingress);
      return;
    }
    ipv4DecrementTtl(dgram, 0);
    const path = this.choosePath(pathList, readIpv4(dgram, 12), dst);
    const egress = stack.interface(path.interface);
    if (egress === undefined || !egress.lineProtocolUp) {
      stack.icmp.sendUnreachable(dgram, UNREACH.HOST, ingress);
      return;
    }
    stack.counters.forwarded++;
    // `ip tcp adjust-mss` on the interface it came in by or leaves by: SYNs carry at most that MSS.
    const mss = minDefined(ingress.config.tcpAdjustMss, egress.config.tcpAdjustMss);
    if (mss !== undefined) clampTcpMss(dgram, mss);
    const nextHop = path.nextHop ?? dst;
    stack.icmp.maybeRedirect(dgram, ingress, egress, nextHop);
    this.output(egress, nextHop, dgram, ingress);
  }

  /** CEF lookup: the path list for a destination, or undefined. */
  lookupPathList(dst: number): PathList | undefined {
    const stack = this.stack;
    if (!stack.routing) return this.hostPathList(dst);
    const index = stack.rib.fib.lookup(dst);
    return index === FIB_MISS ? undefined : stack.rib.pathList(index);
  }

  /** With routing off: connected subnets directly, everything else via the default gateway. */
  private hostPathList(dst: number): PathList | undefined {
    for (const ifc of this.stack.allInterfaces()) {
      if (!ifc.lineProtocolUp) continue;
      for (const a of ifc.addresses()) {
        const mask = maskFromLength(a.length);
        if (((a.address ^ dst) & mask) === 0)
          return { index: -1, kind: "forward", paths: [{ nextHop: null, interface: ifc.name }] };
      }
    }
    const gateway = this.stack.defaultGateway;
    if (gateway === null) return undefined;
    const via = this.hostPathList(gateway);
    if (via === undefined || via.paths[0]?.nextHop !== null) return undefined;
    return { index: -1, kind: "forward", paths: [{ nextHop: gateway, interface: via.paths[0]!.interface }] };
  }

  /** ECMP choice for a flow, as CEF makes it. */
  choosePath(pathList: PathList, src: number, dst: number, advance = true): FibPath {
    const paths = pathList.paths;
    if (paths.length === 1) return paths[0]!;
    const stack = this.stack;
    const perPacket = paths.every((p) => stack.interface(p.interface)?.config.perPacketLoadSharing === true);
    const mode = perPacket ? "per-packet" : "per-destination";
    const i = advance
      ? stack.loadBalancer.selectPath(pathList.index, paths.length, src, dst, mode)
      : stack.loadBalancer.exactRoute(pathList.index, paths.length, src, dst, mode);
    return paths[i]!;
  }

  /**
   * Sends a datagram out of an interface towards a next hop: NAT, output ACL,
   * crypto map, MTU (fragment or refuse), then the interface kind's framing.
   * `ingress` is null for our own datagrams (which NAT leaves alone, as IOS does).
   */
  output(
    egress: RouterInterface,
    nextHop: number,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
    bypassCrypto = false,
  ): SendResult {
    const stack = this.stack;
    const driver = egress.driver;
    if (driver.discardsAll === true) return { ok: false, failure: "noRoute", egress };
    if (
      stack.nat !== null &&
      ingress !== null &&
      !bypassCrypto &&
      egress.config.nat !== undefined &&
      !stack.nat.output(egress, ingress, dgram)
    ) {
      return { ok: false, failure: "encapsulationFailed", egress }; // (forwarded only: nobody reads it; NAT counts the drop)
    }
    if (egress.config.accessGroupOut !== undefined && !this.aclPermits(egress.config.accessGroupOut, dgram)) {
      stack.counters.aclDeniedOut++;
      if (ingress !== null) stack.icmp.sendUnreachable(dgram, UNREACH.ADMIN_PROHIBITED, ingress);
      return { ok: false, failure: "aclDenied", egress };
    }
    if (!bypassCrypto && stack.crypto !== null && egress.config.cryptoMap !== undefined) {
      const taken = stack.crypto.output(egress, nextHop, dgram, ingress);
      if (taken !== null) return taken;
    }
    // Output QoS: a policer or a `drop` class of the interface's service-policy may take it here.
    if (!stack.classification.classify(egress, dgram)) return { ok: false, failure: "queueFull", egress };
    const mtu = egress.ipMtu;
    if (dgram.length > mtu) {
      if ((dgram[6]! & 0x40) !== 0) {
        stack.counters.couldNotFragment++;
        if (ingress !== null)
          stack.icmp.send(
            dgram,
            { kind: "destUnreachable", code: UNREACH.FRAG_NEEDED, nextHopMtu: mtu, original: icmpQuote(dgram) },
            ingress,
          );
        return { ok: false, failure: "fragmentationNeeded", egress, mtu };
      }
      const fragments = fragmentDatagram(dgram, mtu);
      stack.counters.fragmented++;
      stack.counters.fragmentsCreated += fragments.length;
      let result: SendResult = { ok: true, egress };
      for (const f of fragments) {
        const r = driver.output(stack, egress, nextHop, f);
        if (!r.ok) result = r;
      }
      return result;
    }
    return driver.output(stack, egress, nextHop, dgram);
  }

  /** True when the named ACL permits the datagram (IOS permits everything through a missing ACL). */
  aclPermits(name: string, dgram: Uint8Array): boolean {
    const acl = this.stack.hooks.acl(name);
    if (acl === undefined) return true;
    return acl.evaluate(aclFields(dgram)).action === "permit";
  }
}

/** The smaller of two optional limits. */
function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}
