// One TCP connection (RFC 9293, which obsoletes RFC 793; the state names are
// RFC 793's): the three-way handshake with an MSS option, data segments no
// larger than the peer's MSS within its window and a congestion window
// (RFC 5681 slow start and congestion avoidance, initial window of 10
// segments per RFC 6928), cumulative and delayed ACKs (every second segment,
// else after 40 ms as Linux), a reorder queue for segments that arrive early
// (answered with a duplicate ACK), fast retransmit on the third duplicate ACK,
// retransmission on the virtual clock (RFC 6298: 1 s initial RTO, 200 ms
// floor as Linux, exponential backoff, Karn's rule), FIN close through
// FIN-WAIT-1/2, CLOSING, CLOSE-WAIT, LAST-ACK and TIME-WAIT, and RST.
// No window scaling, SACK or timestamps: the SYN carries only MSS, and the
// receive window is a fixed 65535 because applications here consume at once.
// Parse/emit is src/wire/tcp.ts; demultiplexing and closed ports are
// tcp-endpoints.ts.

import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type TcpSegment } from "../../wire/tcp.ts";

/** RFC 793's connection states. */
export type TcpState =
  | "CLOSED"
  | "LISTEN"
  | "SYN-SENT"
  | "SYN-RECEIVED"
  | "ESTABLISHED"
  | "FIN-WAIT-1"
  | "FIN-WAIT-2"
  | "CLOSE-WAIT"
  | "CLOSING"
  | "LAST-ACK"
  | "TIME-WAIT";

/** Why a connection reached CLOSED. */
export type TcpCloseReason = "closed" | "reset" | "refused" | "timedOut" | "aborted";

/** What a connection tells the application using it (every callback optional). */
export interface TcpApplication {
  /** The handshake completed (ESTABLISHED). */
  established?(): void;
  /** In-order bytes from the peer. */
  data?(bytes: Uint8Array): void;
  /** The peer sent FIN: no more data will come. */
  peerClosed?(): void;
  /** Everything written so far has been acknowledged. */
  drained?(): void;
  /** The connection is gone. */
  closed?(reason: TcpCloseReason): void;
}

/** What a connection needs from its device. */
export interface TcpConnectionIo {
  /** Sends one segment to the peer (the endpoints add the IP header). */
  send(seg: TcpSegment): void;
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  now(): TimeNs;
  /** The connection reached CLOSED: forget it. */
  released(): void;
}

/** The 4-tuple and the starting values of a connection. */
export interface TcpConnectionParams {
  localAddress: number;
  localPort: number;
  remoteAddress: number;
  remotePort: number;
  /** Initial send sequence number (seeded random). */
  iss: number;
  /** The MSS we announce: the outgoing interface's IP MTU less 40. */
  mss: number;
}

/** The window we advertise (no window scaling). */
export const TCP_RECEIVE_WINDOW = 65535;
/** MSS assumed when the peer's SYN has no MSS option (RFC 9293 3.7.1). */
export const TCP_DEFAULT_MSS = 536;
/** The smallest segment PMTUD shrinks to: IPv4's minimum MTU (68) less 40 bytes of headers. */
const MIN_PATH_MSS = 28;
const INITIAL_RTO_NS = 1e9;
const MIN_RTO_NS = 200e6;
const MAX_RTO_NS = 120e9;
const DELAYED_ACK_NS = 40e6;
/** Linux's 2*MSL. */
export const TIME_WAIT_NS = 60e9;
/** Linux's tcp_syn_retries. */
const SYN_RETRIES = 6;
/** Retransmissions of data before giving up (Linux's tcp_retries2 is 15; a lab needs less). */
const DATA_RETRIES = 8;

const M32 = 0x1_0000_0000;
/** a - b in sequence space, as a signed 32-bit distance. */
export function seqDiff(a: number, b: number): number {
  return ((a - b) | 0) as number;
}
function seqAdd(a: number, n: number): number {
  return ((a + n) % M32) >>> 0;
}

