// IKEv1 key derivation (RFC 2409 section 5, 5.5, 5.7, appendix B; RFC 3947 NAT-D):
// prf against the RFC 2202/4231 HMAC answers, a published SKEYID vector, and
// every derivation against a straight-line recomputation written here with
// node:crypto createHmac/createHash (the code under test uses @noble/hashes).
import { describe, expect, test } from "bun:test";
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import {
  deriveSkeyids,
  hashI,
  hashR,
  IKE_HASH_LENGTH,
  type IkeHash,
  ikeHash,
  informationalHash,
  keymat,
  MAX_DERIVED_BYTES,
  natDHash,
  phase1EncryptionKey,
  phase1Iv,
  phase2Iv,
  prf,
  quickModeHash1,
  quickModeHash2,
  quickModeHash3,
  skeyidPke,
  skeyidPsk,
  skeyidSig,
  splitKeymat,
  uint32Bytes,
} from "../../../src/protocols/ike/v1-keys.ts";
import { SeededRandom } from "../../../src/runtime/random.ts";
import { HMAC_VECTORS } from "../../vectors/crypto/hash.ts";
import { IKEV1_SIG_VECTORS } from "./vectors.ts";

const HASHES: IkeHash[] = ["md5", "sha1", "sha256", "sha384", "sha512"];
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const B = (...bytes: number[]) => Buffer.from(bytes);

// Straight-line reference: node:crypto, one Buffer.concat per call.
const HMAC = (h: IkeHash, key: Uint8Array, ...parts: Uint8Array[]) =>
  new Uint8Array(createHmac(h, key).update(Buffer.concat(parts)).digest());
const HASH = (h: IkeHash, ...parts: Uint8Array[]) =>
  new Uint8Array(createHash(h).update(Buffer.concat(parts)).digest());

/** Deterministic test material. */
function material(seed: number) {
  const rng = new SeededRandom(seed);
  const bytes = (n: number) => rng.fill(new Uint8Array(n));
  return {
    psk: new TextEncoder().encode("cisco123"),
    ni: bytes(16),
    nr: bytes(20),
    ckyI: bytes(8),
    ckyR: bytes(8),
    gxi: bytes(128),
    gxr: bytes(128),
    gxy: bytes(128),
    gxyQm: bytes(128),
    sai: bytes(52),
    idii: bytes(8),
    idir: bytes(8),
    rest: bytes(90),
    spi: bytes(4),
    lastBlock: bytes(16),
  };
}

describe("prf is HMAC", () => {
  for (const v of HMAC_VECTORS) {
    test(`${v.source} (${v.algorithm})`, () => {
      const out = prf(v.algorithm, hex(v.key), hex(v.data));
      expect(out.length).toBe(IKE_HASH_LENGTH[v.algorithm]);
      // Truncated answers (test case 5) compare the leading bytes.
      expect(toHex(out.subarray(0, v.mac.length / 2))).toBe(v.mac);
    });
  }

  test("several data arguments hash as their concatenation; ikeHash is the plain hash", () => {
    const m = material(1);
    for (const h of HASHES) {
      expect(prf(h, m.psk, m.ni, m.nr, m.gxy)).toEqual(HMAC(h, m.psk, m.ni, m.nr, m.gxy));
      expect(prf(h, m.psk)).toEqual(HMAC(h, m.psk));
      expect(ikeHash(h, m.gxi, m.gxr)).toEqual(HASH(h, m.gxi, m.gxr));
    }
  });
});

describe("published vector", () => {
  for (const v of IKEV1_SIG_VECTORS) {
    test(v.source, () => {
      const skeyid = skeyidSig(v.hash, hex(v.ni), hex(v.nr), hex(v.gxy));
      expect(toHex(skeyid)).toBe(v.skeyid);
      const k = deriveSkeyids(v.hash, skeyid, hex(v.gxy), hex(v.ckyI), hex(v.ckyR));
      expect(toHex(k.d)).toBe(v.skeyidD);
      expect(toHex(k.a)).toBe(v.skeyidA);
      expect(toHex(k.e)).toBe(v.skeyidE);
    });
  }
});

