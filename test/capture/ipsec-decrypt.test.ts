// IPsec captures decrypt with the key tables the capture writes. The
// ipsec-crypto-map scenario runs with capture on (inline and on two Workers:
// same keys, same files); then
//  - node:crypto checks every captured ESP packet against esp_sa on its own
//    (HMAC-SHA-1-96 ICV, AES-CBC, RFC 4303 trailer, inner 10.9.9.9 <-> 10.10.10.10 ICMP);
//  - tshark, with the capture folder as its configuration folder, decrypts
//    every ESP frame with a good ICV and shows the inner echo, decodes main
//    mode, quick mode and the informational DELETE with their encrypted
//    payloads, and finds nothing malformed and no expert warning or error;
//  - tshark with a wrong integrity key or without the IKEv1 table does not.
// SW1 is one Ethernet segment carrying every routed hop on its own 802.1Q
// VLAN, so it holds each packet once per hop. Wireshark's IKEv1 decryption
// chains the CBC IV from frame to frame, so a second copy of an encrypted IKE
// message decrypts under the wrong IV, and ESP sequence analysis flags the
// copies as repeats: tshark reads one VLAN (one hop) at a time, as a sniffer
// on that hop would see it.
// Set TSHARK_DEBUG=1 to print tshark's rows.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createDecipheriv, createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import type { CryptoKeyRecord } from "../../src/capture/crypto-keys.ts";
import { PcapDirectorySink } from "../../src/capture/lab-capture.ts";
import { ESP_SA_FILE, IKEV1_DECRYPTION_TABLE_FILE } from "../../src/capture/wireshark-keys.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { parseEthernet } from "../../src/wire/ethernet.ts";
import { IP_PROTO_ESP, IP_PROTO_ICMP, IP_PROTO_UDP, parseIpv4 } from "../../src/wire/ipv4.ts";
import { formatIpv4Address } from "../../src/wire/ipv4-address.ts";
import { hasTshark, readPcap, splitByVlan, tsharkFields } from "./pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-ipsec-decrypt-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

if (!hasTshark) {
  if (process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");
  console.warn("note: tshark not installed, skipping the Wireshark IPsec decryption test");
}

interface Run {
  dir: string;
  keys: CryptoKeyRecord[];
  keyFiles: string[];
}

/** Runs ipsec-crypto-map with capture into a fresh folder. */
async function run(workers: number): Promise<Run> {
  const scenario = loadScenario("ipsec-crypto-map");
  const dir = join(root, `workers-${workers}`);
  const sink = new PcapDirectorySink(dir);
  const streamed: CryptoKeyRecord[] = [];
  const lab = await Lab.create(scenario.lab, {
    workers,
    factories: deviceFactories,
    capture: sink,
    keys: (_at, r) => streamed.push(r),
  });
  try {
    const result = await runSteps(scenario.name, lab, scenario.steps, () => {});
    expect(result.failure).toBeUndefined();
  } finally {
    lab.close();
  }
  return { dir, keys: streamed, keyFiles: sink.keyFiles() };
}

/** An esp_sa line read back: the eight quoted fields. */
interface EspSa {
  src: string;
  dst: string;
  spi: number;
  encryption: string;
  encryptionKey: Buffer;
  authentication: string;
  authenticationKey: Buffer;
}

function readEspSa(path: string): EspSa[] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const f = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
      expect(f.length, line).toBe(8);
      expect(f[0]).toBe("IPv4");
      return {
        src: f[1]!,
        dst: f[2]!,
        spi: Number(f[3]),
        encryption: f[4]!,
        encryptionKey: Buffer.from(f[5]!.slice(2), "hex"),
        authentication: f[6]!,
        authenticationKey: Buffer.from(f[7]!.slice(2), "hex"),
      };
    });
}

/** node:crypto names for the Wireshark algorithm names our tables use. */
function cipherOf(sa: EspSa): string {
  if (sa.encryption === "AES-CBC [RFC3602]") return `aes-${sa.encryptionKey.length * 8}-cbc`;
  if (sa.encryption === "TripleDES-CBC [RFC2451]") return "des-ede3-cbc";
  throw new Error(`no node cipher for ${sa.encryption}`);
}
const HMACS: Record<string, [string, number]> = {
  "HMAC-MD5-96 [RFC2403]": ["md5", 12],
  "HMAC-SHA-1-96 [RFC2404]": ["sha1", 12],
  "HMAC-SHA-256-128 [RFC4868]": ["sha256", 16],
  "HMAC-SHA-384-192 [RFC4868]": ["sha384", 24],
  "HMAC-SHA-512-256 [RFC4868]": ["sha512", 32],
};

