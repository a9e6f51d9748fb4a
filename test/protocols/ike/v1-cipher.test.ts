// ISAKMP body encryption (RFC 2408 section 3.5, RFC 2409 appendix B): known
// answers, round trips and IV chaining for DES, 3DES and AES-128/192/256, a
// cross-check against the fast path's TypeScript CBC reference (a different
// implementation), refusals that never throw, and the DES weak-key check, whose
// list is verified here by the defining property of weak and semi-weak keys.
import { describe, expect, test } from "bun:test";
import { createCipheriv } from "node:crypto";
import fc from "fast-check";
import { AesCbcRef, type CryptoResult, DesCbcRef } from "../../../src/fastpath/crypto/index.ts";
import { dhKeyPair, dhSharedSecret, randomBytesFrom } from "../../../src/protocols/ike/dh.ts";
import {
  decryptIsakmpBody,
  encryptIsakmpBody,
  type IkeCipher,
  ikeCipherBlockSize,
  ikeCipherKeyBytes,
  ikeCipherKeyIsWeak,
  isWeakDesKey,
  WEAK_DES_KEYS,
} from "../../../src/protocols/ike/v1-cipher.ts";
import { deriveSkeyids, phase1EncryptionKey, phase1Iv, skeyidPsk } from "../../../src/protocols/ike/v1-keys.ts";
import { SeededRandom } from "../../../src/runtime/random.ts";
import { AES_CBC_VECTORS, DES_CBC_VECTORS, TDEA_ECB_EXAMPLE } from "../../vectors/crypto/cbc.ts";

const CIPHERS: IkeCipher[] = [
  { algorithm: "des", keyBits: 64 },
  { algorithm: "3des", keyBits: 192 },
  { algorithm: "aes", keyBits: 128 },
  { algorithm: "aes", keyBits: 192 },
  { algorithm: "aes", keyBits: 256 },
];
const name = (c: IkeCipher) => `${c.algorithm}-${c.keyBits}`;
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

function must<T>(r: CryptoResult<T>): T {
  if (!r.ok) throw new Error(r.error.detail);
  return r.value;
}

/** The fast path's TypeScript CBC reference for a key. */
function reference(c: IkeCipher, key: Uint8Array) {
  return c.algorithm === "aes" ? must(AesCbcRef.create(key)) : must(DesCbcRef.create(key));
}

describe("sizes", () => {
  test("block and key sizes; combinations that do not exist have no key size", () => {
    expect(CIPHERS.map(ikeCipherBlockSize)).toEqual([8, 8, 16, 16, 16]);
    expect(CIPHERS.map(ikeCipherKeyBytes)).toEqual([8, 24, 16, 24, 32]);
    expect(ikeCipherKeyBytes({ algorithm: "aes", keyBits: 100 })).toBe(0);
    expect(ikeCipherKeyBytes({ algorithm: "des", keyBits: 56 })).toBe(0);
    expect(ikeCipherKeyBytes({ algorithm: "3des", keyBits: 168 })).toBe(0);
  });
});

describe("known answers", () => {
  test("AES (FIPS-197, SP 800-38A) and DES (FIPS 81, SP 800-20) vectors encrypt to their ciphertext", () => {
    for (const v of [...AES_CBC_VECTORS, ...DES_CBC_VECTORS]) {
      const key = hex(v.key);
      const c: IkeCipher =
        key.length === 8 ? { algorithm: "des", keyBits: 64 } : { algorithm: "aes", keyBits: key.length * 8 };
      const out = encryptIsakmpBody(c, key, hex(v.iv), hex(v.plaintext));
      expect(out.ok).toBe(true);
      expect(Buffer.from(out.ciphertext).toString("hex")).toBe(v.ciphertext);
    }
  });

  test("3DES (SP 800-67 appendix B), one block at a time with a zero IV", () => {
    const c: IkeCipher = { algorithm: "3des", keyBits: 192 };
    for (const b of TDEA_ECB_EXAMPLE.blocks) {
      const out = encryptIsakmpBody(c, hex(TDEA_ECB_EXAMPLE.key), new Uint8Array(8), hex(b.plaintext));
      expect(Buffer.from(out.ciphertext).toString("hex")).toBe(b.ciphertext);
    }
  });
});

