// UDP encapsulation of IKE and ESP on port 4500 for NAT traversal (RFC 3948).
// One UDP port carries three things, told apart by the first bytes of the
// UDP payload: IKE behind a four-zero-byte non-ESP marker, a NAT-keepalive
// (the single byte 0xff), or an ESP packet whose SPI (never zero) starts the
// payload. Classification never throws and never reads past the payload.

import { ESP_HEADER_LEN } from "./esp.ts";
import { ISAKMP_HEADER_LEN } from "./isakmp.ts";

/*
   IKE on port 4500 (RFC 3948 2.2):    ESP on port 4500 (RFC 3948 2.1):
   +-----------------------------+      +-----------------------------+
   | UDP header (8)              |      | UDP header (8)              |
   +-----------------------------+      +-----------------------------+
   | Non-ESP marker: 0x00000000  |      | ESP header: SPI (non-zero)  |
   +-----------------------------+      | Sequence number             |
   | ISAKMP header and payloads  |      | ...                         |

   NAT-keepalive (RFC 3948 2.3): UDP payload is the one byte 0xff.
*/

export const UDP_ENCAP_FIELD = { MARKER: [0, 4], ISAKMP: 4 } as const;

/** Length of the non-ESP marker in front of IKE on port 4500. */
export const NON_ESP_MARKER_LEN = 4;
/** The non-ESP marker: four zero bytes, where ESP would have its (non-zero) SPI. */
export const NON_ESP_MARKER = new Uint8Array(NON_ESP_MARKER_LEN);
/** The only byte of a NAT-keepalive payload. */
export const NAT_KEEPALIVE_BYTE = 0xff;

/** What a UDP/4500 payload carries; `isakmp` and `esp` are views into the payload. */
export type Udp4500Payload =
  | { kind: "isakmp"; isakmp: Uint8Array }
  | { kind: "esp"; esp: Uint8Array }
  | { kind: "keepalive" }
  | { kind: "malformed" };

/**
 * Classifies a UDP payload received on port 4500. IKE needs the marker and
 * at least a whole ISAKMP header after it, ESP at least its 8-byte header;
 * anything else (empty, 2-7 bytes, a marker followed by too little) is malformed.
 */
export function classifyUdp4500(payload: Uint8Array): Udp4500Payload {
  if (payload.length === 1) return payload[0] === NAT_KEEPALIVE_BYTE ? { kind: "keepalive" } : { kind: "malformed" };
  if (payload.length < NON_ESP_MARKER_LEN) return { kind: "malformed" };
  const marker = payload[0]! | payload[1]! | payload[2]! | payload[3]!;
  if (marker === 0) {
    return payload.length >= NON_ESP_MARKER_LEN + ISAKMP_HEADER_LEN
      ? { kind: "isakmp", isakmp: payload.subarray(NON_ESP_MARKER_LEN) }
      : { kind: "malformed" };
  }
  return payload.length >= ESP_HEADER_LEN ? { kind: "esp", esp: payload } : { kind: "malformed" };
}

/** The UDP/4500 payload for an ISAKMP message: marker + message. */
export function encapIsakmp4500(isakmp: Uint8Array): Uint8Array {
  const b = new Uint8Array(NON_ESP_MARKER_LEN + isakmp.length);
  b.set(isakmp, NON_ESP_MARKER_LEN);
  return b;
}

/** A fresh NAT-keepalive UDP payload (one byte 0xff). */
export function natKeepalive(): Uint8Array {
  return Uint8Array.of(NAT_KEEPALIVE_BYTE);
}

/**
 * UDP header + ESP packet for ESP-in-UDP (RFC 3948 2.1). The checksum is
 * zero, as the RFC says an IPv4 sender should send it (ESP protects the data
 * and a NAT cannot fix a checksum over addresses it rewrote).
 */
export function encapEspUdp(esp: Uint8Array, srcPort: number, dstPort: number): Uint8Array {
  const b = new Uint8Array(8 + esp.length);
  const length = b.length;
  b[0] = srcPort >>> 8;
  b[1] = srcPort & 0xff;
  b[2] = dstPort >>> 8;
  b[3] = dstPort & 0xff;
  b[4] = length >>> 8;
  b[5] = length & 0xff;
  b.set(esp, 8);
  return b;
}