const PEER_A = "150.1.7.7";
const PEER_B = "10.0.58.8";
const LAN_A = "10.9.9.9";
const LAN_B = "10.10.10.10";

let inline: Run;
let workers: Run;
let pcap: Uint8Array;
let espSa: EspSa[];

beforeAll(async () => {
  inline = await run(0);
  workers = await run(2);
  pcap = readFileSync(join(workers.dir, "SW1.pcap"));
  espSa = readEspSa(join(workers.dir, ESP_SA_FILE));
});

describe("key export", () => {
  test("devices hand the lab every SA's keys, the same inline and on Workers", () => {
    // One phase 1 (R7 initiates), two quick modes (the second after `clear crypto sa`), each
    // exported by both ends in both directions.
    expect(workers.keys.filter((k) => k.kind === "ikev1").length).toBe(1);
    expect(workers.keys.filter((k) => k.kind === "esp").length).toBe(8);
    expect(workers.keys).toEqual(inline.keys);
  });

  test("the capture folder holds both tables, byte for byte the same inline and on Workers", () => {
    expect(readdirSync(workers.dir).sort()).toEqual(["SW1.pcap", ESP_SA_FILE, IKEV1_DECRYPTION_TABLE_FILE].sort());
    expect(workers.keyFiles).toEqual([join(workers.dir, ESP_SA_FILE), join(workers.dir, IKEV1_DECRYPTION_TABLE_FILE)]);
    for (const name of [ESP_SA_FILE, IKEV1_DECRYPTION_TABLE_FILE, "SW1.pcap"]) {
      expect(readFileSync(join(workers.dir, name)).equals(readFileSync(join(inline.dir, name))), name).toBe(true);
    }
    // Two SAs, one line per direction; both ends' copies collapse.
    expect(espSa.length).toBe(4);
    expect(espSa.map((s) => `${s.src}>${s.dst}`).sort()).toEqual([
      `${PEER_B}>${PEER_A}`,
      `${PEER_B}>${PEER_A}`,
      `${PEER_A}>${PEER_B}`,
      `${PEER_A}>${PEER_B}`,
    ]);
    const ike = readFileSync(join(workers.dir, IKEV1_DECRYPTION_TABLE_FILE), "utf8");
    // AES-192 phase 1: a 24-byte key under an 8-byte initiator cookie.
    expect(ike).toMatch(/^[0-9a-f]{16},[0-9a-f]{48}\n$/);
  });
});

