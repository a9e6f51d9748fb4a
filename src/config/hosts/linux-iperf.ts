// iperf (version 2, the `iperf` package) on the Linux host: the bulk TCP
// transfer users run to measure a path, over the device's TCP
// (src/dataplane/tcp). `iperf -s -D` (in the host's .cfg or at the prompt)
// leaves a server listening on TCP 5001 (or `-p`) that reads and discards
// what clients send; `iperf -s` runs it in the foreground until Ctrl-C,
// reporting each connection; `iperf -c A [-p port] [-n bytes[K|M]] [-t secs]
// [-P n] [-S tos] [-m]` connects (n streams at once, their segments with
// ToS `tos`), sends iperf's digit pattern ("0123456789" repeated) and
// closes, then prints iperf 2's report (Transfer in 1024-based units,
// Bandwidth in bits per second, 1000-based); `-m` adds the MSS the
// connection uses and the MTU it implies, as iperf reads them from the
// kernel (TCP_MAXSEG). The words are iperf 2.0's. `-u` (or `-b`) selects
// UDP: server and client live in linux-iperf-udp.ts.

import type { TcpCloseReason, TcpConnection } from "../../dataplane/tcp/tcp-connection.ts";
import { TCP_RECEIVE_WINDOW } from "../../dataplane/tcp/tcp-connection.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { formatIpv4Address, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { ExecJob, RouterDevice } from "../router/router-device.ts";
import { IPERF_UDP_RATE, listenIperfUdp } from "./linux-iperf-udp.ts";

export const IPERF_PORT = 5001;
const RULE = "------------------------------------------------------------";
/** iperf's default write size (-l): 128 KByte. */
const WRITE_LEN = 128 * 1024;

export interface IperfClientOptions {
  mode: "client";
  target: number;
  port: number;
  /** Bytes to send (-n); null: for `seconds` (-t). */
  bytes: number | null;
  seconds: number;
  printMss: boolean;
  /** -S: the ToS byte of what the client sends (0 by default). */
  tos: number;
  /** -P: parallel TCP connections (1 by default). */
  parallel: number;
  /** -u (or -b): UDP instead of TCP. */
  udp: boolean;
  /** -b: UDP rate in bits per second (iperf 2's 1 Mbit/s by default). */
  rateBps: number;
  /** -l: UDP datagram payload (1470) or TCP write size (128 KByte) in bytes. */
  len: number | null;
}
export interface IperfServerOptions {
  mode: "server";
  port: number;
  daemon: boolean;
  /** -u: a UDP server. */
  udp: boolean;
}

/** Parses iperf's arguments; a string is what iperf prints instead. */
export function parseIperf(text: string): IperfClientOptions | IperfServerOptions | string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let server = false;
  let daemon = false;
  let target: number | null = null;
  let port = IPERF_PORT;
  let bytes: number | null = null;
  let seconds = 10;
  let printMss = false;
  let tos = 0;
  let parallel = 1;
  let udp = false;
  let rateBps = IPERF_UDP_RATE;
  let len: number | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "-s" || w === "--server") server = true;
    else if (w === "-D" || w === "--daemon") daemon = true;
    else if (w === "-m" || w === "--print_mss") printMss = true;
    else if (w === "-u" || w === "--udp") udp = true;
    else if (w === "-b" || w === "--bandwidth") {
      const v = byteCount(words[++i] ?? "");
      if (v === null) return `iperf: invalid bandwidth ${words[i] ?? ""}`;
      rateBps = v;
      udp = true; // iperf 2: -b implies -u
    } else if (w === "-l" || w === "--len") {
      const v = byteCount(words[++i] ?? "");
      if (v === null || v < 16 || v > 65507) return `iperf: invalid length ${words[i] ?? ""}`;
      len = v;
    } else if (w === "-c" || w === "--client") {
      const a = parseIpv4Address(words[++i] ?? "");
      if (a === null) return `error: cannot resolve ${words[i] ?? ""}`;
      target = a;
    } else if (w === "-p" || w === "--port") {
      const v = Number(words[++i]);
      if (!Number.isInteger(v) || v < 1 || v > 65535) return `iperf: invalid port ${words[i] ?? ""}`;
      port = v;
    } else if (w === "-n" || w === "--num") {
      const v = byteCount(words[++i] ?? "");
      if (v === null) return `iperf: invalid byte count ${words[i] ?? ""}`;
      bytes = v;
    } else if (w === "-S" || w === "--tos") {
      // iperf reads the value as C does: 0x.. hex, 0.. octal, else decimal.
      const t = words[++i] ?? "";
      const v = /^0x[0-9a-f]+$/i.test(t) ? Number(t) : /^0[0-7]*$/.test(t) ? Number.parseInt(t, 8) : Number(t);
      if (!Number.isInteger(v) || v < 0 || v > 255) return `iperf: invalid tos ${t}`;
      tos = v;
    } else if (w === "-P" || w === "--parallel") {
      const v = Number(words[++i]);
      if (!Number.isInteger(v) || v < 1 || v > 128) return `iperf: invalid parallel count ${words[i] ?? ""}`;
      parallel = v;
    } else if (w === "-t" || w === "--time") {
      const v = Number(words[++i]);
      if (!Number.isFinite(v) || v <= 0) return `iperf: invalid time ${words[i] ?? ""}`;
      seconds = v;
    } else return `iperf: ignoring extra argument -- ${w}\n${USAGE}`;
  }
  if (server && target !== null) return "iperf: cannot be client and server simultaneously";
  if (server) return { mode: "server", port, daemon, udp };
  if (target === null) return USAGE;
  if (udp && (parallel > 1 || bytes !== null)) return "iperf: -P and -n are for TCP streams here";
  return { mode: "client", target, port, bytes, seconds, printMss, tos, parallel, udp, rateBps, len };
}

