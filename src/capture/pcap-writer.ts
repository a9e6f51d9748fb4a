// Classic libpcap file writer (the format Wireshark and tcpdump read), with
// nanosecond timestamps (magic 0xa1b23c4d) fed from the virtual clock in
// integer nanoseconds. Linktype 1 (DLT_EN10MB, no FCS) for Ethernet ports and
// 104 (DLT_C_HDLC) for serial ports. Records are buffered and written in
// chunks; a file writer can be flushed mid-run so Wireshark sees packets so
// far, and can append to an existing capture of the same linktype.
// Format: https://wiki.wireshark.org/Development/LibpcapFileFormat,
// draft-ietf-opsawg-pcap.

import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";

/*
   File header (24 bytes, written little-endian; readers detect the order from the magic):
   +-------------------------------+---------------+---------------+
   | Magic 0xa1b23c4d (ns)         | Major 2       | Minor 4       |
   +-------------------------------+---------------+---------------+
   | Reserved1 (thiszone) 0        | Reserved2 (sigfigs) 0         |
   +-------------------------------+-------------------------------+
   | SnapLen                       | LinkType                      |
   +-------------------------------+-------------------------------+
   Record header (16 bytes), then Captured Length bytes of packet:
   | Timestamp seconds | Timestamp nanoseconds | Captured Length | Original Length |
*/

export const PCAP_FIELD = {
  MAGIC: [0, 4],
  VERSION_MAJOR: [4, 6],
  VERSION_MINOR: [6, 8],
  THISZONE: [8, 12],
  SIGFIGS: [12, 16],
  SNAPLEN: [16, 20],
  LINKTYPE: [20, 24],
} as const;

export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_FILE_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;
export const PCAP_DEFAULT_SNAPLEN = 262144;

/** LINKTYPE_ETHERNET: Ethernet II without FCS. */
export const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_C_HDLC: Cisco HDLC (address, control, protocol). */
export const LINKTYPE_C_HDLC = 104;

/** The linktype to use for a port of this kind. */
export function linktypeFor(kind: "ethernet" | "serial"): number {
  return kind === "serial" ? LINKTYPE_C_HDLC : LINKTYPE_ETHERNET;
}

/** The pcap file header bytes. */
export function pcapFileHeader(linktype: number, snaplen = PCAP_DEFAULT_SNAPLEN): Uint8Array {
  const b = new Uint8Array(PCAP_FILE_HEADER_LEN);
  const v = new DataView(b.buffer);
  v.setUint32(0, PCAP_MAGIC_NS, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, snaplen, true);
  v.setUint32(20, linktype, true);
  return b;
}

const NS_PER_SEC = 1_000_000_000;

/** Where pcap bytes go. */
export interface PcapSink {
  write(bytes: Uint8Array): void;
  close(): void;
}

/** Options shared by the writers. */
export interface PcapWriterOptions {
  linktype: number;
  snaplen?: number;
  /** Buffered bytes that trigger a write to the sink (default 64 KiB). */
  bufferBytes?: number;
}

/**
 * Writes pcap records to a sink, buffering them. Timestamps are virtual time
 * in integer nanoseconds (a number up to 2^53 ns, about 104 days, or a bigint).
 */
export class PcapWriter {
  readonly linktype: number;
  readonly snaplen: number;
  private readonly limit: number;
  private chunks: Uint8Array[] = [];
  private pending = 0;
  private closed = false;
  /** Packets written so far. */
  packets = 0;

  constructor(
    private readonly sink: PcapSink,
    opts: PcapWriterOptions,
    writeHeader = true,
  ) {
    this.linktype = opts.linktype;
    this.snaplen = opts.snaplen ?? PCAP_DEFAULT_SNAPLEN;
    this.limit = opts.bufferBytes ?? 65536;
    if (writeHeader) this.push(pcapFileHeader(this.linktype, this.snaplen));
  }

  /** Adds one packet seen at `timeNs`; bytes beyond the snaplen are cut, the original length is kept. */
  writePacket(timeNs: number | bigint, bytes: Uint8Array): void {
    if (this.closed) throw new Error("pcap: writer is closed");
    let sec: number;
    let nsec: number;
    if (typeof timeNs === "bigint") {
      sec = Number(timeNs / 1_000_000_000n);
      nsec = Number(timeNs % 1_000_000_000n);
    } else {
      sec = Math.floor(timeNs / NS_PER_SEC);
      nsec = timeNs - sec * NS_PER_SEC;
    }
    if (sec < 0 || sec > 0xffffffff) throw new RangeError(`pcap: timestamp ${timeNs} ns out of range`);
    const caplen = Math.min(bytes.length, this.snaplen);
    const rec = new Uint8Array(PCAP_RECORD_HEADER_LEN + caplen);
    const v = new DataView(rec.buffer);
    v.setUint32(0, sec, true);
    v.setUint32(4, nsec, true);
    v.setUint32(8, caplen, true);
    v.setUint32(12, bytes.length, true);
    rec.set(caplen === bytes.length ? bytes : bytes.subarray(0, caplen), PCAP_RECORD_HEADER_LEN);
    this.push(rec);
    this.packets++;
  }

  /** Hands buffered records to the sink. */
  flush(): void {
    if (this.chunks.length === 0) return;
    const all = this.chunks.length === 1 ? this.chunks[0]! : concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    this.sink.write(all);
  }

  /** Flushes and closes the sink; further writes throw. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.sink.close();
  }

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.pending += b.length;
    if (this.pending >= this.limit) this.flush();
  }
}

/** A sink that collects everything in memory (tests, web downloads). */
export class MemorySink implements PcapSink {
  private parts: Uint8Array[] = [];
  private length = 0;
  write(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }
  close(): void {}
  /** All bytes written so far. */
  bytes(): Uint8Array {
    return concat(this.parts, this.length);
  }
}

/** A writer that builds the capture in memory; `bytes()` flushes and returns the file. */
export class MemoryPcapWriter extends PcapWriter {
  private readonly mem: MemorySink;
  constructor(opts: PcapWriterOptions) {
    const mem = new MemorySink();
    super(mem, opts);
    this.mem = mem;
  }
  /** The whole pcap file so far. */
  bytes(): Uint8Array {
    this.flush();
    return this.mem.bytes();
  }
}

/** A sink writing to a file descriptor with node:fs. */
export class FileSink implements PcapSink {
  constructor(private readonly fd: number) {}
  write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Opens a pcap file for writing. With `append`, an existing non-empty file is
 * continued if its header is a nanosecond pcap of the same linktype (else it
 * throws); otherwise the file is created or truncated.
 */
export function openPcapFile(path: string, opts: PcapWriterOptions & { append?: boolean }): PcapWriter {
  if (opts.append) {
    const fd = openSync(path, "a+");
    const size = fstatSync(fd).size;
    if (size > 0) {
      const head = new Uint8Array(PCAP_FILE_HEADER_LEN);
      readSync(fd, head, 0, PCAP_FILE_HEADER_LEN, 0);
      const v = new DataView(head.buffer);
      if (
        size < PCAP_FILE_HEADER_LEN ||
        v.getUint32(0, true) !== PCAP_MAGIC_NS ||
        v.getUint32(20, true) !== opts.linktype
      ) {
        closeSync(fd);
        throw new Error(`pcap: ${path} is not a nanosecond pcap with linktype ${opts.linktype}`);
      }
      return new PcapWriter(new FileSink(fd), { ...opts, snaplen: v.getUint32(16, true) }, false);
    }
    return new PcapWriter(new FileSink(fd), opts);
  }
  return new PcapWriter(new FileSink(openSync(path, "w")), opts);
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
