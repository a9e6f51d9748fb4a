// Console syslog lines carry the device's `service timestamps`: `log uptime`
// stamps a message with the time since boot, `debug datetime` a debug line
// without milliseconds, `no service timestamps log` leaves the bare message;
// the lab console, the scenario transcript and --json's per-device syslog all
// print the stamp the device chose, inline and across Workers alike.

import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { formatSyslog } from "../../src/console/console-session.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { parseSteps } from "../../src/scenario/steps.ts";

const STEPS = [
  "wait 5s",
  "R1# configure terminal",
  "R1(config)# service timestamps log uptime",
  "R1(config)# service timestamps debug datetime",
  "R1(config)# interface Loopback7",
  "R1(config-if)# shutdown",
  "R1(config-if)# end",
  "R1# terminal monitor",
  "R1# debug ip routing",
  "R1# configure terminal",
  "R1(config)# ip route 10.77.0.0 255.255.0.0 Null0",
  "R1(config)# no service timestamps log",
  "R1(config)# interface Loopback7",
  "R1(config-if)# no shutdown",
  "R1(config-if)# end",
  "wait 1s",
].join("\n");

async function run(workers: number) {
  const scenario = loadScenario("basic-ping", 1);
  const lab = await Lab.create(scenario.lab, { workers, factories: deviceFactories });
  const printed: string[] = [];
  try {
    const result = await runSteps("t", lab, parseSteps("steps.txt", STEPS), (t) => printed.push(t));
    const console = lab.syslog
      .filter((s) => s.text.startsWith("R1: "))
      .map((s) => formatSyslog(s.atNs, s.text, s.stamp));
    return { result, printed: printed.join(""), console };
  } finally {
    lab.close();
  }
}

describe("service timestamps on the console", () => {
  for (const workers of [0, 2]) {
    test(`log uptime, debug datetime and no service timestamps log reach the console as set (${workers} Workers)`, async () => {
      const { result, printed, console } = await run(workers);
      expect(result.ok).toBe(true);
      // Before any change: the default datetime msec.
      expect(console).toContainEqual(
        expect.stringMatching(/^R1: \*Mar {2}1 00:00:\d\d\.\d{3}: %SYS-5-CONFIG_I: Configured from memory by console$/),
      );
      // log uptime: hh:mm:ss since boot.
      const down = console.find((l) => l.includes("Interface Loopback7, changed state to administratively down"));
      expect(down).toMatch(
        /^R1: 00:00:0\d: %LINK-5-UPDOWN: Interface Loopback7, changed state to administratively down$/,
      );
      // debug datetime: no milliseconds.
      const rt = console.find((l) => l.includes("RT: add 10.77.0.0/16"));
      expect(rt).toMatch(/^R1: \*Mar {2}1 00:00:\d\d: RT: add 10\.77\.0\.0\/16 /);
      // no service timestamps log: the bare message.
      expect(console).toContain("R1: %LINK-3-UPDOWN: Interface Loopback7, changed state to up");
      // The transcript and the per-device syslog of --json print the same stamps.
      expect(printed).toContain(`${down}\n`);
      expect(printed).toContain("R1: %LINK-3-UPDOWN: Interface Loopback7, changed state to up\n");
      expect(result.devices.R1!.syslog).toContain(down!.slice("R1: ".length));
      expect(result.devices.R1!.syslog).toContain("%LINK-3-UPDOWN: Interface Loopback7, changed state to up");
    }, 60_000);
  }
});
