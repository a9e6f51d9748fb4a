// AES-GCM: the shared suite against the Wasm and reference implementations.
import { AesGcmRef, AesGcmWasm } from "../../../src/fastpath/crypto/index.ts";
import { gcmSuite } from "./cases.ts";

gcmSuite("AesGcmWasm", (k, t) => AesGcmWasm.create(k, t), 600);
gcmSuite("AesGcmRef", (k, t) => AesGcmRef.create(k, t), 300);
