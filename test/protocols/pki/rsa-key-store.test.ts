// The key store's private NVRAM text: what a restarted router reads back is
// the same pairs (labels, usages, exportability, times, numbers); damaged
// lines are skipped without throwing and leave the good ones.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { RsaKeyStore } from "../../../src/protocols/pki/rsa-key-store.ts";
import { SeededRandom } from "../../../src/runtime/random.ts";

function store(): RsaKeyStore {
  const rng = new SeededRandom(42);
  const random = (n: number): Uint8Array => rng.fill(new Uint8Array(n));
  const s = new RsaKeyStore();
  s.generate({ label: "R1.lab.local", bits: 512, usageKeys: false, exportable: false, now: 5e9, random });
  s.generate({ label: "KS-KEYS", bits: 768, usageKeys: true, exportable: true, now: 9e9, random });
  return s;
}

describe("RSA key store private NVRAM", () => {
  test("round trip: same pairs, in the same order, with the same public key DER", () => {
    const a = store();
    const b = new RsaKeyStore();
    b.loadPrivateConfig(a.toPrivateConfig());
    expect(b.all()).toEqual(a.all());
    expect(b.get("KS-KEYS")!.map((p) => p.usage)).toEqual(["signature", "encryption"]);
    expect(b.toPrivateConfig()).toBe(a.toPrivateConfig());
  });

  test("damaged lines are skipped, the rest loads; nothing throws", () => {
    const text = store().toPrivateConfig();
    const lines = text.split("\n");
    const b = new RsaKeyStore();
    const wrongP = lines[2]!.replace(
      /"p":"([0-9a-f])/,
      (_m, d: string) => `"p":"${((Number.parseInt(d, 16) + 1) % 16).toString(16)}`,
    );
    b.loadPrivateConfig(
      ["{not json", lines[0]!.replace('"n":"', '"n":"zz'), lines[1]!, '{"label":5}', wrongP, ""].join("\n"),
    );
    expect(b.all().map((p) => `${p.label}/${p.usage}`)).toEqual(["KS-KEYS/signature"]);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat({ max: text.length }), (junk, at) => {
        const s = new RsaKeyStore();
        s.loadPrivateConfig(text.slice(0, at) + junk + text.slice(at));
        for (const p of s.all()) expect(p.key.p * p.key.q).toBe(p.key.n);
      }),
      { numRuns: 200 },
    );
  });
});