/** One connection's state machine. */
export class TcpConnection {
  state: TcpState = "CLOSED";
  readonly localAddress: number;
  readonly localPort: number;
  readonly remoteAddress: number;
  readonly remotePort: number;
  /** Our MSS (announced) and the peer's (from its SYN). */
  readonly mss: number;
  peerMss = TCP_DEFAULT_MSS;
  /** The path's MSS once an ICMP fragmentation-needed told it (RFC 1191). */
  private pathMss: number | undefined;
  app: TcpApplication = {};

  // Send side (RFC 9293 3.3.1 names).
  private readonly iss: number;
  private sndUna: number;
  private sndNxt: number;
  /** Highest sequence number sent so far (sndNxt goes back on a timeout). */
  private sndMax: number;
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  /** Bytes from sndUna on: sent but unacknowledged, then not yet sent. */
  private pending = new Uint8Array(0);
  private closeRequested = false;
  private finSent = false;
  /** Sequence number of our FIN once sent. */
  private finSeq: number | null = null;
  // Receive side.
  private irs = 0;
  private rcvNxt = 0;
  private readonly early = new Map<number, { data: Uint8Array; fin: boolean }>();
  private unackedSegments = 0;
  private delayedAck: TimerHandle | null = null;
  // Congestion control and retransmission.
  private cwnd: number;
  private ssthresh = TCP_RECEIVE_WINDOW;
  private dupAcks = 0;
  private rto = INITIAL_RTO_NS;
  private srtt: number | null = null;
  private rttvar = 0;
  private rttProbe: { seq: number; at: TimeNs } | null = null;
  private retransmitTimer: TimerHandle | null = null;
  private retries = 0;
  private timeWaitTimer: TimerHandle | null = null;

  /** Counters for `ss -ti`-style inspection and tests. */
  readonly stats = { segmentsSent: 0, segmentsReceived: 0, retransmits: 0, bytesAcked: 0, bytesReceived: 0 };

  constructor(
    params: TcpConnectionParams,
    private readonly io: TcpConnectionIo,
  ) {
    this.localAddress = params.localAddress;
    this.localPort = params.localPort;
    this.remoteAddress = params.remoteAddress;
    this.remotePort = params.remotePort;
    this.mss = params.mss;
    this.iss = params.iss >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.sndMax = this.iss;
    this.cwnd = 10 * params.mss;
  }

  /** The MSS data segments use: the peer's, never above our own (RFC 9293 3.7.1) nor the path's (RFC 1191). */
  get sendMss(): number {
    return Math.min(this.peerMss, this.mss, this.pathMss ?? this.mss);
  }

  /**
   * RFC 1191: a router could not forward one of our segments (DF set) and named its next-hop MTU.
   * Segments shrink to fit the path, and what was in flight goes again at the new size.
   */
  pathMtuLearned(mtu: number): void {
    const mss = Math.max(mtu - 40, MIN_PATH_MSS);
    if (mss >= this.sendMss) return;
    this.pathMss = mss;
    if (this.state === "SYN-SENT" || this.state === "SYN-RECEIVED" || this.pending.length === 0) return;
    this.rttProbe = null;
    this.sndNxt = this.sndUna;
    this.finSent = false;
    this.output();
  }

  /** Bytes written but not yet acknowledged. */
  get unacknowledged(): number {
    return this.pending.length;
  }

  /** Active open: sends SYN (SYN-SENT). */
  open(): void {
    this.state = "SYN-SENT";
    this.sendSyn(false);
  }

  /** Passive open: a SYN reached a listening port; answers SYN-ACK (SYN-RECEIVED). */
  accept(syn: TcpSegment): void {
    this.irs = syn.seq;
    this.rcvNxt = seqAdd(syn.seq, 1);
    this.takePeerOptions(syn);
    this.updateWindow(syn);
    this.state = "SYN-RECEIVED";
    this.sendSyn(true);
  }

  /** Queues bytes to send. */
  write(bytes: Uint8Array): void {
    if (this.closeRequested || bytes.length === 0) return;
    const next = new Uint8Array(this.pending.length + bytes.length);
    next.set(this.pending);
    next.set(bytes, this.pending.length);
    this.pending = next;
    this.output();
  }

  /** Closes our direction: FIN once everything written has been sent. */
  close(): void {
    if (this.state === "SYN-SENT" || this.state === "LISTEN") return this.release("closed");
    if (this.closeRequested) return;
    this.closeRequested = true;
    this.output();
  }

