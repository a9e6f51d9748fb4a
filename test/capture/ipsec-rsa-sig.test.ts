// The ipsec-rsa-sig lab captured on the R1-R2 wire and read by tshark with
// the IKEv1 decryption table the capture wrote: main mode messages 3 and 4
// carry a CERTREQ for X.509 signature certificates, messages 5 and 6 decrypt
// to an X.509 CERT (R1's and R2's self-signed, sha256WithRSAEncryption,
// their CN, OU and ipaddress) and a 128-byte SIG; nothing is malformed. The
// one expert note allowed is Wireshark's own: it has no dissector for the
// PKCS #9 unstructuredName (`hostname=`) every IOS certificate carries.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { PcapDirectorySink } from "../../src/capture/lab-capture.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { hasTshark, tsharkFields } from "./pcap-read.ts";

const root = mkdtempSync(join(tmpdir(), "wanlab-rsa-sig-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

if (!hasTshark && process.env.CI) throw new Error("tshark is required in CI (apt-get install tshark)");

const FIELDS = [
  "frame.number",
  "frame.protocols",
  "_ws.expert.message",
  "isakmp.exchangetype",
  "isakmp.flag_e",
  "isakmp.certreq.type",
  "isakmp.cert.encoding",
  "isakmp.sig",
  "x509sat.printableString",
  "x509af.algorithm.id",
  "isakmp.id.data.ipv4_addr",
];
const UNDECODED_OID = "BER: Dissector for OID not implemented. Contact Wireshark developers if you want this supported";

describe.skipIf(!hasTshark)("tshark decodes rsa-sig main mode", () => {
  test("CERTREQ in messages 3/4; CERT and SIG decrypted in 5/6; nothing malformed", async () => {
    const scenario = loadScenario("ipsec-rsa-sig");
    const sink = new PcapDirectorySink(root);
    const lab = await Lab.create(scenario.lab, { workers: 0, factories: deviceFactories, capture: sink });
    try {
      const result = await runSteps(scenario.name, lab, scenario.steps, () => {});
      expect(result.failure).toBeUndefined();
    } finally {
      lab.close();
    }
    const rows = tsharkFields(join(root, "R1-R2.pcap"), FIELDS, { configDir: root, filter: "isakmp" });
    for (const r of rows) {
      expect(r["frame.protocols"]).not.toContain("malformed");
      for (const m of r["_ws.expert.message"]!.split(",").filter(Boolean)) expect(m).toBe(UNDECODED_OID);
    }
    const mm = rows.filter((r) => r["isakmp.exchangetype"] === "2");
    expect(mm.length).toBe(6);
    expect(mm.map((r) => r["isakmp.certreq.type"])).toEqual(["", "", "4", "4", "", ""]);
    const [mm5, mm6] = [mm[4]!, mm[5]!];
    for (const [r, name, address] of [
      [mm5, "R1", "10.0.12.1"],
      [mm6, "R2", "10.0.12.2"],
    ] as const) {
      expect(r["isakmp.flag_e"]).toBe("1");
      expect(r["isakmp.id.data.ipv4_addr"]).toBe(address);
      expect(r["isakmp.cert.encoding"]).toBe("4");
      expect(r["isakmp.sig"]).toMatch(/^[0-9a-f]{256}$/);
      expect(r["x509sat.printableString"]).toBe(`${name},WANLAB,${address},${name},WANLAB,${address}`);
      expect(r["x509af.algorithm.id"]).toBe("1.2.840.113549.1.1.11,1.2.840.113549.1.1.1,1.2.840.113549.1.1.11");
      expect(r["frame.protocols"]).toContain(":isakmp:x509sat");
    }
  });
});
