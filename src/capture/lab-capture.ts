// Writes a lab's captures: one pcap per wire in a folder, Ethernet wires as
// Ethernet (linktype 1) and serial wires as Cisco HDLC (linktype 104), with
// virtual timestamps in nanoseconds. When devices set up IPsec, the same
// folder gets Wireshark's key tables (`esp_sa`, `ikev1_decryption_table`),
// rewritten as new SAs appear, so the captures decrypt in Wireshark.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaptureSink } from "../runtime/lab.ts";
import type { WireSpec } from "../runtime/topology.ts";
import type { CryptoKeyRecord } from "./crypto-keys.ts";
import { linktypeFor, openPcapFile, type PcapWriter } from "./pcap-writer.ts";
import { ESP_SA_FILE, IKEV1_DECRYPTION_TABLE_FILE, renderEspSa, renderIkev1DecryptionTable } from "./wireshark-keys.ts";

/** File name of a wire's capture. */
export function captureFileName(wire: WireSpec): string {
  return `${wire.name.replace(/[^\w.-]+/g, "_")}.pcap`;
}

/** A capture sink writing one pcap file per wire into `dir`, and the Wireshark key tables once there are keys. */
export class PcapDirectorySink implements CaptureSink {
  private readonly writers = new Map<number, PcapWriter>();
  private readonly keyRecords: CryptoKeyRecord[] = [];
  private readonly written = new Map<string, string>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    // Key tables left by an earlier run would describe other SAs: this run's captures start without them.
    for (const name of [ESP_SA_FILE, IKEV1_DECRYPTION_TABLE_FILE]) rmSync(join(dir, name), { force: true });
  }

  write(wire: WireSpec, atNs: number, bytes: Uint8Array): void {
    let w = this.writers.get(wire.id);
    if (w === undefined) {
      w = openPcapFile(join(this.dir, captureFileName(wire)), { linktype: linktypeFor(wire.kind) });
      this.writers.set(wire.id, w);
    }
    w.writePacket(atNs, bytes);
  }

  /** Adds key material and rewrites whichever key table changed. */
  keys(records: readonly CryptoKeyRecord[]): void {
    this.keyRecords.push(...records);
    this.writeTable(ESP_SA_FILE, renderEspSa(this.keyRecords));
    this.writeTable(IKEV1_DECRYPTION_TABLE_FILE, renderIkev1DecryptionTable(this.keyRecords));
  }

  /** Paths of the Wireshark key tables written so far (empty when no device set up an SA). */
  keyFiles(): string[] {
    return [ESP_SA_FILE, IKEV1_DECRYPTION_TABLE_FILE]
      .filter((name) => this.written.has(name))
      .map((name) => join(this.dir, name));
  }

  close(): void {
    for (const w of this.writers.values()) w.close();
    this.writers.clear();
  }

  private writeTable(name: string, text: string): void {
    if (text === "" || this.written.get(name) === text) return;
    writeFileSync(join(this.dir, name), text);
    this.written.set(name, text);
  }
}
