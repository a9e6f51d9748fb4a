// Every OSPF packet of the OSPF scenarios' captures, checked by tshark
// (ospf-capture-check.ts): it decodes as OSPF with no Malformed layer and no
// expert item at warning level or above, its packet checksum is correct, and
// every LSA in an update passes the Fletcher check. Each scenario must have
// put every OSPF packet type on the wire (hello, DBD, LSR, LSU, LSAck), and no
// ICMP error may quote a multicast OSPF packet an inbound ACL dropped.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../../src/scenario/run-scenario.ts";
import { hasTshark, tsharkFields } from "../../capture/pcap-read.ts";
import { checkOspfCapture } from "./ospf-capture-check.ts";

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTshark)("OSPF scenario captures in Wireshark", () => {
  for (const name of ["ospf-network-types", "ospf-lsa-types"]) {
    test(`${name}: every OSPF packet on every wire decodes with good checksums`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `wanlab-${name}-`));
      dirs.push(dir);
      const result = await runScenario(name, { workers: 0, seed: 1, captureDir: dir, print: () => {} });
      expect(result.ok).toBe(true);
      const files = readdirSync(dir).filter((f) => f.endsWith(".pcap"));
      expect(files.length).toBeGreaterThan(3);
      let packets = 0;
      const types = new Set<string>();
      for (const f of files) {
        const r = checkOspfCapture(join(dir, f));
        expect(r.problems, f).toEqual([]);
        // Both scenarios run for under 300 s of virtual time: a couple of packets per second per wire at most
        // (a request/update loop once put 39,000 on one segment).
        expect(r.packets, f).toBeLessThan(600);
        packets += r.packets;
        for (const row of tsharkFields(join(dir, f), ["ospf.msg"], { filter: "ospf" })) types.add(row["ospf.msg"]!);
      }
      expect(packets).toBeGreaterThan(100);
      // Hellos an ACL drops are multicast: no ICMP error about them (RFC 1122 3.2.2).
      for (const f of files)
        expect(
          tsharkFields(join(dir, f), ["frame.number"], {
            filter: "icmp && ip.dst == 224.0.0.0/4 || icmp.type == 3 && ospf",
          }),
          f,
        ).toEqual([]);
      expect([...types].sort()).toEqual(["1", "2", "3", "4", "5"]);
    }, 120_000);
  }
});
