// DES-CBC and 3DES-CBC (EDE3) on the Wasm fast path (wasm/assembly/crypto-des.ts,
// FIPS 46-3, SP 800-67): one key per instance, batches of independent packets.
import { type CbcExports, CbcWasm, keyedArena } from "./cbc-wasm.ts";
import { type CbcAlgorithm, type CryptoResult, cryptoFail, cryptoOk } from "./types.ts";

/** Algorithm for a DES key length: 8 bytes DES, 24 bytes EDE3 (K1 || K2 || K3); null otherwise. */
export function desCbcAlgorithm(keyLength: number): CbcAlgorithm | null {
  return keyLength === 8 ? "des-cbc" : keyLength === 24 ? "des-ede3-cbc" : null;
}

/** DES-CBC or 3DES-CBC in WebAssembly; parity bits of the key are ignored. */
export class DesCbcWasm extends CbcWasm {
  /** Builds the key schedule once; refuses key lengths other than 8 or 24 bytes. */
  static create(key: Uint8Array): CryptoResult<DesCbcWasm> {
    const algorithm = desCbcAlgorithm(key.length);
    if (!algorithm)
      return cryptoFail("des-cbc", "badKeySize", `DES key is ${key.length} bytes, need 8 (DES) or 24 (3DES EDE3)`);
    const arena = keyedArena<CbcExports>("crypto-des", key);
    if (!arena) return cryptoFail(algorithm, "badKeySize", "wasm refused the key");
    return cryptoOk(new DesCbcWasm(algorithm, 8, arena));
  }
}
