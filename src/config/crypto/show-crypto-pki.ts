// The PKI show commands in IOS 15's layout: `show crypto key mypubkey rsa
// [LABEL]` (one block per key pair, the SubjectPublicKeyInfo as hex words),
// `show crypto key pubkey-chain rsa [address A | name N]` (the table, or one
// key), `show crypto pki certificates [TRUSTPOINT]` and `show crypto pki
// trustpoints [TRUSTPOINT]`.

import type { PkiChainCertificate, PkiConfig, PubkeyChainEntry, Trustpoint } from "../../protocols/pki/pki-config.ts";
import type { RsaKeyUsage } from "../../protocols/pki/rsa-key-store.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { nameAttribute, X509_ATTRIBUTE_NAME, X509_OID, type X509Name } from "../../wire/x509.ts";
import { iosClockMs } from "../ios-clock.ts";
import { hexWordLines, pkiDate } from "./pki-text.ts";

const USAGE_TEXT: Record<RsaKeyUsage, string> = {
  general: "General Purpose Key",
  signature: "Signature Key",
  encryption: "Encryption Key",
};

/** `show crypto key mypubkey rsa [LABEL]`. */
export function renderShowMyPubkey(pki: PkiConfig, label?: string): string {
  const lines: string[] = [];
  for (const pair of pki.keys.all()) {
    if (label !== undefined && pair.label !== label) continue;
    lines.push(
      `% Key pair was generated at: ${pkiDate(iosClockMs(pair.generatedAt))}`,
      `Key name: ${pair.label}`,
      "Key type: RSA KEYS",
      " Storage Device: not specified",
      ` Usage: ${USAGE_TEXT[pair.usage]}`,
      ` Key is ${pair.exportable ? "exportable" : "not exportable"}.`,
      " Key Data:",
      ...hexWordLines(pair.publicDer, "  ", true),
    );
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

const CHAIN_USAGE: Record<PubkeyChainEntry["usage"], string> = {
  general: "General",
  signature: "Signature",
  encryption: "Encryption",
};

/** `show crypto key pubkey-chain rsa`: every manually configured key. */
export function renderShowPubkeyChain(pki: PkiConfig): string {
  const lines = [
    "Codes: M - Manually configured, C - Extracted from certificate",
    "",
    `${"Code".padEnd(5)}${"Usage".padEnd(13)}${"IP-Address/VRF".padEnd(25)}${"Keyring".padEnd(11)}Name`,
  ];
  for (const e of pki.pubkeyChain) {
    const address = e.address === null ? "" : formatIpv4Address(e.address);
    lines.push(
      `${"M".padEnd(5)}${CHAIN_USAGE[e.usage].padEnd(13)}${address.padEnd(25)}${"default".padEnd(11)}${e.kind === "named" ? e.name : ""}`.trimEnd(),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** `show crypto key pubkey-chain rsa address A | name N`: the matching keys in full. */
export function renderShowPubkeyChainKey(pki: PkiConfig, by: { address?: number; name?: string }): string {
  const lines: string[] = [];
  for (const e of pki.pubkeyChain) {
    if (by.address !== undefined && e.address !== by.address) continue;
    if (by.name !== undefined && !(e.kind === "named" && e.name.toLowerCase() === by.name.toLowerCase())) continue;
    lines.push(`Key name: ${e.name}`);
    if (e.address !== null) lines.push(`Key address: ${formatIpv4Address(e.address)}`);
    lines.push(
      ` Usage: ${CHAIN_USAGE[e.usage] === "General" ? "General Purpose Key" : `${CHAIN_USAGE[e.usage]} Key`}`,
      " Source: Manually entered",
      " Data:",
    );
    lines.push(...(e.keyDer === null ? ["  (no key-string)"] : hexWordLines(e.keyDer, "  ", true)));
  }
  return lines.length === 0 ? "% Key not found.\n" : `${lines.join("\n")}\n`;
}

/** A name as IOS lists it under `Issuer:`/`Subject:` (last attribute first). */
function nameLines(name: X509Name, indent: string): string[] {
  return [...name].reverse().map((a) => `${indent}${X509_ATTRIBUTE_NAME[a.type] ?? a.type}=${a.value}`);
}

function serialHex(serial: bigint): string {
  const h = serial.toString(16).toUpperCase();
  return h.length % 2 === 1 ? `0${h}` : h;
}

/** The NVRAM file IOS stores a certificate in: the first characters of its name, `#`, the serial. */
function storageName(c: PkiChainCertificate): string {
  const name =
    nameAttribute(c.cert.subject, X509_OID.COMMON_NAME) ??
    nameAttribute(c.cert.subject, X509_OID.UNSTRUCTURED_NAME) ??
    "cert";
  return `nvram:${name.slice(0, 12).replace(/[\s.]/g, "")}#${c.cert.serial.toString(16).toUpperCase()}.cer`;
}

function certificateBlock(tp: Trustpoint, c: PkiChainCertificate): string[] {
  const title =
    c.kind === "self-signed" ? "Router Self-Signed Certificate" : c.kind === "ca" ? "CA Certificate" : "Certificate";
  const shownName =
    nameAttribute(c.cert.subject, X509_OID.UNSTRUCTURED_NAME) ?? nameAttribute(c.cert.subject, X509_OID.COMMON_NAME);
  return [
    title,
    "  Status: Available",
    `  Certificate Serial Number (hex): ${serialHex(c.cert.serial)}`,
    `  Certificate Usage: ${c.kind === "ca" ? "Signature" : "General Purpose"}`,
    "  Issuer:",
    ...nameLines(c.cert.issuer, "    "),
    "  Subject:",
    ...(shownName === undefined ? [] : [`    Name: ${shownName}`]),
    ...nameLines(c.cert.subject, "    "),
    "  Validity Date:",
    `    start date: ${pkiDate(c.cert.notBeforeMs)}`,
    `    end   date: ${pkiDate(c.cert.notAfterMs)}`,
    `  Associated Trustpoints: ${tp.name}`,
    `  Storage: ${storageName(c)}`,
    "",
  ];
}

/** `show crypto pki certificates [TRUSTPOINT]`. */
export function renderShowPkiCertificates(pki: PkiConfig, trustpoint?: string): string {
  const lines: string[] = [];
  for (const tp of pki.trustpoints.values()) {
    if (trustpoint !== undefined && tp.name !== trustpoint) continue;
    for (const c of tp.chain) lines.push(...certificateBlock(tp, c));
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** `show crypto pki trustpoints [TRUSTPOINT]`. */
export function renderShowPkiTrustpoints(pki: PkiConfig, trustpoint?: string): string {
  const lines: string[] = [];
  for (const tp of pki.trustpoints.values()) {
    if (trustpoint !== undefined && tp.name !== trustpoint) continue;
    lines.push(`Trustpoint ${tp.name}:`);
    const c = pki.routerCertificate(tp) ?? tp.chain[0];
    if (c === undefined) lines.push("    Not authenticated.");
    else
      lines.push(
        "    Subject Name:",
        ...nameLines(c.cert.subject, "    "),
        `          Serial Number (hex): ${serialHex(c.cert.serial)}`,
        "    Certificate configured.",
      );
    lines.push("", "");
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