  /** Drops the connection with RST (Ctrl-C, device reload). */
  abort(): void {
    if (this.state === "CLOSED") return;
    if (this.synchronized()) this.emit({ seq: this.sndNxt, ack: 0, flags: TCP_RST });
    this.release("aborted");
  }

  /** A segment of this connection arrived (already parsed and checksummed). */
  segment(seg: TcpSegment): void {
    this.stats.segmentsReceived++;
    if (this.state === "CLOSED") return;
    if (this.state === "SYN-SENT") return this.synSentSegment(seg);
    const len = seg.payload.length + (seg.flags & TCP_SYN ? 1 : 0) + (seg.flags & TCP_FIN ? 1 : 0);
    if (!this.acceptable(seg.seq, len)) {
      if (!(seg.flags & TCP_RST)) this.ackNow();
      return;
    }
    if (seg.flags & TCP_RST) return this.release("reset");
    if (seg.flags & TCP_SYN) {
      // A SYN in a synchronized state: RFC 5961's challenge ACK (a retransmitted SYN in SYN-RECEIVED: our SYN-ACK again).
      if (this.state === "SYN-RECEIVED" && seg.seq === this.irs) this.sendSyn(true);
      else this.ackNow();
      return;
    }
    if (!(seg.flags & TCP_ACK)) return;
    if (this.state === "SYN-RECEIVED") {
      if (seqDiff(seg.ack, this.sndUna) <= 0 || seqDiff(seg.ack, this.sndNxt) > 0) {
        this.emit({ seq: seg.ack, ack: 0, flags: TCP_RST });
        return;
      }
      this.sndUna = seg.ack;
      this.stopRetransmit();
      this.updateWindow(seg);
      this.state = "ESTABLISHED";
      this.app.established?.();
    } else if (!this.ackSegment(seg)) return;
    // The ACK may have closed the connection (LAST-ACK) or ended it in TIME-WAIT (CLOSING).
    const after = this.state as TcpState;
    if (after === "CLOSED" || after === "TIME-WAIT") return;
    this.receiveText(seg);
    this.output();
  }

  private synSentSegment(seg: TcpSegment): void {
    const ackOk = seqDiff(seg.ack, this.iss) > 0 && seqDiff(seg.ack, this.sndNxt) <= 0;
    if (seg.flags & TCP_ACK && !ackOk) {
      if (!(seg.flags & TCP_RST)) this.emit({ seq: seg.ack, ack: 0, flags: TCP_RST });
      return;
    }
    if (seg.flags & TCP_RST) {
      if (seg.flags & TCP_ACK) this.release("refused");
      return;
    }
    if (!(seg.flags & TCP_SYN)) return;
    this.irs = seg.seq;
    this.rcvNxt = seqAdd(seg.seq, 1);
    this.takePeerOptions(seg);
    this.updateWindow(seg);
    if (!(seg.flags & TCP_ACK)) {
      // Simultaneous open: our SYN crossed theirs.
      this.state = "SYN-RECEIVED";
      this.sendSyn(true);
      return;
    }
    this.sndUna = seg.ack;
    this.sampleRtt(seg.ack);
    this.stopRetransmit();
    this.state = "ESTABLISHED";
    this.ackNow();
    this.app.established?.();
    this.output();
  }

  /** RFC 9293 3.10.7.4's acceptability test. */
  private acceptable(seq: number, len: number): boolean {
    const wnd = TCP_RECEIVE_WINDOW;
    const from = seqDiff(seq, this.rcvNxt);
    if (len === 0) return from === 0 || (from >= 0 && from < wnd);
    const last = seqDiff(seqAdd(seq, len - 1), this.rcvNxt);
    return (from >= 0 && from < wnd) || (last >= 0 && last < wnd);
  }

