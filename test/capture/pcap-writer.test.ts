import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  LINKTYPE_C_HDLC,
  LINKTYPE_ETHERNET,
  linktypeFor,
  MemoryPcapWriter,
  openPcapFile,
  pcapFileHeader,
} from "../../src/capture/pcap-writer.ts";

const dir = mkdtempSync(join(tmpdir(), "wanlab-pcap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads back a little-endian nanosecond pcap: [linktype, records]. */
function readPcap(b: Uint8Array): {
  linktype: number;
  snaplen: number;
  records: Array<{ sec: number; nsec: number; orig: number; data: Uint8Array }>;
} {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  expect(v.getUint32(0, true)).toBe(0xa1b23c4d);
  expect([v.getUint16(4, true), v.getUint16(6, true)]).toEqual([2, 4]);
  const records = [];
  for (let o = 24; o < b.length; ) {
    const cap = v.getUint32(o + 8, true);
    records.push({
      sec: v.getUint32(o, true),
      nsec: v.getUint32(o + 4, true),
      orig: v.getUint32(o + 12, true),
      data: b.slice(o + 16, o + 16 + cap),
    });
    o += 16 + cap;
  }
  return { linktype: v.getUint32(20, true), snaplen: v.getUint32(16, true), records };
}

describe("pcap writer", () => {
  test("file header bytes (libpcap format, nanosecond magic, linktype 1)", () => {
    expect(Array.from(pcapFileHeader(LINKTYPE_ETHERNET, 65535))).toEqual([
      0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
    ]);
    expect(linktypeFor("serial")).toBe(LINKTYPE_C_HDLC);
    expect(linktypeFor("ethernet")).toBe(LINKTYPE_ETHERNET);
  });

  test("records carry virtual time in ns, split into seconds and nanoseconds", () => {
    const w = new MemoryPcapWriter({ linktype: LINKTYPE_C_HDLC });
    w.writePacket(0, new Uint8Array([1]));
    w.writePacket(1_500_000_001, new Uint8Array([2, 3]));
    w.writePacket(86_400_000_000_000_123n, new Uint8Array([4]));
    const r = readPcap(w.bytes());
    expect(r.linktype).toBe(104);
    expect(r.records.map((x) => [x.sec, x.nsec])).toEqual([
      [0, 0],
      [1, 500_000_001],
      [86_400_000, 123],
    ]);
    expect(r.records[1]!.data).toEqual(new Uint8Array([2, 3]));
    expect(w.packets).toBe(3);
  });

  test("snaplen cuts the captured bytes and keeps the original length", () => {
    const w = new MemoryPcapWriter({ linktype: 1, snaplen: 4 });
    w.writePacket(5, new Uint8Array(10).fill(7));
    const [rec] = readPcap(w.bytes()).records;
    expect([rec!.data.length, rec!.orig]).toEqual([4, 10]);
  });

  test("rejects negative time and writes after close", () => {
    const w = new MemoryPcapWriter({ linktype: 1 });
    expect(() => w.writePacket(-1, new Uint8Array(1))).toThrow(RangeError);
    w.close();
    expect(() => w.writePacket(0, new Uint8Array(1))).toThrow();
  });

  test("file writer buffers, flushes mid-run and closes", () => {
    const path = join(dir, "a.pcap");
    const w = openPcapFile(path, { linktype: 1, bufferBytes: 1 << 20 });
    w.writePacket(1, new Uint8Array(60));
    expect(readFileSync(path).length).toBe(0); // still buffered
    w.flush();
    expect(readFileSync(path).length).toBe(24 + 16 + 60);
    w.writePacket(2, new Uint8Array(60));
    w.close();
    expect(readPcap(new Uint8Array(readFileSync(path))).records.length).toBe(2);
  });

  test("append continues a capture of the same linktype and refuses another", () => {
    const path = join(dir, "b.pcap");
    const a = openPcapFile(path, { linktype: 104, append: true });
    a.writePacket(1, new Uint8Array([0x0f, 0, 8, 0]));
    a.close();
    const b = openPcapFile(path, { linktype: 104, append: true });
    b.writePacket(2, new Uint8Array([0x8f, 0, 0x80, 0x35]));
    b.close();
    const r = readPcap(new Uint8Array(readFileSync(path)));
    expect(r.records.map((x) => x.nsec)).toEqual([1, 2]);
    expect(() => openPcapFile(path, { linktype: 1, append: true })).toThrow();
  });
});
