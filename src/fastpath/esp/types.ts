// The contract between the IPsec data plane (crypto maps, later VTI and DMVPN)
// and the ESP/AH fast path: one outbound or inbound security association per
// object, keyed once, then sealing or opening packets in batches. The router
// owns policy (which SA, which peer, counters shown by `show crypto ipsec sa`);
// these objects own per-packet arithmetic (RFC 4303 ESP, RFC 4302 AH).

import type { CbcAlgorithm, HashAlgorithm } from "../crypto/types.ts";

/** Which implementation does the per-packet work (`--crypto wasm|native|auto`; `ref` is the TypeScript reference). */
export type EspBackend = "wasm" | "native" | "ref";

/** Keys and algorithms of one ESP SA as phase 2 derived them. */
export interface EspSaKeys {
  /** Security Parameter Index (host order, unsigned). */
  spi: number;
  /** CBC cipher, or null for ESP-NULL (RFC 2410). */
  encryption: CbcAlgorithm | null;
  encryptionKey: Uint8Array;
  /** HMAC algorithm (ICV truncated per ICV_LENGTH), or null for no integrity. */
  integrity: HashAlgorithm | null;
  integrityKey: Uint8Array;
}

/** Per-packet outcome of opening an ESP packet (or verifying AH). */
export type EspStatus = "ok" | "authFailed" | "replayed" | "malformed" | "tooShort";

/** One opened packet: what the trailer said and the plaintext payload (a view or a copy). */
export interface EspOpened {
  status: EspStatus;
  /** Sequence number from the header (0 when too short to read it). */
  sequence: number;
  /** Next header from the trailer (4 = IPv4 for tunnel mode, 6/17/1/47... for transport); 0 unless ok. */
  nextHeader: number;
  /** Decrypted payload without padding, pad length and next header; empty unless ok. */
  payload: Uint8Array;
}

/** Outbound SA: assigns sequence numbers and seals payloads. */
export interface EspOutboundSa {
  readonly keys: EspSaKeys;
  /** Last sequence number used (0 before the first packet). */
  readonly sequence: number;
  /** True once sequence 2^32-1 has been used (no ESN): the SA must be rekeyed; seal then returns empty arrays. */
  readonly exhausted: boolean;
  /** Bytes ESP adds to a payload of this length (header, IV, padding, trailer, ICV). */
  overhead(payloadLength: number): number;
  /**
   * Seals each payload (an IPv4 datagram in tunnel mode, the upper-layer
   * segment in transport mode) into an ESP packet: SPI, sequence, IV, ciphertext
   * of payload||padding||pad length||next header, ICV. Returns new arrays.
   */
  sealBatch(payloads: readonly Uint8Array[], nextHeaders: readonly number[]): Uint8Array[];
  seal(payload: Uint8Array, nextHeader: number): Uint8Array;
}

/** Inbound SA: checks the ICV in constant time, then anti-replay, decrypts and checks the padding. */
export interface EspInboundSa {
  readonly keys: EspSaKeys;
  /** Anti-replay window size in packets (0 disables the check). */
  readonly replayWindow: number;
  /** Opens each ESP packet (starting at the SPI); never throws, never reads outside a packet. */
  openBatch(packets: readonly Uint8Array[]): EspOpened[];
  open(packet: Uint8Array): EspOpened;
}

/** Fills `out` with IV bytes; the data plane passes the device's seeded random source so runs repeat. */
export type IvSource = (out: Uint8Array) => void;

// ---- Additions (the members above are the original contract and stay as they are) ----

/**
 * What the data plane configured: a fixed backend, or `auto`, which asks an
 * EspBackendChooser per packet size (calibration.ts measures wasm against native once per process).
 */
export type EspBackendChoice = EspBackend | "auto";

/**
 * Picks the faster backend for an SA's algorithms, a payload length and the
 * number of packets in the call (`--crypto auto`; wasm gains most on batches).
 */
