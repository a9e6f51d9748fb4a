// Writes a lab's captures: one pcap per wire in a folder, Ethernet wires as
// Ethernet (linktype 1) and serial wires as Cisco HDLC (linktype 104), with
// virtual timestamps in nanoseconds.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CaptureSink } from "../runtime/lab.ts";
import type { WireSpec } from "../runtime/topology.ts";
import { linktypeFor, openPcapFile, type PcapWriter } from "./pcap-writer.ts";

/** File name of a wire's capture. */
export function captureFileName(wire: WireSpec): string {
  return `${wire.name.replace(/[^\w.-]+/g, "_")}.pcap`;
}

/** A capture sink writing one pcap file per wire into `dir`. */
export class PcapDirectorySink implements CaptureSink {
  private readonly writers = new Map<number, PcapWriter>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  write(wire: WireSpec, atNs: number, bytes: Uint8Array): void {
    let w = this.writers.get(wire.id);
    if (w === undefined) {
      w = openPcapFile(join(this.dir, captureFileName(wire)), { linktype: linktypeFor(wire.kind) });
      this.writers.set(wire.id, w);
    }
    w.writePacket(atNs, bytes);
  }

  close(): void {
    for (const w of this.writers.values()) w.close();
    this.writers.clear();
  }
}