describe("round trips and IV chaining", () => {
  for (const c of CIPHERS) {
    test(`${name(c)}: zero padding, next IV = last ciphertext block, chained messages, fast-path reference agrees`, () => {
      const rng = new SeededRandom(c.keyBits);
      const bytes = (n: number) => rng.fill(new Uint8Array(n));
      const block = ikeCipherBlockSize(c);
      const key = bytes(ikeCipherKeyBytes(c));
      const ref = reference(c, key);
      let ivSend: Uint8Array = bytes(block);
      let ivRecv: Uint8Array = ivSend.slice();
      for (const len of [0, 1, block - 1, block, block + 1, 3 * block, 100, 257]) {
        const plain = bytes(len);
        const enc = encryptIsakmpBody(c, key, ivSend, plain);
        expect(enc.ok).toBe(true);
        const padded = Math.max(block, Math.ceil(len / block) * block);
        expect(enc.ciphertext.length).toBe(padded);
        expect(enc.nextIv).toEqual(enc.ciphertext.subarray(padded - block));
        // A different CBC implementation decrypts it to the zero-padded plaintext.
        const expectedPlain = new Uint8Array(padded);
        expectedPlain.set(plain);
        expect(must(ref.decrypt(ivRecv, enc.ciphertext))).toEqual(expectedPlain);
        const dec = decryptIsakmpBody(c, key, ivRecv, enc.ciphertext);
        if (!dec.ok) throw new Error(dec.reason);
        expect(dec.plaintext).toEqual(expectedPlain);
        expect(dec.nextIv).toEqual(enc.nextIv);
        ivSend = enc.nextIv;
        ivRecv = dec.nextIv;
      }
      // Decrypting with a stale IV garbles the first block only.
      const enc = encryptIsakmpBody(c, key, ivSend, bytes(2 * block));
      const stale = decryptIsakmpBody(c, key, new Uint8Array(block), enc.ciphertext);
      const fresh = decryptIsakmpBody(c, key, ivRecv, enc.ciphertext);
      if (!stale.ok || !fresh.ok) throw new Error("decrypt failed");
      expect(stale.plaintext.subarray(0, block)).not.toEqual(fresh.plaintext.subarray(0, block));
      expect(stale.plaintext.subarray(block)).toEqual(fresh.plaintext.subarray(block));
      // The inputs are not modified.
      const iv = bytes(block);
      const ivCopy = iv.slice();
      const plain = bytes(block + 3);
      const plainCopy = plain.slice();
      encryptIsakmpBody(c, key, iv, plain);
      expect(iv).toEqual(ivCopy);
      expect(plain).toEqual(plainCopy);
    });
  }

  test("two peers with derived keys (group 2, PSK, SHA-1, AES-256 via appendix B) read each other's messages", () => {
    const c: IkeCipher = { algorithm: "aes", keyBits: 256 };
    const i = dhKeyPair(2, randomBytesFrom(new SeededRandom(1)));
    const r = dhKeyPair(2, randomBytesFrom(new SeededRandom(2)));
    const side = (mine: typeof i, theirs: typeof r) => {
      const gxy = dhSharedSecret(2, mine.privateKey, theirs.publicKey)!;
      const ni = new Uint8Array(16).fill(1);
      const nr = new Uint8Array(16).fill(2);
      const skeyid = skeyidPsk("sha1", new TextEncoder().encode("cisco"), ni, nr);
      const { e } = deriveSkeyids("sha1", skeyid, gxy, new Uint8Array(8).fill(3), new Uint8Array(8).fill(4));
      return { key: phase1EncryptionKey("sha1", e, 32), iv: phase1Iv("sha1", i.publicKey, r.publicKey, 16) };
    };
    const a = side(i, r);
    const b = side(r, i);
    expect(a).toEqual(b);
    const msg = new TextEncoder().encode("ID payload and HASH_I");
    const enc = encryptIsakmpBody(c, a.key, a.iv, msg);
    const dec = decryptIsakmpBody(c, b.key, b.iv, enc.ciphertext);
    if (!dec.ok) throw new Error(dec.reason);
    expect(dec.plaintext.subarray(0, msg.length)).toEqual(msg);
  });
});

