// Wireshark key tables: the lines must be exactly what Wireshark 4.0 reads.
// Fixtures: Wireshark's own test configuration (test/config/esp_sa.tmpl and
// test/config/ikev1_decryption_table.tmpl in the wireshark repository), rebuilt
// from records; value names from packet-ipsec.c's esp_encryption_type_vals and
// esp_authentication_type_vals.

import { describe, expect, test } from "bun:test";
import type { EspKeyRecord, IkeV1KeyRecord } from "../../src/capture/crypto-keys.ts";
import {
  espAuthenticationName,
  espEncryptionName,
  espSaLine,
  ikev1DecryptionLine,
  renderEspSa,
  renderIkev1DecryptionTable,
  uatString,
} from "../../src/capture/wireshark-keys.ts";
import { parseIpv4Address } from "../../src/wire/ipv4-address.ts";

const ip = (s: string) => parseIpv4Address(s)!;

/** The first line of Wireshark's test/config/esp_sa.tmpl, as a record. */
const WIRESHARK_SA: EspKeyRecord = {
  kind: "esp",
  protocol: "esp",
  src: ip("192.168.0.1"),
  dst: ip("192.168.0.100"),
  spi: 0x070883c2,
  encryption: "aes-128-cbc",
  encryptionKey: "5de1a4c2c72662c9fda7a7c78cd25623",
  integrity: "sha1",
  integrityKey: "51c9213c18232f8f26c70c4dee6e0e6d56e31e8a",
};
const WIRESHARK_SA_LINE =
  '"IPv4","192.168.0.1","192.168.0.100","0x070883c2","AES-CBC [RFC3602]","0x5de1a4c2c72662c9fda7a7c78cd25623","HMAC-SHA-1-96 [RFC2404]","0x51c9213c18232f8f26c70c4dee6e0e6d56e31e8a"';

/** The first line of Wireshark's test/config/ikev1_decryption_table.tmpl, as a record. */
const WIRESHARK_IKE: IkeV1KeyRecord = {
  kind: "ikev1",
  initiatorCookie: "fafaeb49382a763c",
  encryptionKey: "735be0cb62f82675c4f7bf8fbab9b56834ba76d6ab4fa240",
};

describe("esp_sa", () => {
  test("a line is Wireshark's own fixture, field for field", () => {
    expect(espSaLine(WIRESHARK_SA)).toBe(WIRESHARK_SA_LINE);
  });

  test("algorithm names as Wireshark 4.0 spells them", () => {
    expect(
      ["aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "des-ede3-cbc", "des-cbc", null].map((a) =>
        espEncryptionName(a as never),
      ),
    ).toEqual([
      "AES-CBC [RFC3602]",
      "AES-CBC [RFC3602]",
      "AES-CBC [RFC3602]",
      "TripleDES-CBC [RFC2451]",
      "DES-CBC [RFC2405]",
      "NULL",
    ]);
    expect(["md5", "sha1", "sha256", "sha384", "sha512", null].map((a) => espAuthenticationName(a as never))).toEqual([
      "HMAC-MD5-96 [RFC2403]",
      "HMAC-SHA-1-96 [RFC2404]",
      "HMAC-SHA-256-128 [RFC4868]",
      "HMAC-SHA-384-192 [RFC4868]",
      "HMAC-SHA-512-256 [RFC4868]",
      "NULL",
    ]);
  });

  test("SPIs keep eight hex digits; NULL algorithms take an empty key", () => {
    const line = espSaLine({
      ...WIRESHARK_SA,
      spi: 0x100,
      encryption: null,
      integrity: null,
      encryptionKey: "",
      integrityKey: "",
    });
    expect(line).toBe('"IPv4","192.168.0.1","192.168.0.100","0x00000100","NULL","","NULL",""');
    expect(espSaLine({ ...WIRESHARK_SA, spi: 0xffffffff })).toContain('"0xffffffff"');
  });

  test("the table: ESP only, first-seen order, both ends' copies collapsed, one newline per line", () => {
    const back: EspKeyRecord = { ...WIRESHARK_SA, src: WIRESHARK_SA.dst, dst: WIRESHARK_SA.src, spi: 0xc254fe64 };
    const ah: EspKeyRecord = { ...WIRESHARK_SA, protocol: "ah", encryption: null, encryptionKey: "", spi: 0x1234 };
    const text = renderEspSa([WIRESHARK_SA, back, WIRESHARK_IKE, ah, back, WIRESHARK_SA]);
    expect(text).toBe(`${WIRESHARK_SA_LINE}\n${espSaLine(back)}\n`);
    expect(renderEspSa([WIRESHARK_IKE, ah])).toBe("");
  });

  test("strings are quoted as epan/uat.c writes them", () => {
    expect(uatString('a"b\\c\n')).toBe('"a\\x22b\\x5cc\\x0a"');
    expect(uatString("HMAC-SHA-1-96 [RFC2404]")).toBe('"HMAC-SHA-1-96 [RFC2404]"');
  });
});

describe("ikev1_decryption_table", () => {
  test("a line is Wireshark's own fixture: bare hex cookie, comma, bare hex key", () => {
    expect(ikev1DecryptionLine(WIRESHARK_IKE)).toBe(
      "fafaeb49382a763c,735be0cb62f82675c4f7bf8fbab9b56834ba76d6ab4fa240",
    );
    expect(ikev1DecryptionLine({ ...WIRESHARK_IKE, initiatorCookie: "FAFAEB49382A763C" })).toStartWith(
      "fafaeb49382a763c,",
    );
  });

  test("the table: phase-1 records only, repeats dropped", () => {
    const other: IkeV1KeyRecord = {
      kind: "ikev1",
      initiatorCookie: "ab3e0f1f8bc3be8e",
      encryptionKey: "928392441e00ece5",
    };
    expect(renderIkev1DecryptionTable([WIRESHARK_IKE, WIRESHARK_SA, other, WIRESHARK_IKE])).toBe(
      "fafaeb49382a763c,735be0cb62f82675c4f7bf8fbab9b56834ba76d6ab4fa240\nab3e0f1f8bc3be8e,928392441e00ece5\n",
    );
    expect(renderIkev1DecryptionTable([WIRESHARK_SA])).toBe("");
  });
});