const USAGE = "Usage: iperf [-s|-c host] [options]\nTry `iperf --help' for more information.";

/** `-n 100K`: K and M are 1024-based, as iperf reads them. */
function byteCount(w: string): number | null {
  const m = /^(\d+)([KkMmGg]?)$/.exec(w);
  if (m === null) return null;
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()]!;
  const n = Number(m[1]) * unit;
  return n > 0 ? n : null;
}

/** iperf's adaptive byte format (1024-based). */
export function iperfBytes(n: number): string {
  const units: Array<[number, string]> = [
    [1024 ** 3, "GBytes"],
    [1024 ** 2, "MBytes"],
    [1024, "KBytes"],
  ];
  for (const [u, name] of units) if (n >= u) return `${num(n / u)} ${name}`;
  return `${num(n)} Bytes`;
}

/** iperf's adaptive bit-rate format (1000-based). */
export function iperfBits(bitsPerSecond: number): string {
  const units: Array<[number, string]> = [
    [1e9, "Gbits/sec"],
    [1e6, "Mbits/sec"],
    [1e3, "Kbits/sec"],
  ];
  for (const [u, name] of units) if (bitsPerSecond >= u) return `${num(bitsPerSecond / u)} ${name}`;
  return `${num(bitsPerSecond)} bits/sec`;
}

/** iperf 2's number width: two decimals below 10, one below 100, none above. */
function num(v: number): string {
  if (v < 9.995) return v.toFixed(2).padStart(4);
  if (v < 99.95) return v.toFixed(1).padStart(4);
  return v.toFixed(0).padStart(4);
}

function interval(fromS: number, toS: number): string {
  return `${fromS.toFixed(1).padStart(4)}-${toS.toFixed(1).padStart(4)} sec`;
}

/** The report line of one finished transfer. */
export function reportLine(id: number, bytes: number, ns: TimeNs): string {
  const s = ns / 1e9;
  const rate = s > 0 ? (bytes * 8) / s : 0;
  return `[${String(id).padStart(3)}] ${interval(0, s)}  ${iperfBytes(bytes)}  ${iperfBits(rate)}`;
}

/** iperf's name for an MTU (-m). */
function mtuName(mtu: number): string {
  const names: Record<number, string> = { 1500: "ethernet", 1492: "PPPOE", 1280: "IPv6 minimum", 576: "minimum" };
  return names[mtu] ?? "unknown interface";
}

function windowLine(): string {
  return `TCP window size: ${(TCP_RECEIVE_WINDOW / 1024).toFixed(1)} KByte (default)`;
}