describe("refusals never throw", () => {
  const c: IkeCipher = { algorithm: "aes", keyBits: 128 };
  const key = new Uint8Array(16).fill(7);
  const iv = new Uint8Array(16);

  test("decrypt: empty or partial blocks are badLength; wrong key, IV or cipher are refused", () => {
    expect(decryptIsakmpBody(c, key, iv, new Uint8Array(0))).toEqual({ ok: false, reason: "badLength" });
    expect(decryptIsakmpBody(c, key, iv, new Uint8Array(17))).toEqual({ ok: false, reason: "badLength" });
    expect(
      decryptIsakmpBody({ algorithm: "des", keyBits: 64 }, key.subarray(0, 8), iv.subarray(0, 8), new Uint8Array(12)),
    ).toEqual({ ok: false, reason: "badLength" });
    expect(decryptIsakmpBody(c, key.subarray(0, 15), iv, new Uint8Array(16))).toEqual({
      ok: false,
      reason: "badKeySize",
    });
    expect(decryptIsakmpBody(c, key, iv.subarray(0, 8), new Uint8Array(16))).toEqual({
      ok: false,
      reason: "badIvSize",
    });
    expect(decryptIsakmpBody({ algorithm: "aes", keyBits: 100 }, key, iv, new Uint8Array(16))).toEqual({
      ok: false,
      reason: "badKeySize",
    });
  });

  test("encrypt: wrong key or IV size answers ok: false with an empty ciphertext and the IV unchanged", () => {
    const bad = encryptIsakmpBody(c, key.subarray(0, 5), iv, new Uint8Array(20));
    expect(bad).toEqual({ ok: false, reason: "badKeySize", ciphertext: new Uint8Array(0), nextIv: iv });
    const badIv = encryptIsakmpBody(c, key, new Uint8Array(3), new Uint8Array(20));
    expect(badIv.ok).toBe(false);
    expect(badIv.ciphertext.length).toBe(0);
  });

  test("random ciphertexts, keys and IVs never throw", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CIPHERS),
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 20 }),
        fc.uint8Array({ maxLength: 70 }),
        (ci, k, v, data) => {
          const d = decryptIsakmpBody(ci, k, v, data);
          const e = encryptIsakmpBody(ci, k, v, data);
          return typeof d.ok === "boolean" && typeof e.ok === "boolean";
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("weak DES keys (FIPS 74, RFC 2451 section 2.3)", () => {
  const desEncrypt = (key: Uint8Array, block: Uint8Array) => {
    const c = createCipheriv("des-cbc", key, new Uint8Array(8)).setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
  };
  const x = Uint8Array.from([0x4e, 0x6f, 0x77, 0x20, 0x69, 0x73, 0x20, 0x74]);

  test("the list is right: a weak key is its own inverse, a semi-weak pair undoes each other", () => {
    expect(WEAK_DES_KEYS.length).toBe(16);
    for (const k of WEAK_DES_KEYS.slice(0, 4)) expect(desEncrypt(k, desEncrypt(k, x))).toEqual(x);
    for (let i = 4; i < 16; i += 2) {
      const [k1, k2] = [WEAK_DES_KEYS[i]!, WEAK_DES_KEYS[i + 1]!];
      expect(desEncrypt(k2, desEncrypt(k1, x))).toEqual(x);
      expect(desEncrypt(k1, desEncrypt(k1, x))).not.toEqual(x);
    }
    // An ordinary key has neither property.
    const k = hex("0123456789abcdef");
    expect(desEncrypt(k, desEncrypt(k, x))).not.toEqual(x);
  });

  test("isWeakDesKey: every listed key, with any parity bits; not an ordinary key or a wrong length", () => {
    for (const k of WEAK_DES_KEYS) {
      expect(isWeakDesKey(k)).toBe(true);
      expect(isWeakDesKey(k.map((b) => b ^ 1))).toBe(true);
    }
    expect(isWeakDesKey(hex("0123456789abcdef"))).toBe(false);
    expect(isWeakDesKey(hex("0101010101010103"))).toBe(false);
    expect(isWeakDesKey(new Uint8Array(7).fill(1))).toBe(false);
  });

  test("ikeCipherKeyIsWeak: DES, 3DES sub-keys and K1 = K2 / K2 = K3, never AES, wrong sizes count as weak", () => {
    const a = hex("0123456789abcdef");
    const b = hex("23456789abcdef01");
    const c = hex("456789abcdef0123");
    const tdes = (...ks: Uint8Array[]) => new Uint8Array(Buffer.concat(ks));
    const DES: IkeCipher = { algorithm: "des", keyBits: 64 };
    const TDES: IkeCipher = { algorithm: "3des", keyBits: 192 };
    expect(ikeCipherKeyIsWeak(DES, a)).toBe(false);
    expect(ikeCipherKeyIsWeak(DES, WEAK_DES_KEYS[5]!)).toBe(true);
    expect(ikeCipherKeyIsWeak(TDES, tdes(a, b, c))).toBe(false);
    expect(ikeCipherKeyIsWeak(TDES, tdes(a, b, a))).toBe(false); // two-key 3DES is allowed
    expect(ikeCipherKeyIsWeak(TDES, tdes(a, a, c))).toBe(true);
    expect(
      ikeCipherKeyIsWeak(
        TDES,
        tdes(
          a,
          b,
          b.map((x) => x ^ 1),
        ),
      ),
    ).toBe(true);
    expect(ikeCipherKeyIsWeak(TDES, tdes(a, WEAK_DES_KEYS[0]!, c))).toBe(true);
    expect(ikeCipherKeyIsWeak({ algorithm: "aes", keyBits: 128 }, new Uint8Array(16))).toBe(false);
    expect(ikeCipherKeyIsWeak(TDES, a)).toBe(true);
  });
});
