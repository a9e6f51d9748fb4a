// One signature per rekey: signRekey signs the payload chain once and
// sealRekey encrypts a copy per member with its own IV; every copy differs on
// the wire, decrypts with the KEK and verifies with the key server's key.

import { expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import {
  kekCipher,
  openPush,
  rekeySignatureValid,
  sealRekey,
  signRekey,
} from "../../../src/protocols/gdoi/push-message.ts";
import { generateRsaKey } from "../../../src/protocols/pki/rsa-keygen.ts";
import { parseIsakmp } from "../../../src/wire/index.ts";
import { KEYS, POLICY } from "../../wire/gdoi-fixtures.ts";

const random = (n: number) => new Uint8Array(randomBytes(n));

test("one signed rekey, sealed for two members with their own IVs, verifies in both", () => {
  const ks = generateRsaKey(1024, random);
  const kek = { kekSpi: random(16), cipher: kekCipher("aes 128"), kekKey: random(16) };
  const signed = signRekey(kek.kekSpi, [{ type: "seq", sequence: 7 }, POLICY, KEYS], ks);
  const a = sealRekey({ ...kek, iv: random(16) }, signed);
  const b = sealRekey({ ...kek, iv: random(16) }, signed);
  expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  for (const msg of [a, b]) {
    const m = parseIsakmp(msg);
    if (!m.ok) throw new Error(m.error.detail);
    const r = openPush(m.value.header, m.value.body, kek.cipher, kek.kekKey);
    if (typeof r === "string") throw new Error(r);
    expect(r.sequence).toBe(7);
    expect(rekeySignatureValid(r, ks)).toBe(true);
  }
});
