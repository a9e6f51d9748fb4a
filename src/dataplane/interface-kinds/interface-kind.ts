// The interface-kind contract: what sort of interface a RouterInterface is
// decides how a datagram leaves it (Ethernet with ARP, Cisco HDLC, delivered
// back to ourselves, discarded, or later wrapped in GRE) and how a frame that
// arrives on its port is taken apart. The forwarding pipeline calls the kind's
// driver and never branches on the kind itself; a new kind (GRE, VTI, mGRE,
// virtual-template) is a new driver and one registration line in index.ts.

import type { IpStack } from "../pipeline/ip-stack.ts";
import type { SendResult } from "../pipeline/ip-types.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";

/** How one kind of interface frames and unframes IP. */
export interface InterfaceKindDriver {
  /** The kind's name as RouterInterface.kind holds it ("ethernet", "serial", "loopback", "null"...). */
  readonly kind: string;
  /** True when the interface sits on a runtime port: its line protocol follows the port's carrier. */
  readonly hasPort: boolean;
  /**
   * Line protocol of an interface of this kind that is not shut, when it is
   * not simply the port's carrier (ports) or always up (no port): a GRE
   * tunnel is up while its destination is routable, a VTI while its SA is.
   */
  lineProtocol?(ifc: RouterInterface): boolean;
  /** Discards every datagram before the output features run (Null0's drop adjacency). */
  readonly discardsAll?: boolean;
  /** Layer-2 MTU when the user set none. */
  readonly defaultMtu: number;
  /** IP MTU when the user set no `ip mtu` (a GRE tunnel: its transport MTU less the GRE overhead); the layer-2 MTU otherwise. */
  defaultIpMtu?(ifc: RouterInterface): number;
  /** IOS's default delay (DLY) in tens of microseconds for an interface of this kind called `name`. */
  defaultDelayTensOfUs(name: string): number;
  /** Default bandwidth in kbit/s when the kind does not take it from a port (null: the port's speed). */
  readonly defaultBandwidthKbps: number | null;
  /**
   * Sends a datagram out of `egress` towards `nextHop` (a unicast address,
   * a broadcast or a multicast group): frames it for the wire and transmits,
   * or hands it on (loopback), or discards it (Null0).
   */
  output(stack: IpStack, egress: RouterInterface, nextHop: number, dgram: Uint8Array): SendResult;
  /** Sends a CDP payload out of `egress` framed as the kind carries CDP (SNAP, HDLC 0x2000, GRE 0x2000); false if it could not. */
  outputCdp?(stack: IpStack, egress: RouterInterface, payload: Uint8Array): boolean;
  /** A frame arrived on the runtime port that `ifc` (the port's main interface) owns. */
  input?(stack: IpStack, ifc: RouterInterface, frame: Uint8Array): void;
}

const drivers = new Map<string, InterfaceKindDriver>();

/** Makes an interface kind available to every router. */
export function registerInterfaceKind(driver: InterfaceKindDriver): void {
  if (drivers.has(driver.kind)) throw new Error(`interface kind '${driver.kind}' is registered twice`);
  drivers.set(driver.kind, driver);
}

/** The driver of a registered kind. */
export function interfaceKind(kind: string): InterfaceKindDriver {
  const driver = drivers.get(kind);
  if (driver === undefined) throw new Error(`unknown interface kind '${kind}'`);
  return driver;
}