describe("the exported keys decrypt the captured ESP (node:crypto)", () => {
  test("every ESP packet has a good ICV and carries the inner echo", () => {
    let esp = 0;
    const inner = new Map<string, number>();
    for (const { bytes } of readPcap(pcap).packets) {
      const eth = parseEthernet(bytes);
      if (!eth.ok || eth.value.ethertype !== 0x0800) continue;
      const ip = parseIpv4(eth.value.payload);
      if (!ip.ok || ip.value.protocol !== IP_PROTO_ESP) continue;
      esp++;
      const body = Buffer.from(ip.value.payload);
      const spi = body.readUInt32BE(0);
      const src = formatIpv4Address(ip.value.src);
      const dst = formatIpv4Address(ip.value.dst);
      const sa = espSa.find((s) => s.spi === spi && s.src === src && s.dst === dst);
      expect(sa, `SA ${src} > ${dst} spi 0x${spi.toString(16)}`).toBeDefined();
      const [hash, icvLen] = HMACS[sa!.authentication]!;
      const icv = body.subarray(body.length - icvLen);
      const mac = createHmac(hash, sa!.authenticationKey)
        .update(body.subarray(0, body.length - icvLen))
        .digest()
        .subarray(0, icvLen);
      expect(mac.equals(icv), `ICV of spi 0x${spi.toString(16)}`).toBe(true);
      const cipher = cipherOf(sa!);
      const ivLen = cipher.startsWith("aes") ? 16 : 8;
      const d = createDecipheriv(cipher, sa!.encryptionKey, body.subarray(8, 8 + ivLen)).setAutoPadding(false);
      const plain = Buffer.concat([d.update(body.subarray(8 + ivLen, body.length - icvLen)), d.final()]);
      // RFC 4303 trailer: padding 1, 2, 3, ..., pad length, next header 4 (IPv4, tunnel mode).
      const padLen = plain[plain.length - 2]!;
      expect(plain[plain.length - 1]).toBe(4);
      for (let i = 0; i < padLen; i++) expect(plain[plain.length - 2 - padLen + i]).toBe(i + 1);
      const packet = parseIpv4(plain.subarray(0, plain.length - 2 - padLen));
      expect(packet.ok).toBe(true);
      if (!packet.ok) continue;
      expect(packet.value.protocol).toBe(IP_PROTO_ICMP);
      const flow = `${formatIpv4Address(packet.value.src)}>${formatIpv4Address(packet.value.dst)}`;
      inner.set(flow, (inner.get(flow) ?? 0) + 1);
    }
    // 14 + 4 echoes each way after the tunnel comes up, each seen on three hops of SW1.
    expect(esp).toBe(108);
    expect(Object.fromEntries(inner)).toEqual({ [`${LAN_A}>${LAN_B}`]: 54, [`${LAN_B}>${LAN_A}`]: 54 });
  });
});

// tshark prints expert severities as numbers (epan/proto.h): warn 0x600000, error 0x800000.
const WARN_SEVERITY = 0x00600000;
const PREFS = [
  "esp.enable_encryption_decode:TRUE",
  "esp.enable_authentication_check:TRUE",
  "ip.check_checksum:TRUE",
  "udp.check_checksum:TRUE",
];
const FIELDS = [
  "frame.number",
  "frame.protocols",
  "_ws.expert.severity",
  "_ws.expert.message",
  "esp.spi",
  "esp.icv_good",
  "esp.icv_bad",
  "ip.src",
  "ip.dst",
  "icmp.type",
  "isakmp.exchangetype",
  "isakmp.flag_e",
  "isakmp.hash",
  "isakmp.nonce",
  "isakmp.sa.doi",
  "isakmp.id.data.ipv4_addr",
  "isakmp.delete.spi",
];
const MAIN_MODE = "2";
const QUICK_MODE = "32";
const INFORMATIONAL = "5";

/** True if the capture holds an ESP packet or an IKE datagram (UDP port 500). */
function carriesIpsec(capture: Uint8Array): boolean {
  return readPcap(capture).packets.some(({ bytes }) => {
    const eth = parseEthernet(bytes);
    const ip = eth.ok && eth.value.ethertype === 0x0800 ? parseIpv4(eth.value.payload) : undefined;
    if (ip === undefined || !ip.ok) return false;
    const p = ip.value.payload;
    return (
      ip.value.protocol === IP_PROTO_ESP ||
      (ip.value.protocol === IP_PROTO_UDP && p.length >= 4 && ((p[0]! << 8) | p[1]!) === 500)
    );
  });
}

/** Writes each VLAN (hop) of SW1 that carries ESP or IKE to its own file; returns [vid, path]. */
function hops(): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const [vid, bytes] of splitByVlan(pcap)) {
    if (!carriesIpsec(bytes)) continue;
    const path = join(root, `vlan${vid}.pcap`);
    writeFileSync(path, bytes);
    out.push([vid, path]);
  }
  return out;
}

function decode(path: string, configDir: string): Array<Record<string, string>> {
  const rows = tsharkFields(path, FIELDS, { configDir, prefs: PREFS });
  if (process.env.TSHARK_DEBUG) for (const r of rows) console.log(JSON.stringify(r));
  return rows;
}

