// Captures started and stopped per link from the dashboard, kept in memory:
// while a link's capture runs, its frames go to a pcap being built in memory
// (Ethernet links as Ethernet, serial links as Cisco HDLC, as the capture
// folder writes them); a download is the pcap so far. Key material from the
// devices' SAs is kept as Wireshark's key tables so the download decrypts.
// The lab sends every frame here once created with this sink; links without a
// running capture cost a map lookup. A running capture also keeps its last
// frames as one-line summaries (frame-summary.ts) for the "follow" view.

import type { CryptoKeyRecord } from "../capture/crypto-keys.ts";
import { linktypeFor, MemoryPcapWriter } from "../capture/pcap-writer.ts";
import {
  ESP_SA_FILE,
  IKEV1_DECRYPTION_TABLE_FILE,
  renderEspSa,
  renderIkev1DecryptionTable,
} from "../capture/wireshark-keys.ts";
import type { CaptureSink } from "../runtime/lab.ts";
import type { WireSpec } from "../runtime/topology.ts";
import { FrameSummarizer } from "./frame-summary.ts";

/** The Wireshark key tables a download offers. */
export const KEY_TABLES = [ESP_SA_FILE, IKEV1_DECRYPTION_TABLE_FILE] as const;

/** Frames the follow view keeps per link. */
export const FOLLOW_FRAMES = 50;

/** One frame in the follow view. */
export interface FollowedFrame {
  readonly timeNs: number;
  readonly length: number;
  readonly summary: string;
}

/** A link's capture: running or stopped, with what it holds. */
interface LinkCapture {
  readonly writer: MemoryPcapWriter;
  running: boolean;
  packets: number;
  readonly summarizer: FrameSummarizer;
  /** The last FOLLOW_FRAMES frames, oldest first. */
  readonly recent: FollowedFrame[];
}

/** Per-link captures in memory, switched on and off while the lab runs. */
export class LinkCaptures implements CaptureSink {
  private readonly captures = new Map<number, LinkCapture>();
  private readonly keyRecords: CryptoKeyRecord[] = [];

  write(wire: WireSpec, atNs: number, bytes: Uint8Array): void {
    const c = this.captures.get(wire.id);
    if (c === undefined || !c.running) return;
    c.writer.writePacket(atNs, bytes);
    c.packets++;
    c.recent.push({ timeNs: atNs, length: bytes.length, summary: c.summarizer.summarize(wire.kind, bytes) });
    if (c.recent.length > FOLLOW_FRAMES) c.recent.shift();
  }

  keys(records: readonly CryptoKeyRecord[]): void {
    this.keyRecords.push(...records);
  }

  /** Starts a new capture on the wire (a running one goes on). */
  start(wire: WireSpec): void {
    const c = this.captures.get(wire.id);
    if (c?.running) return;
    this.captures.set(wire.id, {
      writer: new MemoryPcapWriter({ linktype: linktypeFor(wire.kind) }),
      running: true,
      packets: 0,
      summarizer: new FrameSummarizer(),
      recent: [],
    });
  }

  /** Stops the wire's capture; what it caught stays downloadable. */
  stop(wire: WireSpec): void {
    const c = this.captures.get(wire.id);
    if (c !== undefined) c.running = false;
  }

  /** Whether the wire's capture runs, and how many frames it holds (null: never started). */
  state(wire: WireSpec): { running: boolean; packets: number } | null {
    const c = this.captures.get(wire.id);
    return c === undefined ? null : { running: c.running, packets: c.packets };
  }

  /** The last frames of the wire's capture, one line each (null when no capture was ever started on it). */
  follow(wire: WireSpec): readonly FollowedFrame[] | null {
    return this.captures.get(wire.id)?.recent ?? null;
  }

  /** The wire's pcap so far, or null when no capture was ever started on it. */
  pcap(wire: WireSpec): Uint8Array | null {
    return this.captures.get(wire.id)?.writer.bytes() ?? null;
  }

  /** A Wireshark key table (`esp_sa`, `ikev1_decryption_table`) for the SAs set up so far. */
  keyTable(name: (typeof KEY_TABLES)[number]): string {
    return name === ESP_SA_FILE ? renderEspSa(this.keyRecords) : renderIkev1DecryptionTable(this.keyRecords);
  }

  close(): void {}
}
