// What `interface TunnelN` is configured with (the tunnel commands of IOS):
// the source (an interface, whose primary address is used, or an address),
// the destination, the GRE key (RFC 2890), the mode (GRE, multipoint GRE or an IPsec VTI),
// path MTU discovery, GRE keepalives and IPsec protection. Defaults are
// IOS's: GRE over IP, no key, no keepalives, no protection.

/**
 * `tunnel mode gre ip` (GRE over IPv4, the default), `tunnel mode gre multipoint` (mGRE: no destination, each
 * overlay next hop's NBMA address comes from NHRP) or `tunnel mode ipsec ipv4` (a VTI: IPv4 in ESP, no GRE).
 */
export type TunnelMode = "gre-ip" | "gre-multipoint" | "ipsec-ipv4";

/** The tunnel commands of one tunnel interface. */
export interface TunnelConfig {
  /** `tunnel source IF` (canonical interface name) or `tunnel source A.B.C.D`. */
  source?: { interface: string } | { address: number };
  /** `tunnel destination A.B.C.D`. */
  destination?: number;
  /** `tunnel key N` (0-4294967295). */
  key?: number;
  mode: TunnelMode;
  /** `tunnel path-mtu-discovery`: the inner DF bit is copied to the outer header (cleared otherwise). */
  pathMtuDiscovery: boolean;
  /** `qos pre-classify`: output classification sees the inner header of what the tunnel sends, not the outer one. */
  preClassify?: boolean;
  /** `keepalive [period [retries]]` (IOS: 10 s, 3 retries); undefined when not set. */
  keepalive?: { periodSec: number; retries: number };
  /**
   * `tunnel protection ipsec profile NAME [shared]`: the profile and the crypto map IOS builds from it
   * (`Tunnel0-head-0`); `shared`: mGRE tunnels with one source share that map and its SAs.
   */
  protection?: { profile: string; map: string; shared?: true };
}

/** A tunnel's configuration as IOS creates it: GRE/IP, nothing else set. */
export function defaultTunnelConfig(): TunnelConfig {
  return { mode: "gre-ip", pathMtuDiscovery: false };
}

/** Bytes GRE over IPv4 adds in front of the inner datagram: outer IPv4 header and GRE with its key. */
export function greOverhead(config: TunnelConfig): number {
  return 20 + 4 + (config.key !== undefined ? 4 : 0);
}
