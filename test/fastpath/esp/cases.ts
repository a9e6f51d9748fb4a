// The shared ESP case suite: espSuite registers the same bun:test cases for one
// backend (ref, native, wasm or auto), so every backend is held to the RFC 3602
// packets, round trips of every IOS transform, a differential against the
// independent node:crypto ESP below, anti-replay through the SA, and bad input.
import { describe, expect, test } from "bun:test";
import * as nodeCrypto from "node:crypto";
import fc from "fast-check";
import type { CbcAlgorithm, HashAlgorithm } from "../../../src/fastpath/crypto/types.ts";
import {
  createEspInbound,
  createEspOutbound,
  type EspBackendChoice,
  type EspBackendChooser,
  type EspOpened,
  type EspSaKeys,
} from "../../../src/fastpath/esp/index.ts";
import { RFC3602_ESP_VECTORS } from "../../vectors/esp/rfc3602.ts";

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Every cipher IOS offers in an ESP transform set (esp-des, esp-3des, esp-aes 128/192/256, esp-null). */
export const CIPHERS: readonly (CbcAlgorithm | null)[] = [
  "des-cbc",
  "des-ede3-cbc",
  "aes-128-cbc",
  "aes-192-cbc",
  "aes-256-cbc",
  null,
];
/** Every HMAC IOS offers (esp-md5-hmac, esp-sha-hmac, esp-sha256/384/512-hmac), and none. */
export const INTEGRITIES: readonly (HashAlgorithm | null)[] = ["md5", "sha1", "sha256", "sha384", "sha512", null];