/** Listens with an iperf server that discards what it reads; `report` hears each finished connection. */
export function listenIperf(
  device: RouterDevice,
  port: number,
  report?: (c: TcpConnection, bytes: number, ns: TimeNs) => void,
  connected?: (c: TcpConnection) => void,
): () => void {
  return device.tcp.listen(port, (c) => {
    let bytes = 0;
    let from: TimeNs | null = null;
    return {
      established: () => {
        from = device.now();
        connected?.(c);
      },
      data: (d) => void (bytes += d.length),
      peerClosed: () => {
        report?.(c, bytes, device.now() - (from ?? device.now()));
        c.close();
      },
    };
  });
}

/** `iperf -s [-u] -D`: the daemon lives as long as the device. */
export function startIperfDaemon(device: RouterDevice, port: number, udp = false): string {
  if (udp) {
    if (device.stack.udpBound(port)) return "bind failed: Address already in use";
    listenIperfUdp(device, port);
    return "Running Iperf Server as a daemon";
  }
  if (device.tcp.listening(port)) return "bind failed: Address already in use";
  listenIperf(device, port);
  return "Running Iperf Server as a daemon";
}

/** `iperf -s` in the foreground: reports connections until Ctrl-C. */
export class IperfServerJob implements ExecJob {
  private stop: (() => void) | null = null;
  private nextId = 4;

  constructor(
    private readonly device: RouterDevice,
    private readonly opts: IperfServerOptions,
    private readonly write: (text: string) => void,
    private readonly done: () => void,
  ) {}

  start(): void {
    if (this.device.tcp.listening(this.opts.port)) {
      this.write("bind failed: Address already in use\n");
      return this.done();
    }
    this.write(`${RULE}\nServer listening on TCP port ${this.opts.port}\n${windowLine()}\n${RULE}\n`);
    const ids = new Map<TcpConnection, number>();
    this.stop = listenIperf(
      this.device,
      this.opts.port,
      (c, bytes, ns) => {
        const id = ids.get(c) ?? 0;
        this.write(`[ ID] Interval       Transfer     Bandwidth\n${reportLine(id, bytes, ns)}\n`);
      },
      (c) => {
        const id = this.nextId++;
        ids.set(c, id);
        this.write(`${connectedLine(id, c)}\n`);
      },
    );
  }

  abort(): void {
    this.stop?.();
    this.stop = null;
  }

  interrupt(): void {
    this.abort();
    this.write("^C");
    this.done();
  }
}

function connectedLine(id: number, c: TcpConnection): string {
  return `[${String(id).padStart(3)}] local ${formatIpv4Address(c.localAddress)} port ${c.localPort} connected with ${formatIpv4Address(c.remoteAddress)} port ${c.remotePort}`;
}

/** One TCP stream of `iperf -c` (iperf 2 numbers them 3, 4, ...). */
class IperfStream {
  conn: TcpConnection | null = null;
  startedAt: TimeNs = 0;
  written = 0;
  deadline: TimerHandle | null = null;
  finished = false;
  reported = false;
  constructor(readonly id: number) {}
}

/** `iperf -c`: `-P` parallel connections (one by default), the transfers, the reports and, with several, the sum. */
export class IperfClientJob implements ExecJob {
  private readonly streams: IperfStream[] = [];
  private ended = false;

  constructor(
    private readonly device: RouterDevice,
    private readonly opts: IperfClientOptions,
    private readonly write: (text: string) => void,
    private readonly done: () => void,
  ) {}

  start(): void {
    const o = this.opts;
    this.write(
      `${RULE}\nClient connecting to ${formatIpv4Address(o.target)}, TCP port ${o.port}\n${windowLine()}\n${RULE}\n`,
    );
    for (let i = 0; i < o.parallel; i++) {
      const s = new IperfStream(3 + i);
      this.streams.push(s);
      const c = this.device.tcp.connect(
        o.target,
        o.port,
        {
          established: () => this.established(s),
          drained: () => this.refill(s),
          peerClosed: () => s.conn?.close(),
          closed: (reason) => this.closed(s, reason),
        },
        o.tos,
      );
      if (typeof c === "string") return this.end("connect failed: Network is unreachable");
      s.conn = c;
    }
  }

  private established(s: IperfStream): void {
    const c = s.conn!;
    s.startedAt = this.device.now();
    this.write(`${connectedLine(s.id, c)}\n`);
    if (this.opts.bytes === null)
      s.deadline = this.device.timers.after(this.opts.seconds * 1e9, "iperf-time", () => {
        s.deadline = null;
        s.conn?.close();
      });
    this.refill(s);
  }