describe("phase 1 derivations (RFC 2409 section 5) against node:crypto", () => {
  for (const h of HASHES) {
    test(`${h}: SKEYID for PSK, signatures and public key encryption; SKEYID_d/a/e`, () => {
      const m = material(2);
      expect(skeyidPsk(h, m.psk, m.ni, m.nr)).toEqual(HMAC(h, m.psk, m.ni, m.nr));
      expect(skeyidSig(h, m.ni, m.nr, m.gxy)).toEqual(HMAC(h, Buffer.concat([m.ni, m.nr]), m.gxy));
      expect(skeyidPke(h, m.ni, m.nr, m.ckyI, m.ckyR)).toEqual(HMAC(h, HASH(h, m.ni, m.nr), m.ckyI, m.ckyR));
      const skeyid = skeyidPsk(h, m.psk, m.ni, m.nr);
      const d = HMAC(h, skeyid, m.gxy, m.ckyI, m.ckyR, B(0));
      const a = HMAC(h, skeyid, d, m.gxy, m.ckyI, m.ckyR, B(1));
      const e = HMAC(h, skeyid, a, m.gxy, m.ckyI, m.ckyR, B(2));
      expect(deriveSkeyids(h, skeyid, m.gxy, m.ckyI, m.ckyR)).toEqual({ d, a, e });
    });

    test(`${h}: HASH_I, HASH_R, phase-1 IV, phase-2 IV`, () => {
      const m = material(3);
      const skeyid = skeyidPsk(h, m.psk, m.ni, m.nr);
      expect(hashI(h, skeyid, m.gxi, m.gxr, m.ckyI, m.ckyR, m.sai, m.idii)).toEqual(
        HMAC(h, skeyid, m.gxi, m.gxr, m.ckyI, m.ckyR, m.sai, m.idii),
      );
      expect(hashR(h, skeyid, m.gxr, m.gxi, m.ckyR, m.ckyI, m.sai, m.idir)).toEqual(
        HMAC(h, skeyid, m.gxr, m.gxi, m.ckyR, m.ckyI, m.sai, m.idir),
      );
      expect(hashI(h, skeyid, m.gxi, m.gxr, m.ckyI, m.ckyR, m.sai, m.idii)).not.toEqual(
        hashR(h, skeyid, m.gxr, m.gxi, m.ckyR, m.ckyI, m.sai, m.idii),
      );
      for (const block of [8, 16]) {
        expect(phase1Iv(h, m.gxi, m.gxr, block)).toEqual(HASH(h, m.gxi, m.gxr).subarray(0, block));
        expect(phase2Iv(h, m.lastBlock.subarray(0, block), 0xdeadbeef, block)).toEqual(
          HASH(h, m.lastBlock.subarray(0, block), B(0xde, 0xad, 0xbe, 0xef)).subarray(0, block),
        );
      }
    });
  }
});

describe("phase-1 encryption key (RFC 2409 appendix B)", () => {
  const m = material(4);
  const skeyidE = (h: IkeHash) => deriveSkeyids(h, skeyidPsk(h, m.psk, m.ni, m.nr), m.gxy, m.ckyI, m.ckyR).e;

  test("AES-256 with MD5: SKEYID_e is 16 bytes, key = K1 | K2", () => {
    const e = skeyidE("md5");
    expect(e.length).toBe(16);
    const k1 = HMAC("md5", e, B(0));
    const k2 = HMAC("md5", e, k1);
    expect(phase1EncryptionKey("md5", e, 32)).toEqual(new Uint8Array(Buffer.concat([k1, k2])));
  });

  test("AES-256 with SHA-1: SKEYID_e is 20 bytes, key = K1 | first 12 bytes of K2", () => {
    const e = skeyidE("sha1");
    const k1 = HMAC("sha1", e, B(0));
    const k2 = HMAC("sha1", e, k1);
    expect(phase1EncryptionKey("sha1", e, 32)).toEqual(new Uint8Array(Buffer.concat([k1, k2.subarray(0, 12)])));
  });

  test("3DES with SHA-1 and with MD5: 24 bytes from K1 | K2", () => {
    for (const h of ["sha1", "md5"] as const) {
      const e = skeyidE(h);
      const k1 = HMAC(h, e, B(0));
      const k2 = HMAC(h, e, k1);
      expect(phase1EncryptionKey(h, e, 24)).toEqual(new Uint8Array(Buffer.concat([k1, k2]).subarray(0, 24)));
    }
  });

  test("AES-192 with MD5 needs K1 | K2 | ... only up to 24 bytes; 48 bytes take K3", () => {
    const e = skeyidE("md5");
    const k1 = HMAC("md5", e, B(0));
    const k2 = HMAC("md5", e, k1);
    const k3 = HMAC("md5", e, k2);
    expect(phase1EncryptionKey("md5", e, 24)).toEqual(new Uint8Array(Buffer.concat([k1, k2]).subarray(0, 24)));
    expect(phase1EncryptionKey("md5", e, 48)).toEqual(new Uint8Array(Buffer.concat([k1, k2, k3])));
  });

  test("when SKEYID_e is long enough its leading bytes are the key (no expansion)", () => {
    for (const [h, n] of [
      ["sha1", 16],
      ["sha1", 8],
      ["md5", 16],
      ["sha256", 32],
      ["sha384", 32],
      ["sha512", 24],
    ] as const) {
      const e = skeyidE(h);
      expect(phase1EncryptionKey(h, e, n)).toEqual(e.subarray(0, n));
    }
  });

  test("lengths that make no sense are clamped, never thrown", () => {
    const e = skeyidE("sha1");
    expect(phase1EncryptionKey("sha1", e, 0).length).toBe(0);
    expect(phase1EncryptionKey("sha1", e, -5).length).toBe(0);
    expect(phase1EncryptionKey("sha1", e, Number.NaN).length).toBe(0);
    expect(phase1EncryptionKey("sha1", e, 10.7).length).toBe(10);
    expect(phase1EncryptionKey("sha1", e, 1e9).length).toBe(MAX_DERIVED_BYTES);
  });
});

