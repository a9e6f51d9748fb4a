// An EspEngine that handles one packet at a time over any CbcCipher and Mac:
// with the TypeScript references (AesCbcRef, DesCbcRef, HmacRef) it is the
// `ref` backend, with node:crypto objects (native-crypto.ts) the `native` one.
// Seal: header, IV, payload, padding 1, 2, 3..., pad length, next header,
// CBC encrypt in place, ICV over SPI..ciphertext (RFC 4303 §3.3). Open:
// ICV in constant time first, then decrypt, then the trailer check.

import type { CbcCipher, Mac } from "../crypto/types.ts";
import type { EngineOpened, EspEngine } from "./sa.ts";
import { bodyLength, type EspTransform, HEADER_LENGTH, readTrailer, writeHeader, writeTrailer } from "./wire.ts";

/** ESP arithmetic packet by packet over a cipher (null for ESP-NULL) and a MAC (null without integrity). */
export class PerPacketEngine implements EspEngine {
  constructor(
    /** `ref` (TypeScript) or `native` (node:crypto): the primitives passed in. */
    readonly backend: "ref" | "native",
    private readonly transform: EspTransform,
    private readonly spi: number,
    private readonly cipher: CbcCipher | null,
    private readonly mac: Mac | null,
  ) {}

  seal(
    payloads: readonly Uint8Array[],
    nextHeaders: readonly number[],
    sequences: readonly number[],
    ivs: readonly Uint8Array[],
  ): Uint8Array[] {
    const t = this.transform;
    const out: Uint8Array[] = [];
    for (let i = 0; i < payloads.length; i++) {
      const payload = payloads[i]!;
      const bodyStart = HEADER_LENGTH + t.ivLength;
      const bodyEnd = bodyStart + bodyLength(t, payload.length);
      const packet = new Uint8Array(bodyEnd + t.icvLength);
      writeHeader(packet, this.spi, sequences[i]!);
      const body = packet.subarray(bodyStart, bodyEnd);
      body.set(payload);
      writeTrailer(body, payload.length, nextHeaders[i]!);
      if (this.cipher) {
        const iv = ivs[i]!;
        packet.set(iv, HEADER_LENGTH);
        const enc = this.cipher.encrypt(iv, body);
        // Lengths are whole blocks and the IV is one block by construction.
        if (!enc.ok) throw new Error(`esp seal: ${enc.error.detail}`);
        body.set(enc.value);
      }
      if (this.mac) packet.set(this.mac.mac(packet.subarray(0, bodyEnd)), bodyEnd);
      out.push(packet);
    }
    return out;
  }

  open(packets: readonly Uint8Array[]): EngineOpened[] {
    const t = this.transform;
    const out: EngineOpened[] = [];
    for (const packet of packets) {
      const icvStart = packet.length - t.icvLength;
      if (this.mac && !this.mac.verify(packet.subarray(0, icvStart), packet.subarray(icvStart))) {
        out.push({ status: "authFailed" });
        continue;
      }
      const bodyStart = HEADER_LENGTH + t.ivLength;
      let body = packet.subarray(bodyStart, icvStart);
      if (this.cipher) {
        const dec = this.cipher.decrypt(packet.subarray(HEADER_LENGTH, bodyStart), body);
        if (!dec.ok) {
          out.push({ status: "malformed" });
          continue;
        }
        body = dec.value;
      }
      const trailer = readTrailer(body);
      out.push(
        trailer.ok
          ? { status: "ok", payload: body.subarray(0, trailer.payloadLength), nextHeader: trailer.nextHeader }
          : { status: "malformed" },
      );
    }
    return out;
  }
}
