// EIGRP MD5 authentication between two routers with key chains: matching
// keys form the adjacency and carry routes (every packet on the wire signed
// with key 1 and checked by our verifier); a wrong key-string on one side
// makes the other drop its packets, so the neighbour goes down when its hold
// time runs out; the right key brings it back.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../../actors/index.ts";
import { PcapDirectorySink } from "../../../src/capture/lab-capture.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { eigrpMd5Verifies, parseEigrp } from "../../../src/wire/eigrp.ts";
import { readPcap } from "../../capture/pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-eigrp-auth-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SEC = 1e9;

const TOPOLOGY = {
  devices: { R1: "router", R2: "router" },
  links: [{ name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0", latencyMs: 1 }],
};

const router = (n: number) =>
  [
    `hostname R${n}`,
    "key chain EIGRP-KEYS",
    " key 1",
    "  key-string cisco",
    "interface Loopback0",
    ` ip address 10.${n}.${n}.${n} 255.255.255.255`,
    "interface Serial0/0",
    ` ip address 10.0.12.${n} 255.255.255.0`,
    " ip authentication mode eigrp 1 md5",
    " ip authentication key-chain eigrp 1 EIGRP-KEYS",
    " no shutdown",
    "router eigrp 1",
    " network 10.0.0.0",
    "end",
    "",
  ].join("\n");

const snap: Record<string, string> = {};

beforeAll(async () => {
  const spec = buildLabSpec("eigrp-auth", "eigrp-auth", TOPOLOGY, { R1: router(1), R2: router(2) }, 1);
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories, capture: new PcapDirectorySink(root) });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  const config = async (d: string, ...lines: string[]) => {
    for (const l of ["configure terminal", ...lines, "end"]) {
      const out = await cmd(d, l);
      if (out.includes("%")) throw new Error(`${d}: ${l}: ${out}`);
    }
  };
  try {
    await lab.run(20 * SEC);
    snap.up = await cmd("R1", "show ip route eigrp");
    snap.config = await cmd("R1", "show running-config");
    snap.keys = await cmd("R1", "show key chain");
    await config("R2", "key chain EIGRP-KEYS", " key 1", "  key-string wrong");
    await lab.run(20 * SEC);
    snap.down = await cmd("R1", "show ip eigrp neighbors");
    snap.log = await cmd("R1", "show logging");
    await config("R2", "key chain EIGRP-KEYS", " key 1", "  key-string cisco");
    await lab.run(20 * SEC);
    snap.back = await cmd("R1", "show ip route eigrp");
  } finally {
    lab.close();
  }
}, 60_000);

describe("EIGRP MD5 authentication", () => {
  test("matching key chains: adjacency and routes; running config and show key chain", () => {
    expect(snap.up).toMatch(/D\s+10\.2\.2\.2\/32 \[90\/2297856\] via 10\.0\.12\.2, Serial0\/0/);
    expect(snap.config).toContain("key chain EIGRP-KEYS\n key 1\n  key-string cisco\n!");
    expect(snap.config).toContain(
      " ip authentication mode eigrp 1 md5\n ip authentication key-chain eigrp 1 EIGRP-KEYS\n",
    );
    expect(snap.keys).toContain('Key-chain EIGRP-KEYS:\n    key 1 -- text "cisco"');
  });

  test("a wrong key: packets dropped, the neighbour goes when its hold time runs out, and comes back", () => {
    expect(snap.down).not.toContain("10.0.12.2");
    expect(snap.log).toContain(
      "%DUAL-5-NBRCHANGE: EIGRP-IPv4 1: Neighbor 10.0.12.2 (Serial0/0) is down: holding time expired",
    );
    expect(snap.back).toMatch(/D\s+10\.2\.2\.2\/32 \[90\/2297856\] via 10\.0\.12\.2, Serial0\/0/);
  });

  test("every packet on the wire carries key 1 and verifies with cisco (the wrong key's with wrong)", () => {
    const { packets } = readPcap(readFileSync(join(root, "R1-R2.pcap")));
    const enc = new TextEncoder();
    let signed = 0;
    let wrong = 0;
    for (const f of packets) {
      const b = f.bytes;
      if (b[4 + 9] !== 88) continue;
      const total = (b[6]! << 8) | b[7]!;
      const eigrp = b.subarray(4 + 20, 4 + total);
      const p = parseEigrp(eigrp);
      expect(p.ok).toBe(true);
      if (!p.ok) continue;
      const auth = p.value.tlvs[0];
      expect(auth?.type === "authentication" && auth.keyId).toBe(1);
      if (eigrpMd5Verifies(eigrp, enc.encode("cisco"))) signed++;
      else if (eigrpMd5Verifies(eigrp, enc.encode("wrong"))) wrong++;
      else throw new Error("a packet signed with neither key");
    }
    expect(signed).toBeGreaterThan(10);
    expect(wrong).toBeGreaterThan(2);
  });
});
