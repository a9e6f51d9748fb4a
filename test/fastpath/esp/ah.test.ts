// AH over IPv4 (RFC 4302) on every backend: datagram layout, an independent
// node:crypto ICV over the header with the mutable fields zeroed, survival of
// in-transit changes (TTL, TOS, DF, checksum, mutable options), failure on any
// change to payload, addresses or immutable fields, anti-replay, bad input.
import { describe, expect, test } from "bun:test";
import * as nodeCrypto from "node:crypto";
import fc from "fast-check";
import type { HashAlgorithm } from "../../../src/fastpath/crypto/types.ts";
import {
  type AhSaKeys,
  createAhInbound,
  createAhOutbound,
  type EspBackendChoice,
} from "../../../src/fastpath/esp/index.ts";
import { internetChecksum } from "../../../src/wire/checksum.ts";
import { bytes, toHex } from "./cases.ts";

const ICV: Record<HashAlgorithm, number> = { md5: 12, sha1: 12, sha256: 16, sha384: 24, sha512: 32 };
const ALGS: HashAlgorithm[] = ["md5", "sha1", "sha256", "sha384", "sha512"];

/**
 * An IPv4 header template with options: Router Alert (148, immutable), then
 * Record Route (7, mutable: 3 slots), then end of list. IHL 8 = 32 bytes.
 */
function template(): Uint8Array {
  const h = new Uint8Array(32);
  h[0] = 0x48;
  h[1] = 0xb8; // IHL 8, DSCP EF
  h[4] = 0x12;
  h[5] = 0x34; // identification
  h[6] = 0x40; // DF
  h[8] = 64;
  h[9] = 6; // TTL, protocol (replaced by 51)
  h.set([10, 0, 0, 1], 12);
  h.set([10, 0, 0, 2], 16);
  h.set([148, 4, 0, 0], 20); // Router Alert
  h.set([7, 7, 4, 192, 0, 2, 1], 24); // Record Route: pointer 4, one slot filled
  h[31] = 0; // end of options
  return h;
}

/** The ICV computed independently: header copy with mutable parts zeroed, AH with zero ICV, payload. */
function independentIcv(alg: HashAlgorithm, key: Uint8Array, datagram: Uint8Array): string {
  const d = Buffer.from(datagram);
  const hlen = (d[0]! & 15) * 4;
  d[1] = 0;
  d[6] = 0;
  d[7] = 0;
  d[8] = 0;
  d[10] = 0;
  d[11] = 0;
  d.fill(0, 24, 31); // the Record Route option, as a whole
  d.fill(0, hlen + 12, hlen + 12 + ICV[alg]);
  return nodeCrypto.createHmac(alg, key).update(d).digest().subarray(0, ICV[alg]).toString("hex");
}