  /** The ACK field in a synchronized state; false when the segment is to be dropped. */
  private ackSegment(seg: TcpSegment): boolean {
    const acked = seqDiff(seg.ack, this.sndUna);
    if (seqDiff(seg.ack, this.sndMax) > 0) {
      this.ackNow(); // acknowledges something never sent
      return false;
    }
    if (acked > 0) {
      this.dupAcks = 0;
      this.retries = 0;
      this.sampleRtt(seg.ack);
      const dataAcked = Math.min(acked, this.pending.length);
      this.pending = this.pending.subarray(dataAcked);
      this.stats.bytesAcked += dataAcked;
      this.sndUna = seg.ack;
      if (seqDiff(seg.ack, this.sndNxt) > 0) this.sndNxt = seg.ack; // a late ACK after going back
      // RFC 5681: slow start below ssthresh, about one MSS per RTT above.
      if (this.cwnd < this.ssthresh) this.cwnd += Math.min(dataAcked, this.sendMss);
      else this.cwnd += Math.max(1, Math.floor((this.sendMss * this.sendMss) / this.cwnd));
      this.stopRetransmit();
      if (this.sndUna !== this.sndNxt) this.armRetransmit();
      const finAcked = this.finSeq !== null && seqDiff(this.sndUna, this.finSeq) > 0;
      if (finAcked) this.finAcknowledged();
      if (this.pending.length === 0 && dataAcked > 0) this.app.drained?.();
    } else if (
      acked === 0 &&
      seg.payload.length === 0 &&
      !(seg.flags & TCP_FIN) &&
      seg.window === this.sndWnd &&
      this.sndUna !== this.sndNxt
    ) {
      // RFC 5681 3.2: the third duplicate ACK retransmits the first unacknowledged segment.
      if (++this.dupAcks === 3) {
        this.ssthresh = Math.max(Math.floor(this.flight() / 2), 2 * this.sendMss);
        this.cwnd = this.ssthresh;
        this.retransmitFirst();
      }
    }
    if (
      seqDiff(this.sndWl1, seg.seq) < 0 ||
      (this.sndWl1 === seg.seq && seqDiff(this.sndWl2, seg.ack) <= 0) ||
      acked > 0
    )
      this.updateWindow(seg);
    return this.state !== "CLOSED";
  }

  private finAcknowledged(): void {
    if (this.state === "FIN-WAIT-1") this.state = "FIN-WAIT-2";
    else if (this.state === "CLOSING") this.enterTimeWait();
    else if (this.state === "LAST-ACK") this.release("closed");
  }

  /** Data and FIN of an acceptable segment. */
  private receiveText(seg: TcpSegment): void {
    const fin = (seg.flags & TCP_FIN) !== 0;
    if (seg.payload.length === 0 && !fin) return;
    if (this.state !== "ESTABLISHED" && this.state !== "FIN-WAIT-1" && this.state !== "FIN-WAIT-2") {
      // After the peer's FIN nothing more is expected; a retransmitted FIN is acknowledged again.
      this.ackNow();
      return;
    }
    let data = seg.payload;
    let seq = seg.seq;
    const old = seqDiff(this.rcvNxt, seq);
    if (old > 0) {
      if (old >= data.length && !fin) return this.ackNow();
      data = data.subarray(Math.min(old, data.length));
      seq = this.rcvNxt;
    }
    if (seq !== this.rcvNxt) {
      // Early: keep it for when the gap fills, and tell the sender what is missing (a duplicate ACK).
      if (!this.early.has(seq)) this.early.set(seq, { data: data.slice(), fin });
      this.ackNow();
      return;
    }
    let gotFin = this.take(data, fin);
    for (let next = this.early.get(this.rcvNxt); next !== undefined && !gotFin; next = this.early.get(this.rcvNxt)) {
      this.early.delete(this.rcvNxt);
      gotFin = this.take(next.data, next.fin);
    }
    // Drop early segments now wholly below rcvNxt; those overlapping it are trimmed on the next pass.
    for (const [s, e] of this.early)
      if (seqDiff(seqAdd(s, e.data.length), this.rcvNxt) <= 0 && !e.fin) this.early.delete(s);
    if (gotFin) {
      this.early.clear();
      this.ackNow();
      if (this.state === "ESTABLISHED") this.state = "CLOSE-WAIT";
      else if (this.state === "FIN-WAIT-1") this.state = "CLOSING";
      else if (this.state === "FIN-WAIT-2") this.enterTimeWait();
      this.app.peerClosed?.();
      return;
    }
    if (this.early.size > 0 || ++this.unackedSegments >= 2) this.ackNow();
    else this.armDelayedAck();
  }

