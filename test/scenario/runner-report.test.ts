// The runner's report: every failed expectation with the nearest output line,
// expect-block for tables, and each device's syslog and console in the result.

import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { parseSteps, StepsError } from "../../src/scenario/steps.ts";

async function run(stepsText: string) {
  const scenario = loadScenario("basic-ping", 1);
  const lab = await Lab.create(scenario.lab, { workers: 0, factories: deviceFactories });
  const printed: string[] = [];
  try {
    const steps = parseSteps("steps.txt", `wait 1s\n${stepsText}`);
    return { result: await runSteps("t", lab, steps, (t) => printed.push(t)), printed };
  } finally {
    lab.close();
  }
}

describe("scenario runner report", () => {
  test("every failure is kept, each with the output line nearest to what was expected", async () => {
    const { result } = await run(
      [
        "R1# show ip route",
        "expect Gateway of last resort is 10.9.9.9",
        "expect /^S\\*\\s+0\\.0\\.0\\.0\\/0 \\[1\\/0\\] via 99\\.99\\.99\\.99/m",
        "expect-not is directly connected, Serial0/0",
        "expect Codes: L - local",
      ].join("\n"),
    );
    expect(result.ok).toBe(false);
    const failed = result.expectations.filter((e) => !e.ok);
    expect(failed.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(failed[0]!.nearest).toStartWith("Gateway of last resort is ");
    expect(failed[1]!.nearest).toMatch(/^S\*\s+0\.0\.0\.0\/0 \[1\/0\] via /);
    expect(failed[2]!.nearest).toContain("is directly connected, Serial0/0");
  });

  test("expect-block matches consecutive lines exactly; a differing line is reported", async () => {
    const { result } = await run(
      [
        "R1# show ip interface brief",
        "expect-block",
        "Interface                  IP-Address      OK? Method Status                Protocol",
        "end",
        "R1# show ip route",
        "expect-block",
        "Gateway of last resort is 10.0.12.2 to network 0.0.0.0",
        "",
        "S*    0.0.0.0/0 [1/0] via 10.0.99.2",
        "end",
      ].join("\n"),
    );
    expect(result.expectations[0]!.ok).toBe(true);
    const second = result.expectations[1]!;
    expect(second.ok).toBe(false);
    expect(second.description).toContain('block line 3 "S*    0.0.0.0/0 [1/0] via 10.0.99.2" differs');
    expect(second.nearest).toBe("S*    0.0.0.0/0 [1/0] via 10.0.12.2");
  });

  test("syslog and console lines per device", async () => {
    const { result } = await run("R1# show clock\nR2# configure terminal\nR2(config)# end\n");
    expect(result.devices.R1!.console[0]).toBe("R1#show clock");
    expect(result.devices.R1!.syslog[0]).toMatch(/^\*Mar {2}1 00:00:00\.000: %SYS-5-CONFIG_I: Configured from memory/);
    expect(result.devices.R2!.console).toContain("R2(config)#end");
    expect(result.devices.R2!.syslog.some((l) => l.includes("Configured from console by console"))).toBe(true);
  });

  test("expect-block needs an end", () => {
    expect(() => parseSteps("steps.txt", "expect-block\nfoo\n")).toThrow(StepsError);
  });
});
