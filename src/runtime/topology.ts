// The shape of a lab once loaded: devices with their ports, and the wires
// between ports (point-to-point links and multi-access Ethernet segments) with
// their physical properties. Everything here is plain data so it can be sent
// to a Worker as it is.

import type { PortKind, TimeNs } from "./device.ts";

/** One port of a device in the lab. */
export interface PortSpec {
  index: number;
  name: string;
  kind: PortKind;
  /** Wire this port is attached to. */
  wireId: number;
}

/** One device of the lab. */
export interface DeviceSpec {
  /** Index in name order: stable whatever the worker placement. */
  id: number;
  name: string;
  kind: string;
  config: string;
  ports: PortSpec[];
}

/** One end of a wire. */
export interface WireEnd {
  deviceId: number;
  port: number;
}

/** A point-to-point link (2 ends, carrier follows the far end) or a segment (a switch: carrier stays up). */
export interface WireSpec {
  id: number;
  name: string;
  kind: PortKind;
  segment: boolean;
  ends: WireEnd[];
  latencyNs: TimeNs;
  /** Extra delay per frame, uniform in [0, jitterNs] from a seeded source per sending port (FIFO kept); 0 or absent: none. */
  jitterNs?: TimeNs;
  bitsPerSecond: number;
  /** Largest layer-3 payload the wire carries. */
  mtu: number;
  /** Probability that a frame is lost, drawn from a seeded source per sending port. */
  loss: number;
  /**
   * A host TAP device this wire leads to (src/host-bridge): the wire has one
   * end in the lab, what the port sends goes to the lab coordinator, which
   * writes it to the TAP, and frames read from the TAP enter on the port.
   */
  tap?: string;
}

/** A loaded lab. */
export interface LabSpec {
  name: string;
  seed: number;
  devices: DeviceSpec[];
  wires: WireSpec[];
}

/** Default link speeds by interface type, as IOS reports BW for them. */
export function defaultBitsPerSecond(interfaceName: string): number {
  if (/^Serial/i.test(interfaceName)) return 1_544_000;
  if (/^GigabitEthernet/i.test(interfaceName)) return 1_000_000_000;
  if (/^FastEthernet/i.test(interfaceName)) return 100_000_000;
  if (/^TenGigabitEthernet/i.test(interfaceName)) return 10_000_000_000;
  return 10_000_000;
}

/** Port kind for an interface name: Serial is HDLC, everything else is Ethernet. */
export function portKindOf(interfaceName: string): PortKind {
  return /^Serial/i.test(interfaceName) ? "serial" : "ethernet";
}
