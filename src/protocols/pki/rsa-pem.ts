// RSA keys in PEM, as `crypto key import rsa … pem terminal` reads them and
// `crypto key export rsa … pem terminal` prints them. Reading goes through
// node:crypto (unencrypted PKCS #1 `RSA PRIVATE KEY` and PKCS #8 `PRIVATE
// KEY`, OpenSSL's legacy encrypted PKCS #1 with Proc-Type/DEK-Info headers
// that IOS exports, and PKCS #8 `ENCRYPTED PRIVATE KEY`; `PUBLIC KEY` and `RSA
// PUBLIC KEY` for the public half). Writing encrypts as IOS does (legacy PEM,
// DES-EDE3-CBC or DES-CBC, key from EVP_BytesToKey with MD5 over the
// passphrase and the IV's first 8 bytes), with the IV from the device's seeded
// random source so an export prints the same text for the same seed.

import { createCipheriv, createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { bytesToBigInt } from "../ike/modpow.ts";
import type { RandomBytes, RsaPrivateKey } from "./rsa-keygen.ts";
import { nodePrivateKey, type RsaPublicNumbers } from "./rsa-sign.ts";

/** The members of an RSA JWK node:crypto exports (base64url numbers). */
type JsonWebKey = Partial<Record<"n" | "e" | "d" | "p" | "q" | "dp" | "dq" | "qi", string>>;

/** A PEM problem: the message, and the line of the block it is on when there is one (1-based). */
export interface PemError {
  error: string;
  line?: number;
}

/** The PEM ciphers `crypto key export rsa … pem` offers. */
export type PemCipher = "3des" | "des";

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;
const END = /^-----END ([A-Z0-9 ]+)-----$/;
const HEADER = /^[A-Za-z-]+:\s*\S.*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why one line cannot be part of a PEM block, or null when it can. */
export function pemLineProblem(line: string): string | null {
  const t = line.trim();
  if (t === "" || BEGIN.test(t) || END.test(t) || HEADER.test(t)) return null;
  if (!BASE64.test(t)) return "not base64";
  if (t.length > 80) return "longer than a PEM line (64 characters)";
  return null;
}

/** Checks the shape of a block (one BEGIN, base64, the END of the same label) and returns its label. */
function checkBlock(lines: readonly string[], what: string, labels: readonly string[]): PemError | { label: string } {
  const trimmed = lines.map((l) => l.trim());
  const first = trimmed.findIndex((l) => l !== "");
  if (first < 0) return { error: `no ${what} was entered` };
  const begin = BEGIN.exec(trimmed[first]!);
  if (begin === null) return { error: `${what} must start with -----BEGIN ${labels[0]}-----`, line: first + 1 };
  const label = begin[1]!;
  if (!labels.includes(label))
    return { error: `${what} is a "${label}" block; expected ${labels.join(" or ")}`, line: first + 1 };
  const endAt = trimmed.findIndex((l) => END.test(l));
  if (endAt < 0) return { error: `${what} has no -----END ${label}----- line` };
  if (END.exec(trimmed[endAt]!)![1] !== label)
    return { error: `${what} ends with ${trimmed[endAt]} after BEGIN ${label}`, line: endAt + 1 };
  for (let i = first + 1; i < endAt; i++) {
    const problem = pemLineProblem(trimmed[i]!);
    if (problem !== null) return { error: `${what}: ${problem}`, line: i + 1 };
  }
  const after = trimmed.findIndex((l, i) => i > endAt && l !== "");
  if (after >= 0) return { error: `${what}: text after the END line`, line: after + 1 };
  return { label };
}

/**
 * The block as PEM text: trimmed lines, with the blank line that ends the
 * Proc-Type/DEK-Info headers put back (a configuration file loses blank lines).
 */
function pemText(lines: readonly string[]): string {
  const out: string[] = [];
  const trimmed = lines.map((l) => l.trim()).filter((l) => l !== "");
  for (let i = 0; i < trimmed.length; i++) {
    out.push(trimmed[i]!);
    if (HEADER.test(trimmed[i]!) && i + 1 < trimmed.length && !HEADER.test(trimmed[i + 1]!)) out.push("");
  }
  return `${out.join("\n")}\n`;
}

function jwkNumber(v: string | undefined): bigint {
  return bytesToBigInt(new Uint8Array(Buffer.from(v ?? "", "base64url")));
}

/** Why node:crypto refused a key, in words a user can act on. */
function cryptoProblem(e: unknown, what: string): string {
  const code = (e as { code?: string }).code ?? "";
  if (code === "ERR_MISSING_PASSPHRASE") return `${what} is encrypted: give its passphrase in the import command`;
  if (code === "ERR_OSSL_BAD_DECRYPT" || /bad decrypt/i.test(String(e)))
    return `${what} does not decrypt with this passphrase`;
  return `${what} does not decode (${(e as Error).message.replace(/^error:[0-9a-f]+:/i, "")})`;
}

/** The public key of a `PUBLIC KEY` or `RSA PUBLIC KEY` block. */
export function parseRsaPublicPem(lines: readonly string[]): RsaPublicNumbers | PemError {
  const what = "public key";
  const block = checkBlock(lines, what, ["PUBLIC KEY", "RSA PUBLIC KEY"]);
  if ("error" in block) return block;
  try {
    const key = createPublicKey({ key: pemText(lines), format: "pem" });
    if (key.asymmetricKeyType !== "rsa") return { error: `${what} is ${key.asymmetricKeyType}, not RSA` };
    const jwk = key.export({ format: "jwk" }) as JsonWebKey;
    return { n: jwkNumber(jwk.n), e: jwkNumber(jwk.e) };
  } catch (e) {
    return { error: cryptoProblem(e, what) };
  }
}

/** The private key of an `RSA PRIVATE KEY`, `PRIVATE KEY` or `ENCRYPTED PRIVATE KEY` block. */
export function parseRsaPrivatePem(lines: readonly string[], passphrase?: string): RsaPrivateKey | PemError {
  const what = "private key";
  const block = checkBlock(lines, what, ["RSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]);
  if ("error" in block) return block;
  try {
    const key = createPrivateKey({
      key: pemText(lines),
      format: "pem",
      ...(passphrase !== undefined ? { passphrase } : {}),
    });
    if (key.asymmetricKeyType !== "rsa") return { error: `${what} is ${key.asymmetricKeyType}, not RSA` };
    const jwk = key.export({ format: "jwk" }) as JsonWebKey;
    const n = jwkNumber(jwk.n);
    const k: RsaPrivateKey = {
      bits: n.toString(2).length,
      n,
      e: jwkNumber(jwk.e),
      d: jwkNumber(jwk.d),
      p: jwkNumber(jwk.p),
      q: jwkNumber(jwk.q),
      dp: jwkNumber(jwk.dp),
      dq: jwkNumber(jwk.dq),
      qi: jwkNumber(jwk.qi),
    };
    if (k.p * k.q !== k.n) return { error: `${what}: its primes do not multiply to its modulus` };
    return k;
  } catch (e) {
    return { error: cryptoProblem(e, what) };
  }
}

/** Base64 in 64-character lines between BEGIN and END lines. */
function pemBlock(label: string, der: Uint8Array, headers: string[] = []): string {
  const b64 = Buffer.from(der).toString("base64");
  const body = b64.match(/.{1,64}/g) ?? [];
  return [
    `-----BEGIN ${label}-----`,
    ...headers,
    ...(headers.length ? [""] : []),
    ...body,
    `-----END ${label}-----`,
  ].join("\n");
}

/** The public key as a `PUBLIC KEY` block (SubjectPublicKeyInfo). */
export function rsaPublicPem(spkiDer: Uint8Array): string {
  return pemBlock("PUBLIC KEY", spkiDer);
}

/** OpenSSL's EVP_BytesToKey with MD5 and one iteration: the key of a legacy encrypted PEM. */
export function evpBytesToKey(passphrase: string, salt: Uint8Array, keyLength: number): Buffer {
  const out: Buffer[] = [];
  let prev = Buffer.alloc(0);
  let have = 0;
  while (have < keyLength) {
    prev = createHash("md5").update(prev).update(passphrase, "utf8").update(salt).digest();
    out.push(prev);
    have += prev.length;
  }
  return Buffer.concat(out).subarray(0, keyLength);
}

/** The private key as a legacy encrypted `RSA PRIVATE KEY` block, its IV drawn from `random`. */
export function rsaPrivatePemEncrypted(
  key: RsaPrivateKey,
  cipher: PemCipher,
  passphrase: string,
  random: RandomBytes,
): string {
  const der = nodePrivateKey(key).export({ type: "pkcs1", format: "der" });
  const iv = Buffer.from(random(8));
  const algorithm = cipher === "3des" ? "des-ede3-cbc" : "des-cbc";
  const c = createCipheriv(algorithm, evpBytesToKey(passphrase, iv.subarray(0, 8), cipher === "3des" ? 24 : 8), iv);
  const body = Buffer.concat([c.update(der), c.final()]);
  return pemBlock("RSA PRIVATE KEY", body, [
    "Proc-Type: 4,ENCRYPTED",
    `DEK-Info: ${algorithm.toUpperCase()},${iv.toString("hex").toUpperCase()}`,
  ]);
}
