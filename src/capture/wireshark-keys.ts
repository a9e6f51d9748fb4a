// Renders the key material devices export as the two UAT files Wireshark
// reads from its profile folder to decrypt a capture:
//
//   esp_sa                  ESP SAs (Protocols > ESP > "ESP SAs"), one line per
//                           SA direction, eight quoted fields:
//                           "IPv4","<src>","<dst>","0x<spi 8 hex>","<encryption>",
//                           "0x<key hex>","<authentication>","0x<key hex>"
//   ikev1_decryption_table  IKEv1 decryption table (Protocols > ISAKMP), one line
//                           per phase-1 SA, two unquoted hex fields:
//                           <initiator cookie>,<encryption key>
//
// The column order, the value names and the quoting are those of Wireshark 4.0
// (epan/dissectors/packet-ipsec.c `esp_uat_flds` with its
// `esp_encryption_type_vals` / `esp_authentication_type_vals`;
// packet-isakmp.c's IKEv1 table of two byte fields; epan/uat.c writes string
// fields in double quotes with \xHH escapes and byte fields as bare hex), as in
// Wireshark's own test/config/esp_sa.tmpl and ikev1_decryption_table.tmpl.
// Wireshark picks the AES key size from the key's length. AH records are left
// out: Wireshark's ESP SA table does not check AH ICVs.

import type { CbcAlgorithm, HashAlgorithm } from "../fastpath/crypto/types.ts";
import { formatIpv4Address } from "../wire/ipv4-address.ts";
import type { CryptoKeyRecord, EspKeyRecord, IkeV1KeyRecord } from "./crypto-keys.ts";

/** File name of Wireshark's ESP SA table. */
export const ESP_SA_FILE = "esp_sa";
/** File name of Wireshark's IKEv1 decryption table. */
export const IKEV1_DECRYPTION_TABLE_FILE = "ikev1_decryption_table";

/** Wireshark's name for an ESP cipher ("Encryption" column). */
export function espEncryptionName(algorithm: CbcAlgorithm | null): string {
  switch (algorithm) {
    case null:
      return "NULL";
    case "aes-128-cbc":
    case "aes-192-cbc":
    case "aes-256-cbc":
      return "AES-CBC [RFC3602]";
    case "des-ede3-cbc":
      return "TripleDES-CBC [RFC2451]";
    case "des-cbc":
      return "DES-CBC [RFC2405]";
  }
}

/** Wireshark's name for an ESP integrity algorithm ("Authentication" column), with the ICV truncation IOS uses. */
export function espAuthenticationName(algorithm: HashAlgorithm | null): string {
  switch (algorithm) {
    case null:
      return "NULL";
    case "md5":
      return "HMAC-MD5-96 [RFC2403]";
    case "sha1":
      return "HMAC-SHA-1-96 [RFC2404]";
    case "sha256":
      return "HMAC-SHA-256-128 [RFC4868]";
    case "sha384":
      return "HMAC-SHA-384-192 [RFC4868]";
    case "sha512":
      return "HMAC-SHA-512-256 [RFC4868]";
  }
}

/** One esp_sa line (no newline) for one direction of an SA. */
export function espSaLine(r: EspKeyRecord): string {
  const fields = [
    "IPv4",
    // Wireshark's wildcard address matches any (group SAs are shared by every member).
    r.src === null ? "*" : formatIpv4Address(r.src),
    r.dst === null ? "*" : formatIpv4Address(r.dst),
    `0x${(r.spi >>> 0).toString(16).padStart(8, "0")}`,
    espEncryptionName(r.encryption),
    r.encryption === null ? "" : `0x${r.encryptionKey}`,
    espAuthenticationName(r.integrity),
    r.integrity === null ? "" : `0x${r.integrityKey}`,
  ];
  return fields.map(uatString).join(",");
}

/** One ikev1_decryption_table line (no newline). */
export function ikev1DecryptionLine(r: IkeV1KeyRecord): string {
  return `${r.initiatorCookie.toLowerCase()},${r.encryptionKey.toLowerCase()}`;
}

/**
 * The esp_sa file for these records: ESP directions only, first-seen order,
 * exact repeats dropped (both ends of an SA export the same two directions).
 * Empty string when there is no ESP SA.
 */
export function renderEspSa(records: readonly CryptoKeyRecord[]): string {
  return renderLines(records.flatMap((r) => (r.kind === "esp" && r.protocol === "esp" ? [espSaLine(r)] : [])));
}

/** The ikev1_decryption_table file for these records (first-seen order, repeats dropped); empty when none. */
export function renderIkev1DecryptionTable(records: readonly CryptoKeyRecord[]): string {
  return renderLines(records.flatMap((r) => (r.kind === "ikev1" ? [ikev1DecryptionLine(r)] : [])));
}

function renderLines(lines: string[]): string {
  const unique = [...new Set(lines)];
  return unique.length === 0 ? "" : `${unique.join("\n")}\n`;
}

/** A UAT string field as epan/uat.c writes it: in double quotes, with '"', '\' and non-printables as \xHH. */
export function uatString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === "\\" || c < 0x20 || c > 0x7e) out += `\\x${(c & 0xff).toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}
