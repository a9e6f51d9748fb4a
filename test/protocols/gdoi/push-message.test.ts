// GROUPKEY-PUSH as the key server sends it and a member reads it: the KEK
// decrypts it, the signature over "rekey" | HDR | payloads verifies with the
// key server's public key and fails with another key or a flipped byte, the
// member's acknowledgement proves it holds the KEK, and a wrong KEK or a
// truncated body is refused, never thrown.

import { describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import {
  ackValid,
  emitRekey,
  emitRekeyAck,
  kekCipher,
  openPush,
  rekeySignatureValid,
} from "../../../src/protocols/gdoi/push-message.ts";
import { generateRsaKey } from "../../../src/protocols/pki/rsa-keygen.ts";
import { GDOI_EXCHANGE, parseIsakmp } from "../../../src/wire/index.ts";
import { KEYS, POLICY } from "../../wire/gdoi-fixtures.ts";

const random = (n: number) => new Uint8Array(randomBytes(n));
const KS_KEY = generateRsaKey(1024, random);
const OTHER_KEY = generateRsaKey(1024, random);
const KEK = { kekSpi: random(16), cipher: kekCipher("aes 128"), kekKey: random(16), iv: random(16) };

function read(msg: Uint8Array, key = KEK.kekKey) {
  const m = parseIsakmp(msg);
  if (!m.ok) throw new Error(m.error.detail);
  expect(m.value.header.exchangeType).toBe(GDOI_EXCHANGE.GROUPKEY_PUSH);
  return openPush(m.value.header, m.value.body, KEK.cipher, key);
}

describe("GROUPKEY-PUSH", () => {
  test("a signed rekey decrypts with the KEK and verifies with the key server's key only", () => {
    const msg = emitRekey(KEK, [{ type: "seq", sequence: 23 }, POLICY, KEYS], KS_KEY);
    const r = read(msg);
    if (typeof r === "string") throw new Error(r);
    expect(r.sequence).toBe(23);
    expect(r.payloads.map((p) => p.type)).toEqual(["seq", "gdoiSa", "kd", "sig"]);
    expect(rekeySignatureValid(r, KS_KEY)).toBe(true);
    expect(rekeySignatureValid(r, OTHER_KEY)).toBe(false);
    // A byte of the signed part changed: the signature no longer holds.
    const bad = { ...r, signedPart: Uint8Array.from(r.signedPart!, (b, i) => (i === 40 ? b ^ 1 : b)) };
    expect(rekeySignatureValid(bad, KS_KEY)).toBe(false);
  });

  test("an unsigned rekey has no signature to check", () => {
    const r = read(emitRekey(KEK, [{ type: "seq", sequence: 1 }], null));
    if (typeof r === "string") throw new Error(r);
    expect(r.signature).toBeNull();
    expect(rekeySignatureValid(r, KS_KEY)).toBe(false);
  });

  test("a member's ack proves the KEK; a wrong KEK or a cut body is refused", () => {
    const ack = read(emitRekeyAck(KEK, 23));
    if (typeof ack === "string") throw new Error(ack);
    expect(ackValid(ack, KEK.kekKey)).toBe(true);
    expect(ackValid(ack, random(16))).toBe(false);
    const wrong = read(emitRekeyAck(KEK, 23), random(16));
    expect(typeof wrong === "string" || !ackValid(wrong, KEK.kekKey)).toBe(true);
    const msg = emitRekeyAck(KEK, 23);
    const m = parseIsakmp(msg);
    if (!m.ok) throw new Error("parse");
    expect(typeof openPush(m.value.header, m.value.body.subarray(0, 20), KEK.cipher, KEK.kekKey)).toBe("string");
  });
});
