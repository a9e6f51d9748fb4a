// The ICMP errors a router raises about a datagram (RFC 792, RFC 1812 4.3):
// destination unreachable (rate-limited as IOS does, and only where `ip
// unreachables` is on), time exceeded, and redirects when a datagram leaves
// by the interface it came in on towards a next hop on the sender's own
// subnet (`ip redirects`). An error about a datagram NAT translated on its
// way out goes to the inside host that sent it; an error about our own
// datagram is delivered to us. An error for another host leaves after the
// control plane's processing delay (control-plane-delay.ts).

import { emitIcmp, type IcmpMessage, icmpQuote, UNREACH } from "../../wire/icmp.ts";
import { emitIpv4, IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import { formatIpv4Address, maskFromLength, readIpv4 } from "../../wire/ipv4-address.ts";
import { mayReportError, UnreachableLimiter } from "./icmp-error.ts";
import type { IpStack } from "./ip-stack.ts";
import type { RouterInterface } from "./router-interface.ts";

/** ICMP redirect code for a host (RFC 792): what IOS sends. */
const REDIRECT_HOST = 1;

/** The ICMP-error half of one device's stack. */
export class IcmpSender {
  private readonly unreachables = new UnreachableLimiter();

  constructor(private readonly stack: IpStack) {}

  /** Destination unreachable about `dgram`, subject to `ip unreachables` and the rate limit. */
  sendUnreachable(dgram: Uint8Array, code: number, ingress: RouterInterface | null): void {
    if (ingress !== null && !ingress.config.unreachables) return;
    if (!this.unreachables.allow(code, this.stack.now())) return;
    this.send(dgram, { kind: "destUnreachable", code, nextHopMtu: 0, original: icmpQuote(dgram) }, ingress);
  }

  /**
   * A datagram about to leave by the interface it arrived on: IOS forwards it
   * and, with `ip redirects` on (the default) and the sender on that
   * interface's subnet, tells the sender the better first hop. No redirect
   * for source-routed datagrams or across subinterfaces of other VLANs.
   */
  maybeRedirect(dgram: Uint8Array, ingress: RouterInterface, egress: RouterInterface, nextHop: number): void {
    if (ingress !== egress || !ingress.config.redirects) return;
    if ((dgram[0]! & 0x0f) !== 5) return; // options (source routes among them): no redirect
    const src = readIpv4(dgram, 12);
    const onSubnet = ingress
      .addresses()
      .some(
        (a) =>
          ((a.address ^ src) & maskFromLength(a.length)) === 0 &&
          ((a.address ^ nextHop) & maskFromLength(a.length)) === 0,
      );
    if (!onSubnet || nextHop === src) return;
    this.send(dgram, { kind: "redirect", code: REDIRECT_HOST, gateway: nextHop, original: icmpQuote(dgram) }, ingress);
  }

  /** Sends an ICMP error about `dgram` back to its source, from the address of the interface it came in on. */
  send(dgram: Uint8Array, message: IcmpMessage, ingress: RouterInterface | null): void {
    const stack = this.stack;
    // About a datagram NAT translated on its way out: report it to the inside host that sent it.
    const original = stack.nat?.original(dgram, ingress) ?? null;
    if (original !== null) {
      dgram = original;
      if ("original" in message) message = { ...message, original: icmpQuote(original) };
    }
    if (!mayReportError(dgram, 0)) return;
    const offender = readIpv4(dgram, 12);
    const src = ingress?.config.address?.address;
    if (stack.isLocalAddress(offender)) {
      // Our own datagram: report it to local listeners as if it came back.
      const from = src ?? offender;
      const bytes = emitIpv4({
        dscp: 0,
        ecn: 0,
        identification: stack.nextId(),
        dontFragment: false,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 255,
        protocol: IP_PROTO_ICMP,
        src: from,
        dst: offender,
        options: new Uint8Array(0),
        payload: emitIcmp(message),
      });
      stack.deliverLocal(bytes, null);
      return;
    }
    const payload = emitIcmp(message);
    const dstAddress = readIpv4(dgram, 16);
    stack.answerDelay.answer(() => this.sendError(offender, src, payload, message, dstAddress));
  }

  /** Sends an ICMP error once the control plane has processed it; counts it and prints its debug line. */
  private sendError(
    offender: number,
    src: number | undefined,
    payload: Uint8Array,
    message: IcmpMessage,
    dstAddress: number,
  ): void {
    const stack = this.stack;
    const result = stack.send({ dst: offender, src, protocol: IP_PROTO_ICMP, payload });
    if (!result.ok) return;
    const dst = formatIpv4Address(dstAddress);
    const c = stack.counters;
    if (message.kind === "timeExceeded") {
      c.timeExceededSent++;
      stack.hooks.debug(
        "ip-icmp",
        () =>
          `ICMP: time exceeded (time to live) sent to ${formatIpv4Address(offender)} (dest was ${dst}), topology BASE, dscp 0 topoid 0`,
      );
    } else if (message.kind === "destUnreachable") {
      c.unreachablesSent++;
      stack.hooks.debug(
        "ip-icmp",
        () => `ICMP: dst (${dst}) ${unreachableText(message.code)} sent to ${formatIpv4Address(offender)}`,
      );
    } else if (message.kind === "redirect") {
      c.redirectsSent++;
      const gw = formatIpv4Address(message.gateway);
      stack.hooks.debug(
        "ip-icmp",
        () => `ICMP: redirect sent to ${formatIpv4Address(offender)} for dest ${dst}, use gw ${gw}`,
      );
    }
  }
}

/** The words IOS's `debug ip icmp` uses for an unreachable code. */
export function unreachableText(code: number): string {
  switch (code) {
    case UNREACH.NET:
      return "net unreachable";
    case UNREACH.HOST:
      return "host unreachable";
    case UNREACH.PROTOCOL:
      return "protocol unreachable";
    case UNREACH.PORT:
      return "port unreachable";
    case UNREACH.FRAG_NEEDED:
      return "fragmentation needed and DF set";
    case UNREACH.ADMIN_PROHIBITED:
      return "administratively prohibited";
    default:
      return `unreachable code ${code}`;
  }
}
