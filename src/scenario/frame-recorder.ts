// What a scenario's `replay WIRE PROTOCOL` step sends again: the last IPv4
// frame of each IP protocol that crossed each wire, kept from the lab's
// capture stream (passed on to the pcap writer too when the run also
// captures). Frames are kept as they were on the wire, Ethernet header and
// all, so a replay is byte for byte what an attacker recorded.

import type { CryptoKeyRecord } from "../capture/crypto-keys.ts";
import type { TimeNs } from "../runtime/device.ts";
import type { CaptureSink } from "../runtime/lab.ts";
import type { WireSpec } from "../runtime/topology.ts";

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_VLAN = 0x8100;

/** The IP protocol of an Ethernet frame carrying IPv4 (one VLAN tag allowed), or null. */
export function ipProtocolOfFrame(frame: Uint8Array): number | null {
  let at = 12;
  let type = (frame[at]! << 8) | frame[at + 1]!;
  if (type === ETHERTYPE_VLAN) {
    at += 4;
    type = (frame[at]! << 8) | frame[at + 1]!;
  }
  const ip = at + 2;
  if (type !== ETHERTYPE_IPV4 || frame.length < ip + 20 || frame[ip]! >> 4 !== 4) return null;
  return frame[ip + 9]!;
}

/** A capture sink that remembers the last frame of each IP protocol per wire. */
export class FrameRecorder implements CaptureSink {
  private readonly last = new Map<string, Uint8Array>();

  constructor(private readonly inner?: CaptureSink) {}

  write(wire: WireSpec, atNs: TimeNs, bytes: Uint8Array): void {
    this.inner?.write(wire, atNs, bytes);
    if (wire.kind !== "ethernet") return;
    const protocol = ipProtocolOfFrame(bytes);
    if (protocol !== null) this.last.set(`${wire.name}/${protocol}`, bytes.slice());
  }

  keys(records: readonly CryptoKeyRecord[]): void {
    this.inner?.keys?.(records);
  }

  close(): void {
    this.inner?.close();
  }

  /** The last frame of IP protocol `protocol` seen on wire `wire`, if any. */
  lastFrame(wire: string, protocol: number): Uint8Array | undefined {
    return this.last.get(`${wire}/${protocol}`);
  }
}
