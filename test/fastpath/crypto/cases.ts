// The shared case suites: each function registers the same bun:test cases for
// one implementation of an interface, so the Wasm module and the TypeScript
// reference are held to identical known answers, node:crypto differentials and
// bad-input behaviour. `scale` trims the random-case count for slow references.
import { describe, expect, test } from "bun:test";
import * as nodeCrypto from "node:crypto";
import fc from "fast-check";
import {
  type AeadCipher,
  type BatchHash,
  type CbcCipher,
  type CryptoResult,
  DIGEST_LENGTH,
  type HashAlgorithm,
  ICV_LENGTH,
  type Mac,
} from "../../../src/fastpath/crypto/index.ts";
import { AES_CBC_VECTORS, DES_CBC_VECTORS, TDEA_ECB_EXAMPLE } from "../../vectors/crypto/cbc.ts";
import { GCM_VECTORS } from "../../vectors/crypto/gcm.ts";
import { HASH_VECTORS, HMAC_VECTORS } from "../../vectors/crypto/hash.ts";

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function value<T>(r: CryptoResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.primitive}: ${r.error.reason}: ${r.error.detail}`);
  return r.value;
}

/** CBC cipher suite: family "aes" (keys 16/24/32) or "des" (keys 8/24). */
export function cbcSuite(
  name: string,
  family: "aes" | "des",
  create: (key: Uint8Array) => CryptoResult<CbcCipher>,
  runs: number,
): void {
  const bs = family === "aes" ? 16 : 8;
  const keyLens = family === "aes" ? [16, 24, 32] : [8, 24];
  const nodeAlg = (k: number) => (family === "aes" ? `aes-${k * 8}-cbc` : k === 8 ? "des-cbc" : "des-ede3-cbc");

  describe(`${name}: known answers`, () => {
    const vectors = family === "aes" ? AES_CBC_VECTORS : DES_CBC_VECTORS;
    for (const v of vectors) {
      test(v.source, () => {
        const c = value(create(hex(v.key)));
        expect(toHex(value(c.encrypt(hex(v.iv), hex(v.plaintext))))).toBe(v.ciphertext);
        expect(toHex(value(c.decrypt(hex(v.iv), hex(v.ciphertext))))).toBe(v.plaintext);
      });
    }
    if (family === "des") {
      test(TDEA_ECB_EXAMPLE.source, () => {
        const c = value(create(hex(TDEA_ECB_EXAMPLE.key)));
        expect(c.algorithm).toBe("des-ede3-cbc");
        for (const b of TDEA_ECB_EXAMPLE.blocks) {
          expect(toHex(value(c.encrypt(new Uint8Array(8), hex(b.plaintext))))).toBe(b.ciphertext);
          expect(toHex(value(c.decrypt(new Uint8Array(8), hex(b.ciphertext))))).toBe(b.plaintext);
        }
      });
    }
  });

  describe(`${name}: against node:crypto`, () => {
    test(`${runs} random batches of random keys, IVs and lengths`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...keyLens),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          (keyLen, n, seed) => {
            const key = nodeCrypto.randomBytes(keyLen);
            const c = value(create(key));
            const ivs = Array.from({ length: n }, () => nodeCrypto.randomBytes(bs) as Uint8Array);
            const src = Array.from(
              { length: n },
              (_, i) => nodeCrypto.randomBytes(bs * ((seed >>> (i * 3)) % 64)) as Uint8Array,
            );
            const dst = src.map((s) => new Uint8Array(s.length));
            value(c.encryptBatch(ivs, src, dst));
            for (let i = 0; i < n; i++) {
              const ci = nodeCrypto.createCipheriv(nodeAlg(keyLen), key, ivs[i]!);
              ci.setAutoPadding(false);
              expect(toHex(dst[i]!)).toBe(toHex(Buffer.concat([ci.update(src[i]!), ci.final()])));
            }
            // In place decryption gives the plaintext back.
            value(c.decryptBatch(ivs, dst, dst));
            for (let i = 0; i < n; i++) expect(toHex(dst[i]!)).toBe(toHex(src[i]!));
          },
        ),
        { numRuns: runs, seed: 0x5eed },
      );
    }, 120_000);
  });

  describe(`${name}: bad input`, () => {
    test("wrong key sizes are refused", () => {
      for (const k of [0, 1, 7, 9, 15, 17, 23, 25, 31, 33, 64]) {
        if (keyLens.includes(k)) continue;
        const r = create(new Uint8Array(k));
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.reason).toBe("badKeySize");
      }
    });
    test("non-block-multiple length, bad IV, short dst and count mismatch are refused and write nothing", () => {
      const c = value(create(new Uint8Array(keyLens[keyLens.length - 1]!).fill(7)));
      const iv = new Uint8Array(bs);
      const dst = new Uint8Array(64).fill(0xee);
      const cases: [Uint8Array[], Uint8Array[], Uint8Array[], string][] = [
        [[iv], [new Uint8Array(bs + 1)], [dst], "badLength"],
        [[new Uint8Array(bs - 1)], [new Uint8Array(bs)], [dst], "badIvSize"],
        [[iv], [new Uint8Array(bs * 2)], [new Uint8Array(bs)], "bufferTooShort"],
        [[iv, iv], [new Uint8Array(bs)], [dst], "badCount"],
        [[iv, iv], [new Uint8Array(bs), new Uint8Array(3)], [dst, dst], "badLength"],
      ];
      for (const [ivs, src, out, reason] of cases) {
        for (const r of [c.encryptBatch(ivs, src, out), c.decryptBatch(ivs, src, out)]) {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.reason).toBe(reason as never);
        }
        expect(dst.every((b) => b === 0xee)).toBe(true);
      }
    });
    test("empty batch and empty buffers are fine", () => {
      const c = value(create(new Uint8Array(keyLens[0]!)));
      expect(c.encryptBatch([], [], []).ok).toBe(true);
      expect(value(c.encrypt(new Uint8Array(bs), new Uint8Array(0))).length).toBe(0);
    });
    test("a large batch grows memory and stays correct", () => {
      const key = new Uint8Array(keyLens[0]!).fill(3);
      const c = value(create(key));
      const n = family === "aes" ? 400 : 40;
      const src = Array.from({ length: n }, (_, i) => new Uint8Array(bs * 100).fill(i));
      const ivs = src.map((_, i) => new Uint8Array(bs).fill(i + 1));
      const dst = src.map((s) => new Uint8Array(s.length));
      value(c.encryptBatch(ivs, src, dst));
      const last = n - 1;
      const ci = nodeCrypto.createCipheriv(nodeAlg(key.length), key, ivs[last]!);
      ci.setAutoPadding(false);
      expect(toHex(dst[last]!)).toBe(toHex(Buffer.concat([ci.update(src[last]!), ci.final()])));
    });
  });
}

/** AES-GCM suite. */
export function gcmSuite(
  name: string,
  create: (key: Uint8Array, tagLength?: number) => CryptoResult<AeadCipher>,
  runs: number,
): void {
  describe(`${name}: known answers`, () => {
    for (const v of GCM_VECTORS) {
      test(v.source, () => {
        const c = value(create(hex(v.key)));
        const sealed = value(c.seal(hex(v.iv), hex(v.aad), hex(v.plaintext)));
        expect(toHex(sealed)).toBe(v.ciphertext + v.tag);
        expect(toHex(value(c.open(hex(v.iv), hex(v.aad), sealed)))).toBe(v.plaintext);
        const t12 = value(create(hex(v.key), 12));
        expect(toHex(value(t12.seal(hex(v.iv), hex(v.aad), hex(v.plaintext))))).toBe(v.ciphertext + v.tag.slice(0, 24));
      });
    }
  });
  describe(`${name}: against node:crypto`, () => {
    test(`${runs} random batches`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(16, 24, 32),
          fc.integer({ min: 1, max: 4 }),
          fc.constantFrom(12, 8, 16, 60),
          fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 })), {
            minLength: 4,
            maxLength: 4,
          }),
          (keyLen, n, ivLen, lens) => {
            const key = nodeCrypto.randomBytes(keyLen);
            const c = value(create(key));
            const ivs = Array.from({ length: n }, () => nodeCrypto.randomBytes(ivLen) as Uint8Array);
            const aads = lens.slice(0, n).map(([, a]) => nodeCrypto.randomBytes(a) as Uint8Array);
            const src = lens.slice(0, n).map(([l]) => nodeCrypto.randomBytes(l) as Uint8Array);
            const dst = src.map((s) => new Uint8Array(s.length));
            const tags = src.map(() => new Uint8Array(16));
            value(c.sealBatch(ivs, aads, src, dst, tags));
            for (let i = 0; i < n; i++) {
              const ci = nodeCrypto.createCipheriv(`aes-${keyLen * 8}-gcm` as "aes-128-gcm", key, ivs[i]!);
              ci.setAAD(aads[i]!);
              const ct = Buffer.concat([ci.update(src[i]!), ci.final()]);
              expect(toHex(dst[i]!)).toBe(toHex(ct));
              expect(toHex(tags[i]!)).toBe(toHex(ci.getAuthTag()));
            }
            tags[0]![0]! ^= 1;
            const back = src.map((s) => new Uint8Array(s.length).fill(0xaa));
            const ok = value(c.openBatch(ivs, aads, dst, tags, back));
            expect(ok[0]).toBe(false);
            expect(back[0]!.every((b) => b === 0xaa)).toBe(true);
            for (let i = 1; i < n; i++) {
              expect(ok[i]).toBe(true);
              expect(toHex(back[i]!)).toBe(toHex(src[i]!));
            }
          },
        ),
        { numRuns: runs, seed: 0x6c3 },
      );
    }, 120_000);
  });
  describe(`${name}: bad input`, () => {
    test("wrong key size and tag size are refused", () => {
      for (const k of [0, 8, 15, 20, 33]) expect(create(new Uint8Array(k)).ok).toBe(false);
      for (const t of [0, 3, 5, 9, 11, 17]) {
        const r = create(new Uint8Array(16), t);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.reason).toBe("badTagSize");
      }
    });
    test("short sealed input, tampered data and short buffers answer errors", () => {
      const c = value(create(new Uint8Array(16)));
      const iv = new Uint8Array(12);
      const short = c.open(iv, new Uint8Array(0), new Uint8Array(15));
      expect(short.ok).toBe(false);
      if (!short.ok) expect(short.error.reason).toBe("bufferTooShort");
      const sealed = value(c.seal(iv, new Uint8Array(3), new Uint8Array(40)));
      sealed[5]! ^= 0x80;
      const bad = c.open(iv, new Uint8Array(3), sealed);
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.reason).toBe("authFailed");
      const r = c.sealBatch(
        [iv],
        [new Uint8Array(0)],
        [new Uint8Array(32)],
        [new Uint8Array(16)],
        [new Uint8Array(16)],
      );
      expect(r.ok).toBe(false);
      const e = c.sealBatch(
        [new Uint8Array(0)],
        [new Uint8Array(0)],
        [new Uint8Array(16)],
        [new Uint8Array(16)],
        [new Uint8Array(16)],
      );
      expect(e.ok).toBe(false);
    });
  });
}

/** Hash and HMAC suite. */
export function hashSuite(
  name: string,
  createHash: (a: HashAlgorithm) => BatchHash,
  createMac: (a: HashAlgorithm, key: Uint8Array, outLen?: number) => CryptoResult<Mac>,
  runs: number,
): void {
  const algs: HashAlgorithm[] = ["md5", "sha1", "sha256", "sha384", "sha512"];
  describe(`${name}: known answers`, () => {
    for (const v of HASH_VECTORS) {
      test(`${v.source} (${v.algorithm})`, () => {
        const msg = new TextEncoder().encode(v.message.repeat(v.repeat ?? 1));
        expect(toHex(createHash(v.algorithm).digest(msg))).toBe(v.digest);
      });
    }
    for (const v of HMAC_VECTORS) {
      test(`${v.source} (hmac-${v.algorithm}, ${v.mac.length * 4} bits)`, () => {
        const m = value(createMac(v.algorithm, hex(v.key), v.mac.length / 2));
        expect(toHex(m.mac(hex(v.data)))).toBe(v.mac);
        expect(m.verify(hex(v.data), hex(v.mac))).toBe(true);
      });
    }
  });
  describe(`${name}: against node:crypto`, () => {
    test(`${runs} random batches over every algorithm, lengths around block boundaries`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...algs),
          fc.integer({ min: 0, max: 200 }),
          fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 50, max: 1500 })), {
            minLength: 1,
            maxLength: 5,
          }),
          fc.boolean(),
          (alg, keyLen, lens, icv) => {
            const src = lens.map((l) => nodeCrypto.randomBytes(l) as Uint8Array);
            const h = createHash(alg);
            const out = src.map(() => new Uint8Array(DIGEST_LENGTH[alg]));
            value(h.digestBatch(src, out));
            src.forEach((s, i) => expect(toHex(out[i]!)).toBe(nodeCrypto.createHash(alg).update(s).digest("hex")));
            const key = nodeCrypto.randomBytes(keyLen);
            const outLen = icv ? ICV_LENGTH[alg] : DIGEST_LENGTH[alg];
            const m = value(createMac(alg, key, outLen));
            const macs = src.map(() => new Uint8Array(outLen));
            value(m.macBatch(src, macs));
            src.forEach((s, i) =>
              expect(toHex(macs[i]!)).toBe(
                nodeCrypto
                  .createHmac(alg, key)
                  .update(s)
                  .digest("hex")
                  .slice(0, outLen * 2),
              ),
            );
          },
        ),
        { numRuns: runs, seed: 0x4a5 },
      );
    }, 120_000);
  });
  describe(`${name}: bad input`, () => {
    test("output length outside 1..digest is refused; short outputs and count mismatch answer errors", () => {
      for (const a of algs) {
        for (const l of [0, -1, DIGEST_LENGTH[a] + 1, 1.5]) {
          const r = createMac(a, new Uint8Array(4), l);
          expect(r.ok).toBe(false);
        }
      }
      const m = value(createMac("sha1", new Uint8Array(20), 12));
      const r1 = m.macBatch([new Uint8Array(10)], [new Uint8Array(11)]);
      expect(r1.ok).toBe(false);
      if (!r1.ok) expect(r1.error.reason).toBe("bufferTooShort");
      const r2 = m.macBatch([new Uint8Array(10)], []);
      expect(r2.ok).toBe(false);
      if (!r2.ok) expect(r2.error.reason).toBe("badCount");
      const h = createHash("sha256");
      expect(h.digestBatch([new Uint8Array(1)], [new Uint8Array(31)]).ok).toBe(false);
      expect(m.verify(new Uint8Array(10), new Uint8Array(11))).toBe(false);
    });
    test("a verify against a flipped ICV fails", () => {
      const m = value(createMac("md5", new Uint8Array(16).fill(1), 12));
      const icv = m.mac(new Uint8Array(100));
      icv[11]! ^= 1;
      expect(m.verify(new Uint8Array(100), icv)).toBe(false);
    });
    test("the same instance alternates plain hashing and many keys without state leaking", () => {
      for (const a of algs) {
        const h = createHash(a);
        const d1 = toHex(h.digest(new Uint8Array(77)));
        const m = value(createMac(a, new Uint8Array(300).fill(9)));
        m.mac(new Uint8Array(5));
        expect(toHex(h.digest(new Uint8Array(77)))).toBe(d1);
        expect(toHex(m.mac(new Uint8Array(5)))).toBe(
          nodeCrypto.createHmac(a, new Uint8Array(300).fill(9)).update(new Uint8Array(5)).digest("hex"),
        );
      }
    });
  });
}