  /** Delivers in-order bytes; returns true when the FIN was consumed. */
  private take(data: Uint8Array, fin: boolean): boolean {
    if (data.length > 0) {
      this.rcvNxt = seqAdd(this.rcvNxt, data.length);
      this.stats.bytesReceived += data.length;
      this.app.data?.(data);
    }
    if (!fin) return false;
    this.rcvNxt = seqAdd(this.rcvNxt, 1);
    return true;
  }

  /** Sends what the windows allow, then FIN when asked to close and everything is out. */
  private output(): void {
    if (!this.synchronized() || this.state === "SYN-RECEIVED" || this.state === "TIME-WAIT") return;
    const window = Math.min(this.sndWnd, this.cwnd);
    for (;;) {
      const sentOffset = seqDiff(this.sndNxt, this.sndUna);
      const unsent = this.pending.length - sentOffset;
      const room = window - this.flight();
      if (unsent <= 0 || room <= 0) break;
      const len = Math.min(this.sendMss, unsent, room);
      // Avoid silly windows: a short segment only when it is the last of what was written.
      if (len < this.sendMss && len < unsent) break;
      this.sendData(sentOffset, len);
      this.sndNxt = seqAdd(this.sndNxt, len);
    }
    const everythingSent = seqDiff(this.sndNxt, this.sndUna) >= this.pending.length;
    if (this.closeRequested && !this.finSent && everythingSent) {
      this.finSent = true;
      this.finSeq ??= this.sndNxt;
      this.emit({ seq: this.sndNxt, ack: this.rcvNxt, flags: TCP_FIN | TCP_ACK });
      this.sndNxt = seqAdd(this.sndNxt, 1);
      if (seqDiff(this.sndNxt, this.sndMax) > 0) this.sndMax = this.sndNxt;
      if (this.state === "ESTABLISHED") this.state = "FIN-WAIT-1";
      else if (this.state === "CLOSE-WAIT") this.state = "LAST-ACK";
      this.cancelDelayedAck();
    }
    // Something unacknowledged, or data waiting on a closed window (the timer then probes it).
    if (this.sndUna !== this.sndNxt || this.pending.length > 0) this.armRetransmit();
  }

  private flight(): number {
    return seqDiff(this.sndNxt, this.sndUna);
  }

  private sendData(offset: number, len: number): void {
    const last = offset + len >= this.pending.length;
    const seq = seqAdd(this.sndUna, offset);
    const end = seqAdd(seq, len);
    if (seqDiff(end, this.sndMax) > 0) {
      // New data: time it if nothing is being timed (Karn: never a retransmission).
      if (this.rttProbe === null && seqDiff(seq, this.sndMax) >= 0) this.rttProbe = { seq: end, at: this.io.now() };
      this.sndMax = end;
    }
    this.emit({
      seq,
      ack: this.rcvNxt,
      flags: TCP_ACK | (last ? TCP_PSH : 0),
      payload: this.pending.subarray(offset, offset + len),
    });
    this.cancelDelayedAck();
  }

  private sendSyn(withAck: boolean): void {
    this.emit({
      seq: this.iss,
      ack: withAck ? this.rcvNxt : 0,
      flags: TCP_SYN | (withAck ? TCP_ACK : 0),
      options: [{ kind: "mss", mss: this.mss }],
    });
    if (this.sndNxt === this.iss) {
      this.sndNxt = seqAdd(this.iss, 1);
      this.sndMax = this.sndNxt;
      this.rttProbe = { seq: this.sndNxt, at: this.io.now() };
    }
    this.armRetransmit();
  }

  /** Sends the segment at sndUna again (fast retransmit, or after a timeout); returns the sequence space it covers. */
  private retransmitFirst(): number {
    this.stats.retransmits++;
    this.rttProbe = null; // Karn: no sample from a retransmitted segment
    if (this.state === "SYN-SENT" || this.state === "SYN-RECEIVED") {
      this.sendSyn(this.state === "SYN-RECEIVED");
      return 1;
    }
    if (this.pending.length > 0) {
      const len = Math.min(this.sendMss, this.pending.length);
      this.sendData(0, len);
      return len;
    }
    if (this.finSent) this.emit({ seq: this.sndUna, ack: this.rcvNxt, flags: TCP_FIN | TCP_ACK });
    return 1;
  }

