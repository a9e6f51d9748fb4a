// `crypto key import rsa … pem terminal`: the public then the private key in
// PEM (PKCS #1 or #8, plain or encrypted with the passphrase, IOS's legacy
// DES-EDE3 form included), each ended by quit, typed or in a config file; the
// pair lands in the key store beside generated ones, shows and signs like
// them; bad PEM is refused on its line and the rest of the config loads.
// `crypto key export rsa … pem terminal` prints what import reads back.

import { describe, expect, test } from "bun:test";
import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { hexWordLines } from "../../../src/config/crypto/pki-text.ts";
import { rsaSignRaw, rsaSignSha256, rsaVerifyRaw } from "../../../src/protocols/pki/rsa-sign.ts";
import { cryptoRouter } from "./crypto-router.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
const PUBLIC_PEM = publicKey.export({ type: "spki", format: "pem" }) as string;
const SPKI_DER = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
const PKCS1 = privateKey.export({ type: "pkcs1", format: "pem" }) as string;
const PKCS8 = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
const LEGACY_3DES = privateKey.export({
  type: "pkcs1",
  format: "pem",
  cipher: "des-ede3-cbc",
  passphrase: "s3cret",
}) as string;
const PKCS8_AES = privateKey.export({
  type: "pkcs8",
  format: "pem",
  cipher: "aes-256-cbc",
  passphrase: "s3cret",
}) as string;

const lines = (pem: string) => pem.trim().split("\n");

function importing(command: string, privatePem: string, publicPem = PUBLIC_PEM) {
  const r = cryptoRouter("R1");
  r.run("configure terminal");
  const out = [command, ...lines(publicPem), "quit", ...lines(privatePem), "quit"].map((l) => r.run(l));
  return { r, out: out.join("") };
}

describe("crypto key import rsa … pem terminal", () => {
  test("IOS's encrypted form: the prompts, success, and show crypto key mypubkey rsa shows the key", () => {
    const { r, out } = importing("crypto key import rsa EDGE general-keys exportable pem terminal s3cret", LEGACY_3DES);
    expect(out).toContain("% Enter PEM-formatted public General Purpose key or certificate.");
    expect(out).toContain("% Enter PEM-formatted encrypted private General Purpose key.");
    expect(out).toContain("% Key pair import succeeded.");
    const show = r.run("do show crypto key mypubkey rsa EDGE");
    expect(show).toContain("Key name: EDGE");
    expect(show).toContain(" Usage: General Purpose Key");
    expect(show).toContain(" Key is exportable.");
    for (const l of hexWordLines(SPKI_DER, "  ")) expect(show).toContain(l.trimEnd());
    expect(r.device.crypto.pki.keys.signingPair("EDGE")!.key.bits).toBe(1024);
  });
  test("PKCS #1 and PKCS #8 unencrypted (no passphrase), PKCS #8 encrypted", () => {
    for (const [cmd, pem] of [
      ["crypto key import rsa K pem terminal", PKCS1],
      ["crypto key import rsa K pem terminal", PKCS8],
      ["crypto key import rsa K pem terminal s3cret", PKCS8_AES],
    ] as const) {
      const { r, out } = importing(cmd, pem);
      expect(out).toContain("% Key pair import succeeded.");
      expect(r.device.crypto.pki.keys.signingPair("K")!.exportable).toBe(false);
    }
  });
  test("the imported key signs: certificates (SHA-256) and IKE's raw signature verify with the public key", () => {
    const { r } = importing("crypto key import rsa K pem terminal s3cret", LEGACY_3DES);
    const key = r.device.crypto.pki.keys.signingPair("K")!.key;
    const data = new TextEncoder().encode("HASH_I of main mode");
    expect(verify("sha256", data, publicKey, rsaSignSha256(key, data))).toBe(true);
    const sig = rsaSignRaw(key, data);
    expect(rsaVerifyRaw(key, data, sig)).toBe(true);
    expect(rsaVerifyRaw(key, new TextEncoder().encode("something else"), sig)).toBe(false);
  });
  test("from a config file: loads at boot, stays out of the running configuration", () => {
    const r = cryptoRouter("R1");
    const cfg = [
      "crypto key import rsa R1-KEY pem terminal",
      ...lines(PUBLIC_PEM),
      "quit",
      ...lines(PKCS1),
      "quit",
      "hostname EDGE1",
    ];
    expect(r.load(cfg.join("\n"))).toEqual([]);
    expect(r.device.crypto.pki.keys.signingPair("R1-KEY")).toBeDefined();
    expect(r.device.hostname).toBe("EDGE1");
    expect(r.runningConfig()).not.toContain("import");
    expect(r.runningConfig()).not.toContain("PRIVATE KEY");
  });
});

