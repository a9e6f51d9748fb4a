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
