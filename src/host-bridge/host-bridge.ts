// The bridge between a lab and the host: every wire of the lab that leads to a
// TAP (topology.json "taps", or the console's --tap) gets its Linux TAP device.
// Frames the lab port sends are written to the TAP; frames the host sends into
// the TAP are read without blocking on each wall-clock tick (poll(), called by
// whoever paces the lab: never by device logic) and enter the lab on the port.
// The TAP follows the lab interface: carrier with `shutdown`, the interface
// MTU, and a MAC address derived from the interface's (the same address with
// the locally administered bit flipped: two ends of one link cannot share one).
// A TAP that cannot be opened (no root, no /dev/net/tun) is reported with what
// is missing and the rest of the lab runs without it.

import { interfaceMac } from "../config/router/interface-mac.ts";
import type { TimeNs } from "../runtime/device.ts";
import type { TapSink } from "../runtime/lab.ts";
import type { LabSpec, WireSpec } from "../runtime/topology.ts";
import { TapDevice, TapOpenError } from "./tap-device.ts";

/** What the bridge needs of a lab: where frames from the host go. */
export interface TapLab {
  injectTapFrame(wireId: number, bytes: Uint8Array): void;
}

/** One lab port bridged to an open TAP. */
interface Bridged {
  wire: WireSpec;
  port: string;
  tap: TapDevice;
  /** The lab interface's MAC, once its first frame showed it. */
  mac: string | null;
  framesIn: number;
  framesOut: number;
}

/** A TAP that stayed closed, and why. */
export interface TapFailure {
  tap: string;
  port: string;
  error: TapOpenError;
}

/** Frames read from one TAP per poll at most, so a flooding host cannot starve the lab. */
const MAX_FRAMES_PER_POLL = 256;

export class HostBridge implements TapSink {
  private readonly byWire = new Map<number, Bridged>();
  readonly failures: TapFailure[] = [];

  /** Opens a TAP for every wire of the lab that leads to one; failures are kept, not thrown. */
  constructor(spec: LabSpec, open: (name: string) => TapDevice = TapDevice.open) {
    for (const wire of spec.wires) {
      if (wire.tap === undefined) continue;
      const end = wire.ends[0]!;
      const device = spec.devices[end.deviceId]!;
      const port = `${device.name} ${device.ports[end.port]!.name}`;
      try {
        const tap = open(wire.tap);
        tap.setMtu(wire.mtu);
        const b: Bridged = { wire, port, tap, mac: null, framesIn: 0, framesOut: 0 };
        // The port's burned-in MAC from the start, so the host never answers ARP with an address it then
        // drops (a `mac-address` change, or another device kind, is followed from the frames).
        this.followMacAddress(b, macBytesOf(interfaceMac(end.deviceId, end.port)));
        this.byWire.set(wire.id, b);
      } catch (e) {
        if (!(e instanceof TapOpenError)) throw e;
        this.failures.push({ tap: wire.tap, port, error: e });
      }
    }
  }

  /** Whether any TAP is open (the lab then runs on the wall clock). */
  get active(): boolean {
    return this.byWire.size > 0;
  }

  /** Lines for the start of a run: what is bridged to what, what failed and why. */
  describe(): string[] {
    const lines: string[] = [];
    for (const b of this.byWire.values()) lines.push(`${b.port} is bridged to TAP ${b.tap.name}`);
    for (const f of this.failures) lines.push(`% ${f.port} is not bridged: ${f.error.message}`);
    if (this.active) lines.push("a lab with a TAP runs on the wall clock");
    return lines;
  }

  /** Frame counts per TAP (in: from the host into the lab; out: from the lab to the host). */
  counters(): { tap: string; port: string; framesIn: number; framesOut: number; writeErrors: number }[] {
    return [...this.byWire.values()].map((b) => ({
      tap: b.tap.name,
      port: b.port,
      framesIn: b.framesIn,
      framesOut: b.framesOut,
      writeErrors: b.tap.writeErrors,
    }));
  }

  /** Moves what the host sent into the TAPs into the lab (call on each wall-clock tick). */
  poll(lab: TapLab): number {
    let moved = 0;
    for (const b of this.byWire.values()) {
      for (let i = 0; i < MAX_FRAMES_PER_POLL; i++) {
        const frame = b.tap.read();
        if (frame === null) break;
        if (frame.length < 14) continue; // not even an Ethernet header
        b.framesIn++;
        moved++;
        lab.injectTapFrame(b.wire.id, padToMinimum(frame));
      }
    }
    return moved;
  }

  frame(wire: WireSpec, _atNs: TimeNs, bytes: Uint8Array): void {
    const b = this.byWire.get(wire.id);
    if (b === undefined) return;
    this.followMac(b, bytes);
    b.framesOut++;
    b.tap.write(bytes);
  }

  carrier(wire: WireSpec, up: boolean): void {
    this.byWire.get(wire.id)?.tap.setCarrier(up);
  }

  mtu(wire: WireSpec, mtu: number): void {
    this.byWire.get(wire.id)?.tap.setMtu(mtu);
  }

  close(): void {
    for (const b of this.byWire.values()) b.tap.close();
    this.byWire.clear();
  }

  /** The TAP takes the lab interface's MAC with the locally administered bit flipped, whenever it changes. */
  private followMac(b: Bridged, frame: Uint8Array): void {
    if (frame.length < 14 || (frame[6]! & 1) !== 0) return;
    this.followMacAddress(b, frame.subarray(6, 12));
  }

  private followMacAddress(b: Bridged, source: Uint8Array): void {
    const key = Array.from(source, (x) => x.toString(16).padStart(2, "0")).join(":");
    if (key === b.mac) return;
    b.mac = key;
    b.tap.setMac(tapMacFor(source));
  }
}

/** A 48-bit MAC as 6 bytes. */
function macBytesOf(mac: number): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 5; i >= 0; i--) {
    out[i] = mac % 256;
    mac = Math.floor(mac / 256);
  }
  return out;
}

/** Ethernet's minimum frame without FCS: a NIC pads shorter frames on the wire, a TAP hands them up unpadded. */
const MIN_FRAME = 60;

/** Pads a frame from the host to Ethernet's minimum size, as the host's NIC would before it reached a wire. */
export function padToMinimum(frame: Uint8Array): Uint8Array {
  if (frame.length >= MIN_FRAME) return frame;
  const padded = new Uint8Array(MIN_FRAME);
  padded.set(frame);
  return padded;
}

/** The TAP's MAC for a lab interface's MAC: the same with the locally administered bit flipped. */
export function tapMacFor(labMac: Uint8Array): Uint8Array {
  const mac = labMac.slice(0, 6);
  mac[0] = mac[0]! ^ 0x02;
  return mac;
}