describe("bad PEM is refused where it is, and the rest loads", () => {
  const cfg = (privatePem: string[], passphrase = "") => [
    `crypto key import rsa R1-KEY pem terminal${passphrase}`,
    ...lines(PUBLIC_PEM),
    "quit",
    ...privatePem,
    "quit",
    "hostname AFTER",
  ];
  test("a line that cannot be PEM is rejected on its own config line", () => {
    const r = cryptoRouter("R1");
    const text = cfg(lines(PKCS1).map((l, i) => (i === 3 ? `${l.slice(0, 10)}*${l.slice(11)}` : l)));
    const errors = r.session.loadConfig(text.join("\n"));
    const lineOf = lines(PUBLIC_PEM).length + 2 + 4;
    expect(errors[0]!.line).toBe(lineOf);
    expect(errors[0]!.message).toContain("% Not a PEM line (not base64)");
    // The block is then short of a line: the quit that ends it says the key does not decode.
    expect(errors[1]!.text).toBe("quit");
    expect(errors[1]!.message).toContain("% Key import failed: private key does not decode");
    expect(r.device.crypto.pki.keys.get("R1-KEY")).toBeUndefined();
    expect(r.device.hostname).toBe("AFTER");
  });
  test("a block with the wrong label names its line in the block", () => {
    const r = cryptoRouter("R1");
    const errors = r.load(
      cfg(lines(PKCS1).map((l, i) => (i === 0 ? "-----BEGIN CERTIFICATE REQUEST-----" : l))).join("\n"),
    );
    expect(errors[0]).toContain(
      '% Key import failed: private key is a "CERTIFICATE REQUEST" block; expected RSA PRIVATE KEY or PRIVATE KEY or ENCRYPTED PRIVATE KEY (line 1 of the private key block)',
    );
  });
  test("a wrong or missing passphrase, and a public key of another pair", () => {
    expect(cryptoRouter("R1").load(cfg(lines(LEGACY_3DES), " wrong").join("\n"))[0]).toContain(
      "% Key import failed: private key does not decrypt with this passphrase",
    );
    expect(cryptoRouter("R1").load(cfg(lines(LEGACY_3DES)).join("\n"))[0]).toContain(
      "% Key import failed: private key is encrypted: give its passphrase in the import command",
    );
    const other = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
      type: "pkcs1",
      format: "pem",
    });
    expect(cryptoRouter("R1").load(cfg(lines(other as string)).join("\n"))[0]).toContain(
      "% Key import failed: the public key is not the private key's",
    );
  });
});

describe("crypto key export rsa … pem terminal", () => {
  test("an exportable pair prints PEM that node:crypto decrypts to the same key; the same seed, the same text", () => {
    const texts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = cryptoRouter("R1");
      r.run("configure terminal");
      r.run("crypto key generate rsa label X modulus 512 exportable");
      texts.push(r.run("crypto key export rsa X pem terminal 3des pass123"));
    }
    expect(texts[1]).toBe(texts[0]!);
    const out = texts[0]!;
    expect(out).toStartWith("% Key name: X\n   Usage: General Purpose Key\n   Key data:\n-----BEGIN PUBLIC KEY-----\n");
    expect(out).toMatch(/Proc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,[0-9A-F]{16}\n\n/);
    const priv = out.slice(out.indexOf("-----BEGIN RSA PRIVATE KEY-----"));
    const pub = out.slice(out.indexOf("-----BEGIN PUBLIC KEY-----"), out.indexOf("-----END PUBLIC KEY-----") + 24);
    const k = createPrivateKey({ key: priv, passphrase: "pass123" });
    expect(createPublicKey(k).export({ format: "pem", type: "spki" })).toBe(
      createPublicKey(pub).export({ format: "pem", type: "spki" }),
    );
  });
  test("what export prints, import reads back (des too)", () => {
    const a = cryptoRouter("R1");
    a.run("configure terminal");
    a.run("crypto key generate rsa label X modulus 512 exportable");
    const out = a.run("crypto key export rsa X pem terminal des pw");
    expect(out).toContain("DEK-Info: DES-CBC,");
    const pub = out.slice(out.indexOf("-----BEGIN PUBLIC KEY-----"), out.indexOf("-----END PUBLIC KEY-----") + 24);
    const priv = out.slice(out.indexOf("-----BEGIN RSA PRIVATE KEY-----"));
    const { r, out: imported } = importing("crypto key import rsa Y pem terminal pw", priv, pub);
    expect(imported).toContain("% Key pair import succeeded.");
    expect(r.device.crypto.pki.keys.signingPair("Y")!.key.n).toBe(a.device.crypto.pki.keys.signingPair("X")!.key.n);
  });
  test("a non-exportable pair and an unknown label are refused", () => {
    const r = cryptoRouter("R1");
    r.run("configure terminal");
    r.run("crypto key generate rsa label X modulus 512");
    expect(r.run("crypto key export rsa X pem terminal 3des pw")).toContain("% RSA keypair X is not exportable.");
    expect(r.run("crypto key export rsa NOPE pem terminal 3des pw")).toContain("% RSA keypair NOPE not found");
  });
});