  /** Keeps a stream's send buffer fed: everything at once for -n, a write at a time for -t. */
  private refill(s: IperfStream): void {
    const c = s.conn;
    if (c === null || s.finished) return;
    const total = this.opts.bytes;
    const writeLen = this.opts.len ?? WRITE_LEN;
    if (total !== null) {
      if (s.written >= total) return void (c.unacknowledged === 0 && this.finish(s));
      c.write(digits(s.written, total - s.written));
      s.written = total;
      c.close();
      return;
    }
    if (s.deadline === null) return void (c.unacknowledged === 0 && this.finish(s));
    c.write(digits(s.written, writeLen));
    s.written += writeLen;
  }

  /** Everything a stream sent was acknowledged and its FIN is on its way: its report. */
  private finish(s: IperfStream): void {
    this.report(s);
    s.finished = true;
    this.maybeEnd();
  }

  private report(s: IperfStream): void {
    if (s.reported || s.conn === null) return;
    s.reported = true;
    const c = s.conn;
    if (this.opts.printMss)
      this.write(
        `[${String(s.id).padStart(3)}] MSS size ${c.sendMss} bytes (MTU ${c.sendMss + 40} bytes, ${mtuName(c.sendMss + 40)})\n`,
      );
    const header = s.id === 3 || this.opts.parallel === 1 ? "[ ID] Interval       Transfer     Bandwidth\n" : "";
    this.write(`${header}${reportLine(s.id, c.stats.bytesAcked, this.device.now() - s.startedAt)}\n`);
  }

  private closed(s: IperfStream, reason: TcpCloseReason): void {
    if (s.finished || this.ended) return;
    if (reason === "refused") return this.end("connect failed: Connection refused");
    if (reason === "timedOut" && s.startedAt === 0) return this.end("connect failed: Connection timed out");
    if (reason === "reset") this.write("write failed: Connection reset by peer\n");
    if (reason === "timedOut") this.write("write failed: Connection timed out\n");
    this.report(s);
    s.finished = true;
    this.maybeEnd();
  }

  /** All streams done: with several, iperf's [SUM] line over the longest interval; then the prompt. */
  private maybeEnd(): void {
    if (!this.streams.every((s) => s.finished)) return;
    if (this.streams.length > 1) {
      const bytes = this.streams.reduce((n, s) => n + (s.conn?.stats.bytesAcked ?? 0), 0);
      const first = Math.min(...this.streams.map((s) => s.startedAt));
      const ns = this.device.now() - first;
      const rate = ns > 0 ? (bytes * 8) / (ns / 1e9) : 0;
      this.write(`[SUM] ${interval(0, ns / 1e9)}  ${iperfBytes(bytes)}  ${iperfBits(rate)}\n`);
    }
    this.end(null);
  }

  private end(message: string | null): void {
    if (this.ended) return;
    this.ended = true;
    for (const s of this.streams) s.deadline?.cancel();
    if (message !== null) this.write(`${message}\n`);
    this.done();
  }

  abort(): void {
    this.ended = true;
    for (const s of this.streams) {
      s.finished = true;
      s.deadline?.cancel();
      s.conn?.abort();
    }
  }

  interrupt(): void {
    if (this.ended) return;
    for (const s of this.streams) this.report(s);
    this.abort();
    this.write("^C");
    this.done();
  }
}

/** iperf's payload: the digits 0-9 repeated, continuing from `offset`. */
function digits(offset: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = 0x30 + ((offset + i) % 10);
  return b;
}

/** Help texts of the iperf words. */
export const IPERF_HELP: Readonly<Record<string, string>> = {
  iperf:
    "Measure TCP or UDP throughput (iperf 2): -s [-u] [-D] [-p port] | -c A [-u -b rate[K|M]] [-l len] [-p port] [-n bytes[K|M]] [-t secs] [-P n] [-S tos] [-m]",
  "iperf <args>":
    "-s server (-D as a daemon), -c A client, -u UDP, -b UDP rate in bits/s, -l datagram/write length, -p port, -n bytes, -t seconds, -P parallel streams, -S type of service, -m print the MSS",
};