// The test's own tables, written from RFC 2451/3602 and RFC 2403/2404/4868, not imported from src.
const KEY_LEN: Record<CbcAlgorithm, number> = {
  "des-cbc": 8,
  "des-ede3-cbc": 24,
  "aes-128-cbc": 16,
  "aes-192-cbc": 24,
  "aes-256-cbc": 32,
};
const BLOCK: Record<CbcAlgorithm, number> = {
  "des-cbc": 8,
  "des-ede3-cbc": 8,
  "aes-128-cbc": 16,
  "aes-192-cbc": 16,
  "aes-256-cbc": 16,
};
const ICV: Record<HashAlgorithm, number> = { md5: 12, sha1: 12, sha256: 16, sha384: 24, sha512: 32 };
const HMAC_KEY_LEN: Record<HashAlgorithm, number> = { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** Deterministic bytes for keys and payloads. */
export function bytes(len: number, seed: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = (seed * 2654435761 + 12345) >>> 0;
  for (let i = 0; i < len; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Keys for a transform, filled from a seed. */
export function keysFor(
  cipher: CbcAlgorithm | null,
  integrity: HashAlgorithm | null,
  seed = 1,
  spi = 0x1001,
): EspSaKeys {
  return {
    spi,
    encryption: cipher,
    encryptionKey: cipher === null ? new Uint8Array(0) : bytes(KEY_LEN[cipher], seed),
    integrity,
    integrityKey: integrity === null ? new Uint8Array(0) : bytes(HMAC_KEY_LEN[integrity], seed + 1),
  };
}

/** An IV source counting up from a seed (deterministic), recording each IV it gave. */
export function countingIv(seed = 0): { source: (out: Uint8Array) => void; given: Uint8Array[] } {
  let n = seed;
  const given: Uint8Array[] = [];
  return {
    given,
    source: (out) => {
      n++;
      for (let i = 0; i < out.length; i++) out[i] = (n * 37 + i * 11) & 0xff;
      given.push(Uint8Array.from(out));
    },
  };
}

/**
 * An independent ESP built straight on node:crypto from RFC 4303 §2: header,
 * IV, payload, padding 1..n to the block (4 for ESP-NULL), pad length, next
 * header, CBC, HMAC truncated. Used to check every backend byte for byte.
 */
export function independentSeal(
  keys: EspSaKeys,
  sequence: number,
  iv: Uint8Array,
  payload: Uint8Array,
  nextHeader: number,
): Uint8Array {
  const block = keys.encryption === null ? 4 : BLOCK[keys.encryption];
  const padLen = (block - ((payload.length + 2) % block)) % block;
  const trailer = Buffer.alloc(padLen + 2);
  for (let k = 0; k < padLen; k++) trailer[k] = k + 1;
  trailer[padLen] = padLen;
  trailer[padLen + 1] = nextHeader;
  const plain = Buffer.concat([payload, trailer]);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(keys.spi, 0);
  header.writeUInt32BE(sequence, 4);
  let body: Buffer = plain;
  if (keys.encryption !== null) {
    const c = nodeCrypto.createCipheriv(keys.encryption, keys.encryptionKey, iv);
    c.setAutoPadding(false);
    body = Buffer.concat([iv, c.update(plain), c.final()]);
  }
  const signed = Buffer.concat([header, body]);
  const icv =
    keys.integrity === null
      ? Buffer.alloc(0)
      : nodeCrypto
          .createHmac(keys.integrity, keys.integrityKey)
          .update(signed)
          .digest()
          .subarray(0, ICV[keys.integrity]);
  return Uint8Array.from(Buffer.concat([signed, icv]));
}

/** Independent opening: ICV, decrypt, trailer; null when anything is wrong. */
export function independentOpen(
  keys: EspSaKeys,
  packet: Uint8Array,
): { payload: Uint8Array; nextHeader: number; sequence: number } | null {
  const icvLen = keys.integrity === null ? 0 : ICV[keys.integrity];
  const ivLen = keys.encryption === null ? 0 : BLOCK[keys.encryption];
  const b = Buffer.from(packet);
  if (b.length < 8 + ivLen + icvLen + 2) return null;
  const signed = b.subarray(0, b.length - icvLen);
  if (keys.integrity !== null) {
    const want = nodeCrypto.createHmac(keys.integrity, keys.integrityKey).update(signed).digest().subarray(0, icvLen);
    if (!want.equals(b.subarray(b.length - icvLen))) return null;
  }
  let plain = signed.subarray(8 + ivLen);
  if (keys.encryption !== null) {
    if (plain.length % ivLen !== 0) return null;
    const d = nodeCrypto.createDecipheriv(keys.encryption, keys.encryptionKey, signed.subarray(8, 8 + ivLen));
    d.setAutoPadding(false);
    plain = Buffer.concat([d.update(plain), d.final()]);
  }
  const padLen = plain[plain.length - 2]!;
  if (padLen + 2 > plain.length) return null;
  for (let k = 0; k < padLen; k++) if (plain[plain.length - 2 - padLen + k] !== k + 1) return null;
  return {
    payload: Uint8Array.from(plain.subarray(0, plain.length - 2 - padLen)),
    nextHeader: plain[plain.length - 1]!,
    sequence: b.readUInt32BE(4),
  };
}

const STATUSES = new Set(["ok", "authFailed", "replayed", "malformed", "tooShort"]);

function expectRefused(r: EspOpened, status: string): void {
  expect(r.status).toBe(status as EspOpened["status"]);
  expect(r.payload.length).toBe(0);
  expect(r.nextHeader).toBe(0);
}

/** Options of one backend's run of the suite. */
export interface EspSuiteOptions {
  /** Payload lengths for the round trips of every transform. */
  lengths: number[];
  /** Payload lengths for the slow single-DES/3DES transforms (the ref DES is bit by bit). */
  desLengths: number[];
  /** fast-check runs for the differential and random-input properties. */
  runs: number;
  chooser?: EspBackendChooser;
}

/** Registers the ESP suite for one backend. */
export function espSuite(backend: EspBackendChoice, opts: EspSuiteOptions): void {
  const out = (keys: EspSaKeys, iv: (o: Uint8Array) => void, sequence?: number) =>
    createEspOutbound(keys, { backend, iv, chooser: opts.chooser, sequence });
  const inb = (keys: EspSaKeys, replayWindow?: number) =>
    createEspInbound(keys, { backend, replayWindow, chooser: opts.chooser });

  describe(`ESP ${backend}: RFC 3602 §4 packets`, () => {
    for (const v of RFC3602_ESP_VECTORS) {
      const keys: EspSaKeys = {
        spi: v.spi,
        encryption: "aes-128-cbc",
        encryptionKey: hex(v.key),
        integrity: null,
        integrityKey: new Uint8Array(0),
      };
      test(`${v.source}: seal`, () => {
        const sa = out(keys, (o) => o.set(hex(v.iv)), v.sequence - 1);
        expect(toHex(sa.seal(hex(v.payload), v.nextHeader))).toBe(v.packet);
        expect(sa.sequence).toBe(v.sequence);
      });
      test(`${v.source}: open`, () => {
        const r = inb(keys).open(hex(v.packet));
        expect(r.status).toBe("ok");
        expect(r.sequence).toBe(v.sequence);
        expect(r.nextHeader).toBe(v.nextHeader);
        expect(toHex(r.payload)).toBe(v.payload);
      });
    }
  });

  describe(`ESP ${backend}: round trips of every transform`, () => {
    for (const cipher of CIPHERS) {
      for (const integrity of INTEGRITIES) {
        const lengths = cipher?.startsWith("des") ? opts.desLengths : opts.lengths;
        test(`${cipher ?? "esp-null"} + ${integrity ?? "no integrity"}: ${lengths.length} lengths ${Math.min(...lengths)}..${Math.max(...lengths)}`, () => {
          const keys = keysFor(cipher, integrity, lengths.length);
          const ivs = countingIv();
          const sa = out(keys, ivs.source);
          const payloads = lengths.map((n, i) => bytes(n, i + 7));
          const nhs = lengths.map((_, i) => [4, 6, 17, 1, 47, 50][i % 6]!);
          const sealed = sa.sealBatch(payloads, nhs);
          expect(sa.sequence).toBe(lengths.length);
          expect(ivs.given.length).toBe(cipher === null ? 0 : lengths.length);
          for (let i = 0; i < lengths.length; i++) {
            expect(sealed[i]!.length).toBe(lengths[i]! + sa.overhead(lengths[i]!));
            const body =
              sealed[i]!.length - 8 - (cipher === null ? 0 : BLOCK[cipher]) - (integrity === null ? 0 : ICV[integrity]);
            expect(body % (cipher === null ? 4 : BLOCK[cipher])).toBe(0);
          }
          const opened = inb(keys, 1024).openBatch(sealed);
          for (let i = 0; i < lengths.length; i++) {
            const r = opened[i]!;
            expect(r.status).toBe("ok");
            expect(r.sequence).toBe(i + 1);
            expect(r.nextHeader).toBe(nhs[i]!);
            expect(toHex(r.payload)).toBe(toHex(payloads[i]!));
          }
        }, 60_000);
      }
    }
  });

  describe(`ESP ${backend}: against an independent node:crypto ESP`, () => {
    test(`${opts.runs} random SAs, payloads and batches, both directions`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...CIPHERS),
          fc.constantFrom(...INTEGRITIES),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 5 }),
          fc.integer({ min: 0, max: 1 << 30 }),
          (cipher, integrity, spi, lengths, seed) => {
            if (cipher?.startsWith("des") && backend === "ref") lengths = lengths.map((n) => n % 200);
            const keys = keysFor(cipher, integrity, seed, spi);
            const ivs = countingIv(seed);
            const start = seed % 1000;
            const sa = out(keys, ivs.source, start);
            const payloads = lengths.map((n, i) => bytes(n, seed + i));
            const nhs = lengths.map((_, i) => (seed + i) & 0xff);
            const sealed = sa.sealBatch(payloads, nhs);
            for (let i = 0; i < lengths.length; i++) {
              const iv = cipher === null ? new Uint8Array(0) : ivs.given[i]!;
              expect(toHex(sealed[i]!)).toBe(toHex(independentSeal(keys, start + i + 1, iv, payloads[i]!, nhs[i]!)));
              const back = independentOpen(keys, sealed[i]!);
              expect(back?.sequence).toBe(start + i + 1);
              expect(toHex(back!.payload)).toBe(toHex(payloads[i]!));
            }
            // The other direction: packets built independently (other IVs) open on the SA.
            const other = payloads.map((p, i) =>
              independentSeal(keys, 5000 + i, bytes(cipher === null ? 0 : BLOCK[cipher], seed + 99 + i), p, nhs[i]!),
            );
            const opened = inb(keys).openBatch(other);
            for (let i = 0; i < lengths.length; i++) {
              expect(opened[i]!.status).toBe("ok");
              expect(opened[i]!.sequence).toBe(5000 + i);
              expect(opened[i]!.nextHeader).toBe(nhs[i]!);
              expect(toHex(opened[i]!.payload)).toBe(toHex(payloads[i]!));
            }
          },
        ),
        { numRuns: opts.runs, seed: 0xe5b },
      );
    }, 60_000);
  });

  describe(`ESP ${backend}: HMAC keys of any length`, () => {
    test("keys shorter than, equal to and longer than the hash block (RFC 2104 hashes long keys first)", () => {
      for (const integrity of INTEGRITIES.filter((x) => x !== null)) {
        for (const keyLength of [0, 1, 20, 63, 64, 65, 127, 128, 129, 200]) {
          const keys: EspSaKeys = {
            ...keysFor("aes-128-cbc", integrity, keyLength),
            integrityKey: bytes(keyLength, keyLength + 3),
          };
          const ivs = countingIv();
          const payloads = [bytes(0, 1), bytes(50, 2), bytes(300, 3), bytes(51, 4), bytes(1400, 5)];
          const sealed = out(keys, ivs.source).sealBatch(
            payloads,
            payloads.map(() => 4),
          );
          sealed.forEach((p, i) =>
            expect(toHex(p)).toBe(toHex(independentSeal(keys, i + 1, ivs.given[i]!, payloads[i]!, 4))),
          );
          expect(
            inb(keys)
              .openBatch(sealed)
              .map((r) => r.status),
          ).toEqual(payloads.map(() => "ok"));
        }
      }
    });
  });

  describe(`ESP ${backend}: many SAs in turn`, () => {
    test("twelve SAs with different keys and transforms, used round-robin, each keep their own keys and counters", () => {
      const transforms = [
        ["aes-128-cbc", "sha1"],
        ["aes-256-cbc", "sha256"],
        ["des-ede3-cbc", "md5"],
        [null, "sha512"],
        ["aes-192-cbc", null],
        ["des-cbc", "sha384"],
      ] as const;
      const sas = Array.from({ length: 12 }, (_, k) => {
        const [cipher, integrity] = transforms[k % transforms.length]!;
        const keys = keysFor(cipher, integrity, 100 + k, 0x2000 + k);
        const ivs = countingIv(k * 1000);
        return { keys, ivs, out: out(keys, ivs.source), in: inb(keys) };
      });
      for (let round = 0; round < 3; round++) {
        sas.forEach((sa, k) => {
          const payloads = [bytes(40 + k, round), bytes(300, k), bytes(7, round + k)];
          const sealed = sa.out.sealBatch(payloads, [4, 6, 17]);
          sealed.forEach((p, i) => {
            const seq = round * 3 + i + 1;
            const iv = sa.keys.encryption === null ? new Uint8Array(0) : sa.ivs.given[round * 3 + i]!;
            expect(toHex(p)).toBe(toHex(independentSeal(sa.keys, seq, iv, payloads[i]!, [4, 6, 17][i]!)));
          });
          expect(sa.in.openBatch(sealed).map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
        });
      }
    });
  });

  describe(`ESP ${backend}: sequence numbers and IVs`, () => {
    test("sequence numbers start at 1 and the IV source is asked once per packet, in order", () => {
      const keys = keysFor("aes-128-cbc", "sha1");
      const ivs = countingIv();
      const sa = out(keys, ivs.source);
      expect(sa.sequence).toBe(0);
      const sealed = sa.sealBatch([bytes(10, 1), bytes(20, 2)], [4, 4]);
      sealed.push(sa.seal(bytes(30, 3), 4));
      expect(sealed.map((p) => new DataView(p.buffer, p.byteOffset).getUint32(4))).toEqual([1, 2, 3]);
      expect(sealed.map((p) => toHex(p.subarray(8, 24)))).toEqual(ivs.given.map(toHex));
      expect(sealed.map((p) => new DataView(p.buffer, p.byteOffset).getUint32(0))).toEqual([0x1001, 0x1001, 0x1001]);
    });

    test("ESP-NULL carries no IV and never asks for one", () => {
      const ivs = countingIv();
      const sa = out(keysFor(null, "sha256"), ivs.source);
      const p = sa.seal(bytes(5, 1), 17);
      expect(ivs.given.length).toBe(0);
      expect(p.length).toBe(8 + 8 + 16); // 5 + 1 pad + 2 -> 8, ICV 16
      expect(toHex(p.subarray(8, 16))).toBe(`${toHex(bytes(5, 1))}010111`);
    });

    test("after sequence 2^32-1 the SA is exhausted and seals nothing", () => {
      const keys = keysFor("aes-256-cbc", "sha512");
      const sa = out(keys, countingIv().source, 0xfffffffe);
      expect(sa.exhausted).toBe(false);
      const [last, none] = sa.sealBatch([bytes(40, 1), bytes(40, 2)], [4, 4]);
      expect(sa.exhausted).toBe(true);
      expect(new DataView(last!.buffer, last!.byteOffset).getUint32(4)).toBe(0xffffffff);
      expect(none!.length).toBe(0);
      expect(sa.seal(bytes(1, 1), 4).length).toBe(0);
      expect(inb(keys).open(last!).status).toBe("ok");
    });

    test("overhead matches the packet sizes (header, IV, padding, trailer, ICV)", () => {
      const sa = out(keysFor("des-ede3-cbc", "md5"), countingIv().source);
      expect(sa.overhead(0)).toBe(8 + 8 + 8 + 12);
      expect(sa.overhead(6)).toBe(8 + 8 + 2 + 12);
      expect(sa.overhead(7)).toBe(8 + 8 + 9 + 12);
      expect(sa.seal(bytes(7, 1), 4).length).toBe(7 + 8 + 8 + 9 + 12);
    });

    test("mismatched batch arrays are a programming error", () => {
      const sa = out(keysFor("aes-128-cbc", "sha1"), countingIv().source);
      expect(() => sa.sealBatch([bytes(1, 1)], [])).toThrow(RangeError);
      expect(() => sa.seal(bytes(1, 1), 256)).toThrow(RangeError);
    });
  });

  describe(`ESP ${backend}: anti-replay through the SA`, () => {
    const keys = keysFor("aes-128-cbc", "sha1");
    const sealMany = (n: number) =>
      out(keys, countingIv().source).sealBatch(
        Array.from({ length: n }, (_, i) => bytes(20, i)),
        Array.from({ length: n }, () => 4),
      );

    test("a duplicate in the same batch and in a later batch is replayed; the first copy is ok", () => {
      const p = sealMany(3);
      const sa = inb(keys);
      expect(sa.openBatch([p[0]!, p[1]!, p[0]!]).map((r) => r.status)).toEqual(["ok", "ok", "replayed"]);
      expect(sa.openBatch([p[2]!, p[1]!]).map((r) => r.status)).toEqual(["ok", "replayed"]);
    });

    test("out of order inside the window is accepted; left of the window is replayed", () => {
      const p = sealMany(100);
      const sa = inb(keys, 64);
      expect(sa.open(p[99]!).status).toBe("ok"); // sequence 100
      expect(sa.open(p[36]!).status).toBe("ok"); // 37: 100 - 37 = 63 < 64
      expect(sa.open(p[35]!).status).toBe("replayed"); // 36: left of the window
      expect(sa.open(p[50]!).status).toBe("ok");
      expect(sa.open(p[50]!).status).toBe("replayed");
    });

    test("replay window 0 turns the check off", () => {
      const p = sealMany(1);
      const sa = inb(keys, 0);
      expect(sa.replayWindow).toBe(0);
      expect([sa.open(p[0]!).status, sa.open(p[0]!).status]).toEqual(["ok", "ok"]);
    });

    test("a packet that fails its ICV does not move the window", () => {
      const p = sealMany(2);
      const sa = inb(keys);
      const forged = Uint8Array.from(p[1]!);
      forged[forged.length - 1]! ^= 1;
      expect(sa.open(forged).status).toBe("authFailed");
      expect(sa.open(p[1]!).status).toBe("ok");
      expect(sa.open(p[0]!).status).toBe("ok");
    });
  });

  describe(`ESP ${backend}: bad input`, () => {
    test("truncated packets (shorter than header + IV + one block + ICV) are tooShort", () => {
      for (const [cipher, integrity] of [
        ["aes-128-cbc", "sha1"],
        ["des-ede3-cbc", "sha512"],
        [null, "md5"],
        ["aes-256-cbc", null],
      ] as const) {
        const keys = keysFor(cipher, integrity);
        const p = out(keys, countingIv().source).seal(bytes(100, 1), 4);
        const min =
          8 +
          (cipher === null ? 0 : BLOCK[cipher]) +
          (cipher === null ? 2 : BLOCK[cipher]) +
          (integrity === null ? 0 : ICV[integrity]);
        const sa = inb(keys);
        const results = sa.openBatch(Array.from({ length: min }, (_, n) => p.subarray(0, n)));
        results.forEach((r, n) => {
          expectRefused(r, "tooShort");
          expect(r.sequence).toBe(n >= 8 ? 1 : 0);
        });
      }
    });

    test("an encrypted part that is not a whole number of blocks is malformed", () => {
      for (const cipher of ["aes-192-cbc", "des-cbc"] as const) {
        const keys = keysFor(cipher, "sha256");
        const p = out(keys, countingIv().source).seal(bytes(64, 1), 4);
        const longer = new Uint8Array(p.length + 1);
        longer.set(p);
        const shorter = Uint8Array.from([...p.subarray(0, 40), ...p.subarray(41)]);
        const sa = inb(keys);
        expectRefused(sa.open(longer), "malformed");
        expectRefused(sa.open(shorter), "malformed");
        expect(sa.open(p).status).toBe("ok");
      }
    });

    test("bad padding under a valid ICV is malformed (pad bytes not 1, 2, 3..., pad length past the payload)", () => {
      for (const cipher of ["aes-128-cbc", "des-ede3-cbc", null] as const) {
        for (const integrity of ["sha1", null] as const) {
          const keys = keysFor(cipher, integrity);
          const block = cipher === null ? 4 : BLOCK[cipher];
          const iv = bytes(cipher === null ? 0 : block, 5);
          // Build packets by hand with the given decrypted body, encrypted and signed correctly.
          const craft = (seq: number, body: Uint8Array): Uint8Array => {
            const header = Buffer.alloc(8);
            header.writeUInt32BE(keys.spi, 0);
            header.writeUInt32BE(seq, 4);
            let enc: Buffer = Buffer.from(body);
            if (cipher !== null) {
              const c = nodeCrypto.createCipheriv(cipher, keys.encryptionKey, iv);
              c.setAutoPadding(false);
              enc = Buffer.concat([Buffer.from(iv), c.update(body), c.final()]);
            }
            const signed = Buffer.concat([header, enc]);
            const icv =
              integrity === null
                ? Buffer.alloc(0)
                : nodeCrypto
                    .createHmac(integrity, keys.integrityKey)
                    .update(signed)
                    .digest()
                    .subarray(0, ICV[integrity]);
            return Uint8Array.from(Buffer.concat([signed, icv]));
          };
          const len = 2 * block;
          const zeros = new Uint8Array(len); // pad length 0 is fine, so put 3 zero pad bytes
          zeros[len - 2] = 3;
          zeros[len - 1] = 4;
          const tooLong = new Uint8Array(len);
          tooLong[len - 2] = len - 1; // pad length + 2 > body
          tooLong[len - 1] = 4;
          const max = new Uint8Array(len);
          max[len - 2] = 255;
          const good = new Uint8Array(len);
          for (let k = 0; k < 5; k++) good[len - 7 + k] = k + 1;
          good[len - 2] = 5;
          good[len - 1] = 4;
          const wrongOrder = Uint8Array.from(good);
          wrongOrder[len - 6] = 9;
          const sa = inb(keys);
          const r = sa.openBatch([
            craft(1, zeros),
            craft(2, tooLong),
            craft(3, max),
            craft(4, wrongOrder),
            craft(5, good),
          ]);
          expect(r.map((x) => x.status)).toEqual(["malformed", "malformed", "malformed", "malformed", "ok"]);
          expect(r[4]!.payload.length).toBe(len - 7);
          expect(r.map((x) => x.sequence)).toEqual([1, 2, 3, 4, 5]);
          // A malformed packet did not move the window: a good packet with its sequence is accepted.
          expect(sa.open(craft(1, good)).status).toBe("ok");
        }
      }
    });

    test("any flipped bit breaks the ICV (authFailed), nothing else changes", () => {
      for (const integrity of INTEGRITIES.filter((x) => x !== null)) {
        const keys = keysFor("aes-128-cbc", integrity);
        const p = out(keys, countingIv().source, 0x10000).seal(bytes(33, 1), 6);
        const flipped: Uint8Array[] = [];
        for (let bit = 0; bit < p.length * 8; bit += 7) {
          const f = Uint8Array.from(p);
          f[bit >> 3]! ^= 1 << (bit & 7);
          flipped.push(f);
        }
        const sa = inb(keys);
        for (const r of sa.openBatch(flipped)) expectRefused(r, "authFailed");
        expect(sa.open(p).status).toBe("ok");
      }
    });

    test(`${opts.runs} batches of random bytes never throw and answer a status each`, () => {
      const sas = [
        inb(keysFor("aes-128-cbc", "sha1")),
        inb(keysFor(null, null)),
        inb(keysFor("des-ede3-cbc", null)),
        inb(keysFor(null, "sha384")),
      ];
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 8 }), fc.nat(3), (packets, k) => {
          const results = sas[k]!.openBatch(packets);
          expect(results.length).toBe(packets.length);
          for (const r of results) {
            expect(STATUSES.has(r.status)).toBe(true);
            if (r.status !== "ok") expect(r.payload.length).toBe(0);
          }
        }),
        { numRuns: opts.runs, seed: 0xbad },
      );
    });
  });
}
