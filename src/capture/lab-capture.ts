// Writes a lab's captures: one pcap per wire in a folder, Ethernet wires as
// Ethernet (linktype 1) and serial wires as Cisco HDLC (linktype 104), with
// virtual timestamps in nanoseconds. When devices set up IPsec, the same
// folder gets Wireshark's key tables (`esp_sa`, `ikev1_decryption_table`),
// rewritten as new SAs appear, so the captures decrypt in Wireshark. Split by
// VLAN, an Ethernet wire's 802.1Q-tagged frames go to one file per VLAN
// (`SW1.vlan10.pcap`) and only its untagged frames to the wire's own file: a
// trunk carrying one IKE message on three VLANs then shows it once per file,
// which Wireshark's IKEv1 decryption needs.

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

/** How a sink lays out its files: one per wire, or one per VLAN of each Ethernet wire. */
export interface PcapDirectoryOptions {
  split?: "vlan";
}

/** The 802.1Q VLAN id of an Ethernet frame, or null when untagged. */
export function frameVlan(bytes: Uint8Array): number | null {
  if (bytes.length < 18 || bytes[12] !== 0x81 || bytes[13] !== 0x00) return null;
  return ((bytes[14]! & 0x0f) << 8) | bytes[15]!;
}

/** A capture sink writing one pcap file per wire into `dir`, and the Wireshark key tables once there are keys. */
export class PcapDirectorySink implements CaptureSink {
  private readonly writers = new Map<string, PcapWriter>();
  private readonly keyRecords: CryptoKeyRecord[] = [];
  private readonly written = new Map<string, string>();

  constructor(
    readonly dir: string,
    private readonly options: PcapDirectoryOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    // Key tables left by an earlier run would describe other SAs: this run's captures start without them.
    for (const name of [ESP_SA_FILE, IKEV1_DECRYPTION_TABLE_FILE]) rmSync(join(dir, name), { force: true });
  }

  write(wire: WireSpec, atNs: number, bytes: Uint8Array): void {
    const vlan = this.options.split === "vlan" && wire.kind === "ethernet" ? frameVlan(bytes) : null;
    const key = vlan === null ? `${wire.id}` : `${wire.id}.${vlan}`;
    let w = this.writers.get(key);
    if (w === undefined) {
      const file = captureFileName(wire).replace(/\.pcap$/, vlan === null ? ".pcap" : `.vlan${vlan}.pcap`);
      w = openPcapFile(join(this.dir, file), { linktype: linktypeFor(wire.kind) });
      this.writers.set(key, w);
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