describe("quick mode and informational (RFC 2409 section 5.5, 5.7)", () => {
  for (const h of HASHES) {
    test(`${h}: HASH(1), HASH(2), HASH(3), informational HASH(1) with a message id above 2^31`, () => {
      const m = material(5);
      const a = deriveSkeyids(h, skeyidPsk(h, m.psk, m.ni, m.nr), m.gxy, m.ckyI, m.ckyR).a;
      const mid = 0x9a7c3e01;
      const MID = B(0x9a, 0x7c, 0x3e, 0x01);
      expect(quickModeHash1(h, a, mid, m.rest)).toEqual(HMAC(h, a, MID, m.rest));
      expect(quickModeHash2(h, a, mid, m.ni, m.rest)).toEqual(HMAC(h, a, MID, m.ni, m.rest));
      expect(quickModeHash3(h, a, mid, m.ni, m.nr)).toEqual(HMAC(h, a, B(0), MID, m.ni, m.nr));
      expect(informationalHash(h, a, mid, m.rest)).toEqual(HMAC(h, a, MID, m.rest));
    });
  }

  test("message ids are unsigned 32-bit big-endian", () => {
    expect(uint32Bytes(0)).toEqual(new Uint8Array([0, 0, 0, 0]));
    expect(uint32Bytes(0xdeadbeef)).toEqual(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    expect(uint32Bytes(-1)).toEqual(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    expect(uint32Bytes(2 ** 32 + 5)).toEqual(new Uint8Array([0, 0, 0, 5]));
  });
});

describe("KEYMAT (RFC 2409 section 5.5)", () => {
  const m = material(6);
  const ESP = 3;
  const tail = (gxy?: Uint8Array) => [...(gxy ? [gxy] : []), B(ESP), m.spi, m.ni, m.nr];

  test("3DES + HMAC-SHA1 (44 bytes) with SHA-1: K1 | K2 | first 4 bytes of K3, without and with PFS", () => {
    const d = deriveSkeyids("sha1", skeyidPsk("sha1", m.psk, m.ni, m.nr), m.gxy, m.ckyI, m.ckyR).d;
    for (const gxy of [undefined, m.gxyQm]) {
      const k1 = HMAC("sha1", d, ...tail(gxy));
      const k2 = HMAC("sha1", d, k1, ...tail(gxy));
      const k3 = HMAC("sha1", d, k2, ...tail(gxy));
      const expected = new Uint8Array(Buffer.concat([k1, k2, k3]).subarray(0, 44));
      const got = keymat("sha1", d, ESP, m.spi, m.ni, m.nr, 44, gxy);
      expect(got).toEqual(expected);
      const { encryptionKey, integrityKey } = splitKeymat(got, 24, 20);
      expect(encryptionKey).toEqual(expected.subarray(0, 24));
      expect(integrityKey).toEqual(expected.subarray(24, 44));
    }
    expect(keymat("sha1", d, ESP, m.spi, m.ni, m.nr, 44)).not.toEqual(
      keymat("sha1", d, ESP, m.spi, m.ni, m.nr, 44, m.gxyQm),
    );
  });

  test("AES-256 + HMAC-SHA256 (64 bytes) with MD5: K1 .. K4", () => {
    const d = deriveSkeyids("md5", skeyidPsk("md5", m.psk, m.ni, m.nr), m.gxy, m.ckyI, m.ckyR).d;
    const k1 = HMAC("md5", d, ...tail());
    const k2 = HMAC("md5", d, k1, ...tail());
    const k3 = HMAC("md5", d, k2, ...tail());
    const k4 = HMAC("md5", d, k3, ...tail());
    expect(keymat("md5", d, ESP, m.spi, m.ni, m.nr, 64)).toEqual(new Uint8Array(Buffer.concat([k1, k2, k3, k4])));
  });

  test("one block is K1 truncated; the protocol id and SPI matter; bad lengths clamp", () => {
    const d = deriveSkeyids("sha256", skeyidPsk("sha256", m.psk, m.ni, m.nr), m.gxy, m.ckyI, m.ckyR).d;
    expect(keymat("sha256", d, ESP, m.spi, m.ni, m.nr, 16)).toEqual(HMAC("sha256", d, ...tail()).subarray(0, 16));
    expect(keymat("sha256", d, 2, m.spi, m.ni, m.nr, 16)).not.toEqual(keymat("sha256", d, ESP, m.spi, m.ni, m.nr, 16));
    expect(keymat("sha256", d, ESP, B(0, 0, 1, 0), m.ni, m.nr, 16)).not.toEqual(
      keymat("sha256", d, ESP, m.spi, m.ni, m.nr, 16),
    );
    expect(keymat("sha256", d, ESP, m.spi, m.ni, m.nr, -1).length).toBe(0);
    expect(keymat("sha256", d, ESP, m.spi, m.ni, m.nr, 1e7).length).toBe(MAX_DERIVED_BYTES);
  });

  test("splitKeymat: encryption key first; a short KEYMAT gives short keys", () => {
    const km = Uint8Array.from({ length: 10 }, (_, i) => i);
    expect(splitKeymat(km, 4, 6)).toEqual({ encryptionKey: km.subarray(0, 4), integrityKey: km.subarray(4, 10) });
    expect(splitKeymat(km, 0, 10).integrityKey).toEqual(km);
    const short = splitKeymat(km, 8, 8);
    expect(short.encryptionKey.length).toBe(8);
    expect(short.integrityKey.length).toBe(2);
  });
});

describe("NAT-D (RFC 3947 section 3.2)", () => {
  test("hash(CKY-I | CKY-R | IP | Port) with the negotiated hash", () => {
    const m = material(7);
    const ip = 0xc0a80a01; // 192.168.10.1
    for (const h of HASHES) {
      const expected = HASH(h, m.ckyI, m.ckyR, B(192, 168, 10, 1), B(0x01, 0xf4));
      expect(natDHash(h, m.ckyI, m.ckyR, ip, 500)).toEqual(expected);
      expect(natDHash(h, m.ckyI, m.ckyR, B(192, 168, 10, 1), 500)).toEqual(expected);
      expect(natDHash(h, m.ckyI, m.ckyR, ip, 4500)).not.toEqual(expected);
    }
  });
});

describe("robustness", () => {
  test("random inputs never throw and outputs have the promised lengths", () => {
    const hashArb = fc.constantFrom<IkeHash>(...HASHES);
    const bytes = fc.uint8Array({ maxLength: 64 });
    fc.assert(
      fc.property(hashArb, bytes, bytes, fc.integer({ min: -10, max: 200 }), fc.integer(), (h, k, d, n, mid) => {
        const want = Math.max(0, n);
        return (
          phase1EncryptionKey(h, k, n).length === want &&
          keymat(h, k, mid, d, d, k, n).length === want &&
          quickModeHash1(h, k, mid, d).length === IKE_HASH_LENGTH[h] &&
          phase2Iv(h, d, mid, 16).length === 16
        );
      }),
      { numRuns: 300 },
    );
  });
});
