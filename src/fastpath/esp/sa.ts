// The ESP SA objects the data plane holds, independent of the backend: the
// outbound SA owns the sequence counter and draws one IV per packet in packet
// order; the inbound SA owns the anti-replay window and the order of checks
// (RFC 4303 §3.4): lengths, anti-replay check, ICV (constant time), decrypt,
// padding, then the window update. An EspEngine (ref, native or wasm) does
// only the per-packet arithmetic, so every backend answers exactly alike.
import { ReplayWindow } from "./anti-replay.ts";
import type { EspBackend, EspInboundSa, EspOpened, EspOutboundSa, EspSaKeys, EspStatus, IvSource } from "./types.ts";
import { type EspTransform, packetLength, precheck, readSequence } from "./wire.ts";

/** Per-packet result of an engine: status of the crypto checks, with payload and next header when ok. */
export type EngineOpened =
  | { status: "ok"; payload: Uint8Array; nextHeader: number }
  | { status: "authFailed" | "malformed" };

/** The arithmetic of one SA: seal packets whose sequence and IV are decided, open packets that passed the length checks. */
export interface EspEngine {
  /** The implementation doing the arithmetic (what engine-usage counters record). */
  readonly backend: EspBackend;
  /** Seals payloads[i] with nextHeaders[i], sequences[i] and ivs[i] (ivLength bytes; empty for ESP-NULL). */
  seal(
    payloads: readonly Uint8Array[],
    nextHeaders: readonly number[],
    sequences: readonly number[],
    ivs: readonly Uint8Array[],
  ): Uint8Array[];
  /** Verifies the ICV, decrypts and reads the trailer of each packet (lengths already checked by precheck). */
  open(packets: readonly Uint8Array[]): EngineOpened[];
}

/** Picks the engine for a payload length and the packets in the call; fixed backends ignore both. */
export type EngineFor = (length: number, batchSize: number) => EspEngine;

const EMPTY = new Uint8Array(0);
const MAX_SEQUENCE = 0xffffffff;

/** Splits indices by engine so `auto` can send each group to its backend in one call. */
function groupByEngine(
  indices: readonly number[],
  lengthOf: (i: number) => number,
  engineFor: EngineFor,
): Map<EspEngine, number[]> {
  const groups = new Map<EspEngine, number[]>();
  for (const i of indices) {
    const e = engineFor(lengthOf(i), indices.length);
    const g = groups.get(e);
    if (g) g.push(i);
    else groups.set(e, [i]);
  }
  return groups;
}

/** Outbound SA over an engine. */
export class EspOutbound implements EspOutboundSa {
  private seq: number;

  constructor(
    readonly keys: EspSaKeys,
    private readonly transform: EspTransform,
    private readonly engineFor: EngineFor,
    private readonly ivSource: IvSource,
    sequence: number,
  ) {
    this.seq = sequence;
  }

  get sequence(): number {
    return this.seq;
  }

  get exhausted(): boolean {
    return this.seq >= MAX_SEQUENCE;
  }

  overhead(payloadLength: number): number {
    return packetLength(this.transform, payloadLength) - payloadLength;
  }

