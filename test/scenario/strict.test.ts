// Bad input in a scenario folder: a device without a config file boots with
// a warning (or silently when the topology says "config": null), strict runs
// fail on rejected config lines that no expect-config-error step declares,
// and steps can bind numbers from outputs and compare them (check).
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/scenario/run-scenario.ts";
import { StepsError } from "../../src/scenario/steps.ts";

function folder(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), "wanlab-strict-"));
  for (const [name, body] of Object.entries(files))
    writeFileSync(join(dir, name), typeof body === "string" ? body : JSON.stringify(body));
  return dir;
}

const TWO = { R1: "router", R2: "router" };
const LINK = [{ name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0" }];
const R1_CFG =
  "hostname R1\ninterface Serial0/0\n ip adress 10.0.12.1 255.255.255.0\n ip address 10.0.12.1 255.255.255.0\n no shutdown\nend\n";

describe("devices without a config file", () => {
  test("a missing file is a warning naming the device and file; config null is silent", () => {
    const dir = folder({
      "topology.json": { devices: { ...TWO, R3: { kind: "router", config: null } } },
      "R1.cfg": "hostname R1\n",
    });
    const s = loadScenario(dir);
    expect(s.warnings).toEqual(["% R2: no configuration file R2.cfg; booting with an empty configuration"]);
    expect(s.lab.devices.find((d) => d.name === "R3")!.config).toBe("");
  });
  test("the warning is printed and kept; a strict run fails on it", async () => {
    const dir = folder({ "topology.json": { devices: TWO }, "R1.cfg": "hostname R1\n", "steps.txt": "wait 1s\n" });
    let transcript = "";
    const r = await runScenario(dir, { workers: 0, print: (t) => (transcript += t) });
    expect(transcript).toContain("% R2: no configuration file R2.cfg; booting with an empty configuration");
    expect(r.warnings).toHaveLength(1);
    expect(r.ok).toBe(true);
    const strict = await runScenario(dir, { workers: 0, strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.failure).toContain("R2: no configuration file R2.cfg");
  });
  test("an unknown kind and a bad config entry are named before any lab starts", () => {
    expect(() => loadScenario(folder({ "topology.json": { devices: { R1: "router", X: "firewall" } } }))).toThrow(
      'device X: unknown device kind "firewall" (known kinds: host, linux-host, router)',
    );
    expect(() => loadScenario(folder({ "topology.json": { devices: { R1: { kind: "router", config: 5 } } } }))).toThrow(
      'device R1: "config" must be a file name, or null for none',
    );
  });
});

describe("strict runs", () => {
  const files = (steps: string, strict?: boolean) =>
    folder({
      "topology.json": { ...(strict ? { strict } : {}), devices: TWO, links: LINK },
      "R1.cfg": R1_CFG,
      "R2.cfg": "hostname R2\ninterface Serial0/0\n ip address 10.0.12.2 255.255.255.0\n no shutdown\n",
      "steps.txt": steps,
    });
  test("without strict a rejected line is reported and the run passes", async () => {
    const r = await runScenario(files("R1# ping 10.0.12.2\nexpect Success rate\n"), { workers: 0 });
    expect(r.ok).toBe(true);
    expect(r.configErrors).toMatchObject([{ device: "R1", line: 3, text: "ip adress 10.0.12.1 255.255.255.0" }]);
  });
  test("--strict fails on it, naming device, line and text", async () => {
    const r = await runScenario(files("R1# ping 10.0.12.2\nexpect Success rate\n"), { workers: 0, strict: true });
    expect(r.ok).toBe(false);
    expect(r.failure).toBe(
      "strict: R1 config line 3 was rejected: ip adress 10.0.12.1 255.255.255.0 (% Invalid input detected at '^' marker.)",
    );
  });
  test('"strict": true in topology.json does the same; expect-config-error allows exactly that line', async () => {
    expect((await runScenario(files("wait 1s\n", true), { workers: 0 })).ok).toBe(false);
    const ok = await runScenario(files("expect-config-error R1 3\n", true), { workers: 0 });
    expect(ok.ok).toBe(true);
    const wrong = await runScenario(files("expect-config-error R1 4\n", true), { workers: 0 });
    expect(wrong.ok).toBe(false);
    expect(wrong.expectations.map((e) => e.description)).toContain(
      "expected R1 config line 4 rejected, but it loaded (R1's rejected lines: 3)",
    );
  });
});

describe("variables and check", () => {
  const dir = () =>
    folder({
      "topology.json": { devices: TWO, links: LINK },
      "R1.cfg": R1_CFG.replace(" ip adress 10.0.12.1 255.255.255.0\n", ""),
      "R2.cfg": "hostname R2\ninterface Serial0/0\n ip address 10.0.12.2 255.255.255.0\n no shutdown\n",
      "steps.txt": "",
    });
  test("named groups bind, {{name}} substitutes, check compares sums", async () => {
    const d = dir();
    writeFileSync(
      join(d, "steps.txt"),
      [
        "R1# ping 10.0.12.2 repeat 5",
        "expect /\\((?<ok>\\d+)\\/(?<sent>\\d+)\\)/",
        "check ok <= sent",
        "check ok + 0 >= 1",
        "R{{ok}}# show version",
        "R1# ping 10.0.12.2 repeat {{sent}}",
        "expect /\\(5\\/{{sent}}\\)/",
        "check sent == 4",
      ].join("\n"),
    );
    const r = await runScenario(d, { workers: 0 });
    expect(r.variables).toMatchObject({ sent: 5 });
    expect(r.commands[1]!.command).toBe("ping 10.0.12.2 repeat 5");
    const failed = r.expectations.filter((e) => !e.ok).map((e) => e.description);
    // "R4# show version" or "R5#": a device that does not exist; and 5 == 4 is false.
    expect(failed.some((f) => f.startsWith("expected sent == 4 (5 == 4)"))).toBe(true);
    expect(r.expectations.find((e) => e.description.startsWith("ok <= sent"))?.ok).toBe(true);
  });
  test("check on a name no earlier expect binds is a steps error with its line", () => {
    const d = dir();
    writeFileSync(join(d, "steps.txt"), "R1# show version\ncheck nothing == 1\n");
    expect(() => loadScenario(d)).toThrow(StepsError);
    expect(() => loadScenario(d)).toThrow(/steps\.txt:2: check: "nothing" is not set by an earlier expect/);
  });
});