for (const backend of ["ref", "native", "wasm", "auto"] as EspBackendChoice[]) {
  const chooser = backend === "auto" ? () => "wasm" as const : undefined;
  describe(`AH ${backend}`, () => {
    for (const alg of ALGS) {
      const keys: AhSaKeys = { spi: 0xc0ffee, integrity: alg, integrityKey: bytes(ICV[alg] + 4, 3) };
      const seal = (payload: Uint8Array, sequence = 0) =>
        createAhOutbound(keys, { backend, chooser, sequence }).seal(template(), payload, 4);
      const opener = (replayWindow?: number) => createAhInbound(keys, { backend, chooser, replayWindow });

      test(`hmac-${alg}: layout, checksum and an independent ICV`, () => {
        const payload = bytes(100, 9);
        const d = seal(payload);
        const ahLen = 12 + ICV[alg];
        expect(d.length).toBe(32 + ahLen + 100);
        expect(d[9]).toBe(51);
        expect((d[2]! << 8) | d[3]!).toBe(d.length);
        expect(internetChecksum(d, 0, 32)).toBe(0);
        expect(d[8]).toBe(64);
        expect(d[1]).toBe(0xb8);
        expect(d[32]).toBe(4); // next header
        expect(d[33]).toBe(ahLen / 4 - 2); // payload len
        expect(toHex(d.subarray(36, 44))).toBe("00c0ffee00000001");
        expect(toHex(d.subarray(32 + ahLen))).toBe(toHex(payload));
        expect(toHex(d.subarray(44, 44 + ICV[alg]))).toBe(independentIcv(alg, keys.integrityKey, d));
        const r = opener().open(d);
        expect(r.status).toBe("ok");
        expect(r.sequence).toBe(1);
        expect(r.nextHeader).toBe(4);
        expect(toHex(r.payload)).toBe(toHex(payload));
      });

      test(`hmac-${alg}: still verifies after TTL, TOS, DF, checksum and record-route changes in transit`, () => {
        const d = seal(bytes(60, 1));
        const changes: Array<(x: Uint8Array) => void> = [
          (x) => {
            x[8] = x[8]! - 5;
          },
          (x) => {
            x[1] = 0x00;
          },
          (x) => {
            x[6] = 0x00;
          },
          (x) => {
            x[10] = 0x12;
            x[11] = 0x34;
          },
          (x) => {
            x.set([8, 10, 0, 0, 9], 26);
          }, // a router recorded itself
          (x) => {
            x[8] = 1;
            x[1] = 0xff;
            x[10] = 0;
            x[11] = 0;
          },
        ];
        for (const change of changes) {
          const x = Uint8Array.from(d);
          change(x);
          expect(opener(0).open(x).status).toBe("ok");
        }
      });

      test(`hmac-${alg}: any payload, address, identification, option or AH bit flip fails`, () => {
        const d = seal(bytes(40, 2), 0x1000);
        const positions: number[] = [];
        for (let i = 12; i < 20; i++) positions.push(i); // addresses
        positions.push(4, 5, 20, 21, 22, 23); // identification, router alert
        for (let i = 32; i < d.length; i++) positions.push(i); // AH and payload
        for (const at of positions) {
          for (const bit of [0, 3, 7]) {
            const x = Uint8Array.from(d);
            x[at]! ^= 1 << bit;
            const status = opener().open(x).status;
            // A wrong AH payload-length field is malformed before any ICV; a changed router-alert
            // length either stops the options parsing (malformed) or changes what is authenticated.
            if (at === 21) expect(["malformed", "authFailed"]).toContain(status);
            else expect([at, status]).toEqual([at, at === 33 ? "malformed" : "authFailed"]);
          }
        }
      });

      test(`hmac-${alg}: anti-replay`, () => {
        const out = createAhOutbound(keys, { backend, chooser });
        const a = out.seal(template(), bytes(10, 1), 6);
        const b = out.seal(template(), bytes(10, 2), 6);
        const sa = opener();
        expect([sa.open(b).status, sa.open(a).status, sa.open(a).status, sa.open(b).status]).toEqual([
          "ok",
          "ok",
          "replayed",
          "replayed",
        ]);
        expect(out.sequence).toBe(2);
      });
    }

    const keys: AhSaKeys = { spi: 77, integrity: "sha1", integrityKey: bytes(20, 4) };
    test("bad input: truncated, not AH, fragment, wrong AH length, bad options, random bytes", () => {
      const d = createAhOutbound(keys, { backend, chooser }).seal(template(), bytes(30, 1), 17);
      const sa = createAhInbound(keys, { backend, chooser, replayWindow: 0 });
      expect(sa.open(d).status).toBe("ok");
      for (let n = 0; n < 32 + 24; n++) {
        const cut = Uint8Array.from(d.subarray(0, n));
        expect(sa.open(cut).status).toBe("tooShort"); // total length says more than there is
      }
      const fix = (x: Uint8Array) => {
        x[10] = 0;
        x[11] = 0;
        const s = internetChecksum(x, 0, (x[0]! & 15) * 4);
        x[10] = s >> 8;
        x[11] = s;
        return x;
      };
      const notAh = Uint8Array.from(d);
      notAh[9] = 50;
      const fragment = Uint8Array.from(d);
      fragment[6] = 0x20;
      const offset = Uint8Array.from(d);
      offset[7] = 1;
      const ahLen = Uint8Array.from(d);
      ahLen[33] = 5;
      const badOption = Uint8Array.from(d);
      badOption[25] = 40; // record route runs past the header
      const v6 = Uint8Array.from(d);
      v6[0] = 0x68;
      for (const x of [notAh, fragment, offset, ahLen, badOption, v6]) expect(sa.open(fix(x)).status).toBe("malformed");
      // Link-layer padding after the datagram is ignored.
      const padded = new Uint8Array(d.length + 6);
      padded.set(d);
      expect(toHex(sa.open(padded).payload)).toBe(toHex(bytes(30, 1)));
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 100 }), (x) => {
          const r = sa.open(x);
          expect(["ok", "authFailed", "replayed", "malformed", "tooShort"]).toContain(r.status);
        }),
        { numRuns: 300, seed: 51 },
      );
    });

    test("configuration errors: no integrity algorithm, bad template", () => {
      expect(() =>
        createAhOutbound({ spi: 1, integrity: null, integrityKey: new Uint8Array(0) }, { backend, chooser }),
      ).toThrow(RangeError);
      const out = createAhOutbound(keys, { backend, chooser });
      expect(() => out.seal(new Uint8Array(19), bytes(1, 1), 4)).toThrow(RangeError);
      const short = template().subarray(0, 24); // IHL says 32
      expect(() => out.seal(short, bytes(1, 1), 4)).toThrow(RangeError);
      expect(out.sequence).toBe(0);
    });

    test("exhausted after sequence 2^32-1", () => {
      const out = createAhOutbound(keys, { backend, chooser, sequence: 0xffffffff });
      expect(out.exhausted).toBe(true);
      expect(out.seal(template(), bytes(1, 1), 4).length).toBe(0);
    });
  });
}
