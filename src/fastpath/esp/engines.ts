// Builds the per-packet arithmetic of an ESP SA for a fixed backend: `ref`
// (TypeScript: AesCbcRef on @noble/ciphers, DesCbcRef, HmacRef on
// @noble/hashes), `native` (node:crypto per packet) or `wasm` (esp.wasm batches).
import { AesCbcRef } from "../crypto/aes-cbc-ref.ts";
import { DesCbcRef } from "../crypto/des-ref.ts";
import { HmacRef } from "../crypto/hash-ref.ts";
import type { CbcCipher, CryptoResult, Mac } from "../crypto/types.ts";
import { NodeCbc, NodeHmac } from "./native-crypto.ts";
import { PerPacketEngine } from "./per-packet.ts";
import type { EspEngine } from "./sa.ts";
import type { EspBackend, EspSaKeys } from "./types.ts";
import { WasmEspEngine } from "./wasm-engine.ts";
import type { EspTransform } from "./wire.ts";

function must<T>(r: CryptoResult<T>): T {
  // Key sizes were checked by espTransform before any engine is built.
  if (!r.ok) throw new Error(`${r.error.primitive}: ${r.error.detail}`);
  return r.value;
}

function refCipher(keys: EspSaKeys): CbcCipher | null {
  if (keys.encryption === null) return null;
  return keys.encryption.startsWith("aes")
    ? must(AesCbcRef.create(keys.encryptionKey))
    : must(DesCbcRef.create(keys.encryptionKey));
}

function refMac(keys: EspSaKeys, t: EspTransform): Mac | null {
  return keys.integrity === null ? null : must(HmacRef.create(keys.integrity, keys.integrityKey, t.icvLength));
}

/** The engine of one SA on a fixed backend (keys already checked by espTransform). */
export function createEngine(backend: EspBackend, keys: EspSaKeys, t: EspTransform): EspEngine {
  switch (backend) {
    case "ref":
      return new PerPacketEngine("ref", t, keys.spi, refCipher(keys), refMac(keys, t));
    case "native":
      return new PerPacketEngine(
        "native",
        t,
        keys.spi,
        keys.encryption === null ? null : new NodeCbc(keys.encryption, keys.encryptionKey),
        keys.integrity === null ? null : new NodeHmac(keys.integrity, keys.integrityKey, t.icvLength),
      );
    case "wasm":
      return new WasmEspEngine(keys, t);
  }
}
