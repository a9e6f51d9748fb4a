// Key material a device hands the lab so captures can be decrypted in
// Wireshark: one record per IPsec SA (what Wireshark's `esp_sa` table needs)
// and one per IKEv1 phase-1 SA (its `ikev1_decryption_table`: initiator
// cookie -> encryption key). Plain data (hex strings), so it crosses Workers
// as msgpack like any other event.

import type { CbcAlgorithm, HashAlgorithm } from "../fastpath/crypto/types.ts";

/** One direction of an IPsec SA, as the sender sees it on the wire. */
export interface EspKeyRecord {
  kind: "esp";
  protocol: "esp" | "ah";
  /**
   * Outer source and destination of packets on this SA; null for any (a GDOI group SA: any member to any
   * member; an SA through a NAT, whose addresses differ on the two sides of it).
   */
  src: number | null;
  dst: number | null;
  spi: number;
  encryption: CbcAlgorithm | null;
  encryptionKey: string;
  integrity: HashAlgorithm | null;
  integrityKey: string;
}

/** The encryption key of an IKEv1 phase-1 SA, by initiator cookie. */
export interface IkeV1KeyRecord {
  kind: "ikev1";
  initiatorCookie: string;
  encryptionKey: string;
}

export type CryptoKeyRecord = EspKeyRecord | IkeV1KeyRecord;

/** Lowercase hex of bytes. */
export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
