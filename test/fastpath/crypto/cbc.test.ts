// AES-CBC and DES/3DES-CBC: the shared suite against the Wasm and reference implementations.
import { AesCbcRef, AesCbcWasm, DesCbcRef, DesCbcWasm } from "../../../src/fastpath/crypto/index.ts";
import { cbcSuite } from "./cases.ts";

cbcSuite("AesCbcWasm", "aes", (k) => AesCbcWasm.create(k), 2000);
cbcSuite("AesCbcRef", "aes", (k) => AesCbcRef.create(k), 300);
cbcSuite("DesCbcWasm", "des", (k) => DesCbcWasm.create(k), 1000);
cbcSuite("DesCbcRef", "des", (k) => DesCbcRef.create(k), 60);
