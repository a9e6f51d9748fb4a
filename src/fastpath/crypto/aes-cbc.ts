// AES-128/192/256-CBC (FIPS-197, SP 800-38A) on the Wasm fast path
// (wasm/assembly/crypto-aes.ts): T-table AES, one key schedule per instance,
// batches of independent packets with their own IVs per call.
import { type CbcExports, CbcWasm, keyedArena } from "./cbc-wasm.ts";
import { type CbcAlgorithm, type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";

/** Algorithm name for an AES key length, or null for a bad length. */
export function aesCbcAlgorithm(keyLength: number): CbcAlgorithm | null {
  return keyLength === 16 ? "aes-128-cbc" : keyLength === 24 ? "aes-192-cbc" : keyLength === 32 ? "aes-256-cbc" : null;
}

/** AES-CBC in WebAssembly; the key length (16, 24, 32 bytes) picks AES-128/192/256. */
export class AesCbcWasm extends CbcWasm {
  /** Expands the key once; refuses key lengths other than 16, 24 or 32 bytes. */
  static create(key: Uint8Array): CryptoResult<AesCbcWasm> {
    const algorithm = aesCbcAlgorithm(key.length);
    if (!algorithm) return cryptoFail("aes-cbc", "badKeySize", `AES key is ${key.length} bytes, need 16, 24 or 32`);
    const arena = keyedArena<CbcExports>("crypto-aes", key);
    if (!arena) return cryptoFail(algorithm, "badKeySize", "wasm refused the key");
    return cryptoOk(new AesCbcWasm(algorithm, 16, arena));
  }
}
