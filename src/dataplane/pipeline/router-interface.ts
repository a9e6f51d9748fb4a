// One IP interface of a router or host: what the user configured (address,
// shutdown, MTU, bandwidth, ACLs...) kept apart from what the device learned
// (carrier, counters, last change). Physical interfaces map to a runtime port;
// subinterfaces share their parent's port and add an 802.1Q tag; loopbacks
// and Null0 have no port. The interface's kind (a registered driver, see
// ../interface-kinds) decides its framing and its defaults.

import type { TimeNs } from "../../runtime/device.ts";
import { type InterfaceKindDriver, interfaceKind } from "../interface-kinds/index.ts";
import type { InterfaceQueueing } from "../qos/legacy-queueing.ts";
import type { TunnelConfig } from "../tunnel/tunnel-config.ts";
import { RateEstimator } from "./interface-rate.ts";

/**
 * What sort of interface this is: the name of a registered interface kind.
 * The built-in ones are "ethernet", "serial", "loopback", "null" and "tunnel".
 */
export type InterfaceKind = string;

/** An address with its prefix length. */
export interface InterfaceAddress {
  address: number;
  length: number;
}

/** Configuration of an interface, as `show running-config` prints it back. */
export interface InterfaceConfig {
  description?: string;
  address?: InterfaceAddress;
  secondaries: InterfaceAddress[];
  shutdown: boolean;
  /** Layer-2 MTU (`mtu`); undefined means the default for the kind. */
  mtu?: number;
  /** `ip mtu`; undefined means follow the layer-2 MTU. */
  ipMtu?: number;
  /** `bandwidth` in kbit/s; undefined means the port speed. */
  bandwidthKbps?: number;
  /** `delay` in tens of microseconds. */
  delayTensOfUs?: number;
  /** `encapsulation dot1Q N` on a subinterface. */
  vlan?: number;
  accessGroupIn?: string;
  accessGroupOut?: string;
  proxyArp: boolean;
  /** `ip load-sharing per-packet`. */
  perPacketLoadSharing: boolean;
  /** `arp timeout` in seconds. */
  arpTimeoutSec: number;
  /** `ip unreachables` (on by default). */
  unreachables: boolean;
  /** `ip redirects` (on by default; only shown in the running config when turned off). */
  redirects: boolean;
  /** `ip tcp adjust-mss` value, if set. */
  tcpAdjustMss?: number;
  /** The tunnel commands of a tunnel interface. */
  tunnel?: TunnelConfig;
  /** `crypto map NAME` applied to this interface. */
  cryptoMap?: string;
  /** `ip nat inside` or `ip nat outside`. */
  nat?: "inside" | "outside";
  /** `hold-queue N out`: the port's output hold queue limit (40 when unset). */
  holdQueueOut?: number;
  /** `hold-queue N in`: the input queue limit `show interfaces` reports (75 when unset). */
  holdQueueIn?: number;
  /** `fair-queue`, `no fair-queue`, `priority-group`, `custom-queue-list` (undefined: IOS's default, WFQ on slow serials). */
  queueing?: InterfaceQueueing;
}

/** Interface counters, as `show interfaces` prints them. */
export interface InterfaceCounters {
  inputPackets: number;
  inputBytes: number;
  inputBroadcasts: number;
  /** Frames received to a multicast MAC address (IP multicast). */
  inputMulticasts: number;
  inputErrors: number;
  inputDrops: number;
  crc: number;
  giants: number;
  outputPackets: number;
  outputBytes: number;
  outputDrops: number;
  outputErrors: number;
  interfaceResets: number;
  carrierTransitions: number;
}

/** An interface of a device. */
export class RouterInterface {
  readonly config: InterfaceConfig;
  readonly counters: InterfaceCounters = {
    inputPackets: 0,
    inputBytes: 0,
    inputBroadcasts: 0,
    inputMulticasts: 0,
    inputErrors: 0,
    inputDrops: 0,
    crc: 0,
    giants: 0,
    outputPackets: 0,
    outputBytes: 0,
    outputDrops: 0,
    outputErrors: 0,
    interfaceResets: 0,
    carrierTransitions: 0,
  };
  /** Carrier on the port (far end enabled, wire up). Always true for ports-less interfaces. */
  carrier = false;
  /** Virtual time of the last line-protocol change. */
  lastChangeAt: TimeNs = 0;
  lastInputAt: TimeNs | null = null;
  lastOutputAt: TimeNs | null = null;
  /** The 5-minute input and output rates (show interfaces, txload/rxload). */
  readonly inputRate = new RateEstimator();
  readonly outputRate = new RateEstimator();
  /** The kind's driver: framing in and out, defaults. */
  readonly driver: InterfaceKindDriver;

  constructor(
    /** Canonical name, e.g. GigabitEthernet0/0.100. */
    readonly name: string,
    readonly kind: InterfaceKind,
    /** Runtime port index (shared by subinterfaces), or null. */
    readonly port: number | null,
    /** Burned-in MAC address (Ethernet). */
    readonly mac: number,
    /** Port speed in bit/s (sets the default bandwidth). */
    readonly bitsPerSecond: number,
    /** Parent of a subinterface. */
    readonly parent: RouterInterface | null = null,
  ) {
    this.config = {
      secondaries: [],
      // IOS routers ship physical interfaces shut; loopbacks, Null0 and subinterfaces come up.
      shutdown: (kind === "ethernet" || kind === "serial") && parent === null,
      proxyArp: true,
      perPacketLoadSharing: false,
      arpTimeoutSec: 14400,
      unreachables: true,
      redirects: true,
    };
    this.driver = interfaceKind(kind);
    if (port === null) this.carrier = true;
  }

  /** Interface status as IOS prints it: up, down, administratively down. */
  get status(): "up" | "down" | "administratively down" {
    if (this.config.shutdown || this.parent?.config.shutdown) return "administratively down";
    if (!this.driver.hasPort) return "up";
    return (this.parent ?? this).carrier ? "up" : "down";
  }

  /** Line protocol state: the status, or what the kind decides (a tunnel is up/down while its destination is not routable). */
  get lineProtocolUp(): boolean {
    if (this.status !== "up") return false;
    return this.driver.lineProtocol === undefined || this.driver.lineProtocol(this);
  }

  /** Effective layer-2 MTU. */
  get mtu(): number {
    return this.config.mtu ?? this.parent?.mtu ?? this.driver.defaultMtu;
  }

  /** Effective IP MTU (never above the layer-2 MTU). */
  get ipMtu(): number {
    return Math.min(this.config.ipMtu ?? this.driver.defaultIpMtu?.(this) ?? this.mtu, this.mtu);
  }

  /** Effective bandwidth in kbit/s. */
  get bandwidthKbps(): number {
    if (this.config.bandwidthKbps !== undefined) return this.config.bandwidthKbps;
    if (this.driver.defaultBandwidthKbps !== null) return this.driver.defaultBandwidthKbps;
    if (this.parent !== null) return this.parent.bandwidthKbps;
    return Math.round(this.bitsPerSecond / 1000);
  }

  /** Effective delay in tens of microseconds. */
  get delayTensOfUs(): number {
    return this.config.delayTensOfUs ?? this.driver.defaultDelayTensOfUs(this.name);
  }

  /** Every configured address, primary first. */
  addresses(): InterfaceAddress[] {
    return this.config.address ? [this.config.address, ...this.config.secondaries] : [...this.config.secondaries];
  }
}