  private sampleRtt(ack: number): void {
    const probe = this.rttProbe;
    if (probe === null || seqDiff(ack, probe.seq) < 0) return;
    this.rttProbe = null;
    const r = this.io.now() - probe.at;
    if (this.srtt === null) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.rto = Math.min(MAX_RTO_NS, Math.max(MIN_RTO_NS, Math.round(this.srtt + Math.max(1e6, 4 * this.rttvar))));
  }

  private armRetransmit(): void {
    if (this.retransmitTimer !== null) return;
    this.retransmitTimer = this.io.after(this.rto, "tcp-retransmit", () => {
      this.retransmitTimer = null;
      this.retransmitTimeout();
    });
  }

  private stopRetransmit(): void {
    this.retransmitTimer?.cancel();
    this.retransmitTimer = null;
  }

  private retransmitTimeout(): void {
    const limit = this.state === "SYN-SENT" || this.state === "SYN-RECEIVED" ? SYN_RETRIES : DATA_RETRIES;
    if (++this.retries > limit) return this.release("timedOut");
    // RFC 5681 (4): one segment at a time again, threshold at half of what was in flight; RFC 6298 5.5: back off.
    this.ssthresh = Math.max(Math.floor(this.flight() / 2), 2 * this.sendMss);
    this.cwnd = this.sendMss;
    this.rto = Math.min(MAX_RTO_NS, this.rto * 2);
    this.dupAcks = 0;
    const covered = this.retransmitFirst();
    if (this.synchronized()) {
      // Go back: what followed the first segment (FIN included) is sent again as the window reopens.
      this.sndNxt = seqAdd(this.sndUna, covered);
      if (this.pending.length > covered) this.finSent = false;
    }
    this.armRetransmit();
  }

  private takePeerOptions(seg: TcpSegment): void {
    for (const o of seg.options) if (o.kind === "mss" && o.mss > 0) this.peerMss = o.mss;
  }

  private updateWindow(seg: TcpSegment): void {
    this.sndWnd = seg.window;
    this.sndWl1 = seg.seq;
    this.sndWl2 = seg.ack;
  }

  private synchronized(): boolean {
    return this.state !== "SYN-SENT" && this.state !== "LISTEN" && this.state !== "CLOSED";
  }

  private ackNow(): void {
    this.cancelDelayedAck();
    this.emit({ seq: this.sndNxt, ack: this.rcvNxt, flags: TCP_ACK });
  }

  private armDelayedAck(): void {
    if (this.delayedAck !== null) return;
    this.delayedAck = this.io.after(DELAYED_ACK_NS, "tcp-delayed-ack", () => {
      this.delayedAck = null;
      if (this.state !== "CLOSED") this.ackNow();
    });
  }

  private cancelDelayedAck(): void {
    this.delayedAck?.cancel();
    this.delayedAck = null;
    this.unackedSegments = 0;
  }

  private enterTimeWait(): void {
    this.state = "TIME-WAIT";
    this.stopRetransmit();
    this.timeWaitTimer?.cancel();
    this.timeWaitTimer = this.io.after(TIME_WAIT_NS, "tcp-time-wait", () => this.release("closed"));
  }

  private emit(s: {
    seq: number;
    ack: number;
    flags: number;
    payload?: Uint8Array;
    options?: TcpSegment["options"];
  }): void {
    this.stats.segmentsSent++;
    this.io.send({
      srcPort: this.localPort,
      dstPort: this.remotePort,
      seq: s.seq >>> 0,
      ack: s.ack >>> 0,
      flags: s.flags,
      window: s.flags & TCP_RST ? 0 : TCP_RECEIVE_WINDOW,
      urgent: 0,
      options: s.options ?? [],
      payload: s.payload ?? new Uint8Array(0),
    });
  }

  private release(reason: TcpCloseReason): void {
    if (this.state === "CLOSED") return;
    this.state = "CLOSED";
    this.stopRetransmit();
    this.cancelDelayedAck();
    this.timeWaitTimer?.cancel();
    this.io.released();
    this.app.closed?.(reason);
  }
}
