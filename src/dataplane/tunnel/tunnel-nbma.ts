// What a multipoint GRE tunnel asks of its NBMA resolver (NHRP, src/protocols/nhrp):
// the underlay (NBMA) address an overlay next hop is reached at, the NBMA
// addresses link-local multicast is replicated to (pseudo-multicast), and the
// NHRP packets that arrive inside the tunnel's GRE. The tunnel holds one
// resolver at most; without one an mGRE tunnel cannot send unicast at all.

/** Where an overlay datagram goes: to one NBMA address, or nowhere (dropped while resolving). */
export type NbmaDecision = { nbma: number } | { drop: "unresolved" | "incomplete" };

/** The NHRP side of one tunnel interface. */
export interface TunnelNbmaResolver {
  /** The NBMA address to send `dgram` (routed to overlay next hop `nextHop`) to; may start a resolution. */
  resolve(nextHop: number, dgram: Uint8Array): NbmaDecision;
  /** The NBMA addresses a multicast or broadcast leaving the tunnel is copied to (`ip nhrp map multicast`). */
  multicastNbmas(): Iterable<number>;
  /** An NHRP packet arrived inside this tunnel's GRE from NBMA address `src` to our NBMA address `dst`. */
  receive(src: number, dst: number, payload: Uint8Array): void;
  /**
   * A datagram that came in through this tunnel from NBMA `fromNbma` is leaving through it again
   * (a hub forwarding spoke to spoke): NHRP's redirect (phase 3) looks at it.
   */
  hairpin?(fromNbma: number, dgram: Uint8Array): void;
  /** A datagram from NBMA `src` entered through the tunnel (NHRP marks the entry used). */
  heard?(src: number): void;
}