describe.skipIf(!hasTshark)("tshark decrypts the capture with the tables it came with", () => {
  test("every ESP frame has a good ICV and shows the inner echo; main, quick and informational mode decode; nothing malformed", () => {
    const spis = new Set(espSa.map((s) => s.spi));
    let espFrames = 0;
    let isakmpFrames = 0;
    const ipsecHops: number[] = [];
    for (const [vid, path] of hops()) {
      // The capture folder itself is Wireshark's configuration folder: esp_sa and ikev1_decryption_table as written.
      const rows = decode(path, workers.dir);
      const esp = rows.filter((r) => r["esp.spi"] !== "");
      const ike = rows.filter((r) => r["isakmp.exchangetype"] !== "");
      for (const r of rows) {
        const where = `vlan ${vid} frame ${r["frame.number"]}: ${r["frame.protocols"]} ${r["_ws.expert.message"]}`;
        expect(r["frame.protocols"], where).not.toContain("malformed");
        for (const s of r["_ws.expert.severity"]!.split(",").filter(Boolean))
          expect(Number(s), where).toBeLessThan(WARN_SEVERITY);
      }
      for (const r of esp) {
        const where = `vlan ${vid} frame ${r["frame.number"]}`;
        expect(r["esp.icv_good"], where).toBe("1");
        expect(r["frame.protocols"], where).toEndWith(":ip:esp:ip:icmp:data");
        const flow = `${r["ip.src"]}>${r["ip.dst"]} ${r["icmp.type"]}`;
        expect([`${PEER_A},${LAN_A}>${PEER_B},${LAN_B} 8`, `${PEER_B},${LAN_B}>${PEER_A},${LAN_A} 0`], where).toContain(
          flow,
        );
      }
      espFrames += esp.length;
      isakmpFrames += ike.length;
      if (ike.length === 0) continue;
      ipsecHops.push(vid);
      // Each hop sees the whole exchange once: main mode 1-6, two quick modes of three, one DELETE.
      const mm = ike.filter((r) => r["isakmp.exchangetype"] === MAIN_MODE);
      const qm = ike.filter((r) => r["isakmp.exchangetype"] === QUICK_MODE);
      const info = ike.filter((r) => r["isakmp.exchangetype"] === INFORMATIONAL);
      expect([mm.length, qm.length, info.length], `vlan ${vid}`).toEqual([6, 6, 1]);
      // Encrypted messages decode: each starts with a HASH payload that is only visible once decrypted.
      for (const r of ike.filter((x) => x["isakmp.flag_e"] === "1"))
        expect(r["isakmp.hash"], `vlan ${vid} frame ${r["frame.number"]}`).toMatch(/^[0-9a-f]{96}$/);
      expect(mm.filter((r) => r["isakmp.flag_e"] === "1").map((r) => r["isakmp.id.data.ipv4_addr"])).toEqual([
        PEER_A,
        PEER_B,
      ]);
      expect(qm.every((r) => r["isakmp.flag_e"] === "1")).toBe(true);
      // Quick mode 1 and 2 carry the SA and a nonce.
      expect(qm.filter((r) => r["isakmp.nonce"] !== "" && r["isakmp.sa.doi"] === "1").length).toBe(4);
      expect(spis.has(Number.parseInt(info[0]!["isakmp.delete.spi"]!, 16))).toBe(true);
    }
    expect(ipsecHops.length).toBe(3);
    expect(espFrames).toBe(108);
    expect(isakmpFrames).toBe(39);
  });

  test("a wrong integrity key gives bad ICVs, and without the IKEv1 table encrypted IKE stays opaque", () => {
    const [, path] = hops().find(([vid]) => vid === 58)!;
    const bad = join(root, "wrong-keys");
    mkdirSync(bad, { recursive: true });
    // Flip the last hex digit of every authentication key; no IKEv1 table at all.
    writeFileSync(
      join(bad, ESP_SA_FILE),
      readFileSync(join(workers.dir, ESP_SA_FILE), "utf8").replace(
        /([0-9a-f])"\n/g,
        (_m, d: string) => `${(Number.parseInt(d, 16) ^ 1).toString(16)}"\n`,
      ),
    );
    const rows = decode(path, bad);
    const esp = rows.filter((r) => r["esp.spi"] !== "");
    expect(esp.length).toBe(36);
    for (const r of esp) {
      expect(r["esp.icv_good"]).not.toBe("1");
      expect(r["esp.icv_bad"]).toBe("1");
    }
    const encrypted = rows.filter((r) => r["isakmp.flag_e"] === "1");
    expect(encrypted.length).toBe(2 + 6 + 1);
    for (const r of encrypted) expect(r["isakmp.hash"]).toBe("");
  });
});
