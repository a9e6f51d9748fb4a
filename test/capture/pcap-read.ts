// Test helpers: read back the nanosecond pcaps wanlab writes, split an
// Ethernet segment's capture by 802.1Q VLAN (one file per routed hop, as a
// sniffer on that hop would see it), and ask tshark for fields per frame.

import { spawnSync } from "node:child_process";
import { LINKTYPE_ETHERNET, MemoryPcapWriter } from "../../src/capture/pcap-writer.ts";
import { parseEthernet } from "../../src/wire/ethernet.ts";

/** One captured frame. */
export interface PcapPacket {
  timeNs: number;
  bytes: Uint8Array;
}

/** Reads a little-endian nanosecond pcap (magic 0xa1b23c4d); throws on anything else (test input is ours). */
export function readPcap(b: Uint8Array): { linktype: number; packets: PcapPacket[] } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 24 || v.getUint32(0, true) !== 0xa1b23c4d) throw new Error("not a little-endian nanosecond pcap");
  const packets: PcapPacket[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const cap = v.getUint32(o + 8, true);
    packets.push({
      timeNs: v.getUint32(o, true) * 1e9 + v.getUint32(o + 4, true),
      bytes: b.slice(o + 16, o + 16 + cap),
    });
    o += 16 + cap;
  }
  return { linktype: v.getUint32(20, true), packets };
}

/** Splits an Ethernet capture by VLAN id (untagged frames under 0), each as a pcap file image. */
export function splitByVlan(pcap: Uint8Array): Map<number, Uint8Array> {
  const { linktype, packets } = readPcap(pcap);
  if (linktype !== LINKTYPE_ETHERNET) throw new Error(`linktype ${linktype} is not Ethernet`);
  const writers = new Map<number, MemoryPcapWriter>();
  for (const p of packets) {
    const eth = parseEthernet(p.bytes);
    const vid = eth.ok && eth.value.vlan !== undefined ? eth.value.vlan.vid : 0;
    let w = writers.get(vid);
    if (w === undefined) writers.set(vid, (w = new MemoryPcapWriter({ linktype })));
    w.writePacket(p.timeNs, p.bytes);
  }
  return new Map([...writers].sort((a, b) => a[0] - b[0]).map(([vid, w]) => [vid, w.bytes()]));
}

/** True if tshark runs here. */
export const hasTshark = spawnSync("tshark", ["--version"]).status === 0;

/**
 * Runs tshark on a capture and returns one record per frame with the named
 * fields (multiple occurrences joined by ","). `configDir` becomes Wireshark's
 * personal configuration folder (WIRESHARK_CONFIG_DIR), where it reads UAT
 * files such as esp_sa; `prefs` are passed as `-o name:value`.
 */
export function tsharkFields(
  path: string,
  fields: string[],
  opts: { configDir?: string; prefs?: string[]; filter?: string } = {},
): Array<Record<string, string>> {
  const args = ["-r", path, "-n", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"];
  for (const p of opts.prefs ?? []) args.push("-o", p);
  for (const f of fields) args.push("-e", f);
  if (opts.filter !== undefined) args.push("-Y", opts.filter);
  const env = { ...process.env };
  if (opts.configDir !== undefined) env.WIRESHARK_CONFIG_DIR = opts.configDir;
  const r = spawnSync("tshark", args, { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`tshark failed (${r.status}): ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((line) => {
      const cols = line.split("\t");
      return Object.fromEntries(fields.map((f, i) => [f, cols[i] ?? ""]));
    });
}