export type EspBackendChooser = (keys: EspSaKeys, payloadLength: number, batchSize?: number) => "wasm" | "native";

/**
 * Packets each backend actually processed (sealed for an outbound SA, opened
 * or verified for an inbound one): what `auto` picked, and proof that a fixed
 * choice was honoured. Several SAs may share one record.
 */
export type EspEngineUsage = Record<EspBackend, number>;

/** A zeroed usage record. */
export function emptyEngineUsage(): EspEngineUsage {
  return { wasm: 0, native: 0, ref: 0 };
}

/** Options of createEspOutbound. */
export interface EspOutboundOptions {
  backend: EspBackendChoice;
  /** Counts each packet under the backend that sealed it. */
  usage?: EspEngineUsage;
  /** IV bytes for each packet, drawn in packet order (never random inside the SA). */
  iv: IvSource;
  /** For `auto`: the chooser; without one, the per-process calibration is run on first use. */
  chooser?: EspBackendChooser;
  /** Last sequence number already used (default 0: the first packet carries 1). */
  sequence?: number;
}

/** Options of createEspInbound. */
export interface EspInboundOptions {
  backend: EspBackendChoice;
  /** Counts each packet under the backend that opened it. */
  usage?: EspEngineUsage;
  /** Anti-replay window in packets: 0 disables, 1..1024 (default 64, as IOS). */
  replayWindow?: number;
  /** For `auto`: the chooser; without one, the per-process calibration is run on first use. */
  chooser?: EspBackendChooser;
}

/**
 * Keys and algorithm of one AH SA (RFC 4302; HMAC-MD5-96, HMAC-SHA1-96,
 * HMAC-SHA-256/384/512 per RFC 4868). EspSaKeys fit as they are; integrity
 * must not be null (AH is integrity only).
 */
export interface AhSaKeys {
  /** Security Parameter Index (host order, unsigned). */
  spi: number;
  integrity: HashAlgorithm | null;
  integrityKey: Uint8Array;
}

/** Outbound AH SA over IPv4: assigns sequence numbers and inserts the AH header. */
export interface AhOutboundSa {
  readonly keys: AhSaKeys;
  /** Last sequence number used (0 before the first datagram). */
  readonly sequence: number;
  /** True once sequence 2^32-1 has been used: the SA must be rekeyed, seal then returns an empty array. */
  readonly exhausted: boolean;
  /** Bytes AH adds to a datagram (12 + ICV). */
  readonly overhead: number;
  /**
   * Returns the whole IPv4 datagram: the header template (IHL bytes, options
   * included) with protocol 51, total length and checksum fixed, then AH, then
   * the payload. The ICV covers the header with TOS, flags/fragment offset,
   * TTL, checksum and mutable options zeroed.
   */
  seal(ipv4Header: Uint8Array, payload: Uint8Array, nextHeader: number): Uint8Array;
}

/** Inbound AH SA over IPv4: anti-replay, then the ICV in constant time. */
export interface AhInboundSa {
  readonly keys: AhSaKeys;
  /** Anti-replay window size in packets (0 disables the check). */
  readonly replayWindow: number;
  /** Verifies an IPv4 datagram carrying AH; payload is the bytes after AH, nextHeader from AH. Never throws. */
  open(datagram: Uint8Array): EspOpened;
}

/** Options of createAhOutbound. */
export interface AhOutboundOptions {
  backend: EspBackendChoice;
  /** Counts each datagram under the backend whose HMAC sealed it. */
  usage?: EspEngineUsage;
  chooser?: EspBackendChooser;
  /** Last sequence number already used (default 0). */
  sequence?: number;
}

/** Options of createAhInbound. */
export interface AhInboundOptions {
  backend: EspBackendChoice;
  /** Counts each datagram under the backend whose HMAC verified it. */
  usage?: EspEngineUsage;
  replayWindow?: number;
  chooser?: EspBackendChooser;
}
