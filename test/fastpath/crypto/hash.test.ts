// MD5, SHA-1, SHA-2 and HMAC: the shared suite against the Wasm and reference implementations.
import { HashRef, HashWasm, HmacRef, HmacWasm } from "../../../src/fastpath/crypto/index.ts";
import { hashSuite } from "./cases.ts";

hashSuite(
  "HashWasm/HmacWasm",
  (a) => new HashWasm(a),
  (a, k, l) => HmacWasm.create(a, k, l),
  1000,
);
hashSuite(
  "HashRef/HmacRef",
  (a) => new HashRef(a),
  (a, k, l) => HmacRef.create(a, k, l),
  300,
);
