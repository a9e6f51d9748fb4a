// Public surface of the crypto fast path: CBC ciphers (AES, DES, 3DES), AES-GCM,
// hashes and HMAC, each as a Wasm batch implementation and a TypeScript
// reference behind the same interface, plus the benchmark library.

export { AesCbcWasm, aesCbcAlgorithm } from "./aes-cbc.ts";
export { AesCbcRef } from "./aes-cbc-ref.ts";
export { AesGcmWasm } from "./aes-gcm.ts";
export { AesGcmRef } from "./aes-gcm-ref.ts";
export { benchFastpathCrypto, type CryptoBenchOptions, type CryptoBenchRow } from "./bench.ts";
export { DesCbcWasm, desCbcAlgorithm } from "./des-cbc.ts";
export { DesCbcRef } from "./des-ref.ts";
export { HashWasm, HmacWasm } from "./hash.ts";
export { equalConstantTime } from "./hash-check.ts";
export { HashRef, HmacRef } from "./hash-ref.ts";
export * from "./types.ts";
