// Checks every OSPF packet of a capture with tshark: it must decode as OSPF
// with no Malformed layer and no expert item of warning severity or above,
// tshark must call its packet checksum correct (null and simple
// authentication), and every LSA in it must pass an ISO 8473 Fletcher check
// done here, since Wireshark 4.0 shows LSA checksums without verifying them.
// Returns the problems found (empty when all is well) and how many packets
// were checked.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readPcap, tsharkFields } from "../../capture/pcap-read.ts";

/** The ISO 8473 check over an LSA after LS age: both running sums 0 mod 255. */
export function fletcherHolds(lsa: Uint8Array): boolean {
  let c0 = 0;
  let c1 = 0;
  for (let i = 2; i < lsa.length; i++) {
    c0 = (c0 + lsa[i]!) % 255;
    c1 = (c1 + c0) % 255;
  }
  return c0 === 0 && c1 === 0;
}

/** Offset of the IPv4 header in a frame of this capture's link type (Ethernet or Cisco HDLC). */
function ipOffset(linktype: number, frame: Uint8Array): number {
  if (linktype === 1) return frame[12] === 0x81 && frame[13] === 0x00 ? 18 : 14;
  return 4;
}

export function checkOspfCapture(path: string): { packets: number; problems: string[] } {
  const problems: string[] = [];
  const rows = tsharkFields(
    path,
    ["frame.number", "ospf.msg", "ospf.auth.type", "_ws.malformed", "_ws.expert.severity"],
    {
      filter: "ospf",
      prefs: ["ip.check_checksum:TRUE"],
    },
  );
  for (const r of rows) {
    if (r["_ws.malformed"] !== "") problems.push(`frame ${r["frame.number"]}: malformed`);
    for (const s of (r["_ws.expert.severity"] ?? "").split(",").filter((x) => x !== ""))
      if (Number(s) >= 0x00600000) problems.push(`frame ${r["frame.number"]}: expert severity ${s}`);
  }
  // The packet checksum verdicts, frame by frame.
  const v = spawnSync("tshark", ["-r", path, "-n", "-V", "-Y", "ospf && !icmp"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (v.status !== 0) problems.push(`tshark -V failed: ${v.stderr}`);
  const frames = v.stdout.split(/^Frame (\d+):/m);
  for (let i = 1; i < frames.length; i += 2) {
    const text = frames[i + 1]!;
    const ospf = text.slice(text.indexOf("Open Shortest Path First"));
    const line = ospf.split("\n").find((l) => /^\s+Checksum: 0x/.test(l)) ?? "";
    const md5 = /Auth Type: Cryptographic/.test(ospf);
    if (!md5 && !/\[correct\]/.test(line)) problems.push(`frame ${frames[i]}: checksum "${line.trim()}"`);
  }
  // LSAs inside updates, walked by their Length fields.
  const { linktype, packets } = readPcap(readFileSync(path));
  packets.forEach((p, n) => {
    const o = ipOffset(linktype, p.bytes);
    if (p.bytes[o + 9] !== 89) return;
    const ospf = p.bytes.subarray(o + (p.bytes[o]! & 0x0f) * 4);
    if (ospf[1] !== 4) return;
    const count = ((ospf[24]! << 24) | (ospf[25]! << 16) | (ospf[26]! << 8) | ospf[27]!) >>> 0;
    let at = 28;
    for (let i = 0; i < count; i++) {
      const len = (ospf[at + 18]! << 8) | ospf[at + 19]!;
      if (len < 20 || !fletcherHolds(ospf.subarray(at, at + len)))
        problems.push(`frame ${n + 1}: LSA ${i + 1} checksum`);
      at += Math.max(len, 20);
    }
  });
  return { packets: rows.length, problems };
}