  /**
   * Seals payloads in order. Throws RangeError only for a programming error
   * (array lengths differ, next header not 0..255). Once sequence 2^32-1 is
   * used, further packets come back empty: the SA must be rekeyed (no ESN).
   */
  sealBatch(payloads: readonly Uint8Array[], nextHeaders: readonly number[]): Uint8Array[] {
    const n = payloads.length;
    if (nextHeaders.length !== n) throw new RangeError(`${n} payloads but ${nextHeaders.length} next headers`);
    for (let i = 0; i < n; i++) {
      const nh = nextHeaders[i]!;
      if (!Number.isInteger(nh) || nh < 0 || nh > 255) throw new RangeError(`next header ${nh} outside 0..255`);
    }
    const out: Uint8Array[] = new Array<Uint8Array>(n).fill(EMPTY);
    const indices: number[] = [];
    const sequences: number[] = new Array<number>(n).fill(0);
    const ivs: Uint8Array[] = new Array<Uint8Array>(n).fill(EMPTY);
    const ivLength = this.transform.ivLength;
    for (let i = 0; i < n && this.seq < MAX_SEQUENCE; i++) {
      this.seq++;
      sequences[i] = this.seq;
      if (ivLength > 0) {
        const iv = new Uint8Array(ivLength);
        this.ivSource(iv);
        ivs[i] = iv;
      }
      indices.push(i);
    }
    const groups = groupByEngine(indices, (i) => payloads[i]!.length, this.engineFor);
    for (const [engine, idx] of groups) {
      const sealed = engine.seal(
        idx.map((i) => payloads[i]!),
        idx.map((i) => nextHeaders[i]!),
        idx.map((i) => sequences[i]!),
        idx.map((i) => ivs[i]!),
      );
      for (let k = 0; k < idx.length; k++) out[idx[k]!] = sealed[k]!;
    }
    return out;
  }

  seal(payload: Uint8Array, nextHeader: number): Uint8Array {
    return this.sealBatch([payload], [nextHeader])[0]!;
  }
}

function refused(status: EspStatus, sequence: number): EspOpened {
  return { status, sequence, nextHeader: 0, payload: EMPTY };
}

/** Inbound SA over an engine, with its anti-replay window (null when disabled). */
export class EspInbound implements EspInboundSa {
  readonly replayWindow: number;
  private readonly window: ReplayWindow | null;

  constructor(
    readonly keys: EspSaKeys,
    private readonly transform: EspTransform,
    private readonly engineFor: EngineFor,
    replayWindow: number,
  ) {
    this.replayWindow = replayWindow;
    this.window = replayWindow > 0 ? new ReplayWindow(replayWindow) : null;
  }

  openBatch(packets: readonly Uint8Array[]): EspOpened[] {
    const n = packets.length;
    const out: EspOpened[] = new Array<EspOpened>(n);
    const sequences: number[] = new Array<number>(n).fill(0);
    const candidates: number[] = [];
    const w = this.window;
    for (let i = 0; i < n; i++) {
      const p = packets[i]!;
      const seq = p.length >= 8 ? readSequence(p) : 0;
      sequences[i] = seq;
      const bad = precheck(this.transform, p);
      if (bad !== null) out[i] = refused(bad, seq);
      else if (w !== null && !w.check(seq)) out[i] = refused("replayed", seq);
      else candidates.push(i);
    }
    const crypto: EngineOpened[] = new Array<EngineOpened>(n);
    const fixed = 8 + this.transform.ivLength + this.transform.icvLength;
    const groups = groupByEngine(candidates, (i) => packets[i]!.length - fixed, this.engineFor);
    for (const [engine, idx] of groups) {
      const opened = engine.open(idx.map((i) => packets[i]!));
      for (let k = 0; k < idx.length; k++) crypto[idx[k]!] = opened[k]!;
    }
    // Window updates in packet order, as if the packets had been opened one by
    // one: a copy of an earlier packet in the same batch is a replay, and a
    // packet that fails the crypto but has meanwhile fallen out of the window
    // reports `replayed`, as it would have if checked after its predecessors.
    for (const i of candidates) {
      const c = crypto[i]!;
      const seq = sequences[i]!;
      if (c.status === "ok") {
        out[i] =
          w === null || w.update(seq)
            ? { status: "ok", sequence: seq, nextHeader: c.nextHeader, payload: c.payload }
            : refused("replayed", seq);
      } else {
        out[i] = refused(w !== null && !w.check(seq) ? "replayed" : c.status, seq);
      }
    }
    return out;
  }

  open(packet: Uint8Array): EspOpened {
    return this.openBatch([packet])[0]!;
  }
}
