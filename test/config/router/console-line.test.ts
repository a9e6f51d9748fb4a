// The console line (config/console-line.ts): `logging console [level]` decides
// which syslog messages reach the lab console, debug output reaches it only
// after `terminal monitor`, as `logging monitor [level]` allows (which also
// lets a monitor session see messages the console line filters out), and
// everything stays in the buffer whatever the console shows; the running
// config and show logging print the settings and counts; `terminal length`,
// `terminal history size` and `show history` act on the session.

import { describe, expect, test } from "bun:test";
import { renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { routerSession } from "./router-session.ts";

const DOWN = "%LINK-3-UPDOWN: Interface Serial0/0, changed state to down";
const PROTO = "%LINEPROTO-5-UPDOWN: Line protocol on Interface Serial0/0, changed state to down";

describe("console line", () => {
  test("logging console LEVEL filters the messages that reach the console, not the buffer", () => {
    const r = routerSession();
    r.device.log(DOWN);
    r.device.log(PROTO);
    expect(r.ctx.consoleLines).toEqual([DOWN, PROTO]);
    expect(r.load(["logging console errors"])).toEqual([]);
    r.ctx.consoleLines.length = 0;
    r.device.log(DOWN);
    r.device.log(PROTO);
    expect(r.ctx.consoleLines).toEqual([DOWN]);
    expect(r.device.logging.entries().filter((l) => l.includes("LINEPROTO")).length).toBe(2);
    expect(renderRunningConfig(r.device)).toContain("\nlogging console errors\n!\n");
    expect(r.run("show logging")).toContain("    Console logging: level errors, ");
    expect(r.load(["no logging console"])).toEqual([]);
    r.ctx.consoleLines.length = 0;
    r.device.log(DOWN);
    expect(r.ctx.consoleLines).toEqual([]);
    expect(renderRunningConfig(r.device)).toContain("\nno logging console\n!\n");
    expect(r.run("show logging")).toContain("    Console logging: disabled\n");
    expect(r.load(["logging console"])).toEqual([]);
    expect(renderRunningConfig(r.device)).not.toContain("logging console");
    r.device.log(DOWN);
    expect(r.ctx.consoleLines).toEqual([DOWN]);
  });

  test("debug output reaches the console only with terminal monitor, as logging monitor allows", () => {
    const r = routerSession();
    expect(r.run("debug ip routing")).toContain("IP routing debugging is on");
    const route = (n: number) => r.load([`ip route 10.${n}.0.0 255.255.0.0 Null0`]);
    const debugLines = () => r.ctx.consoleLines.filter((l) => l.startsWith("RT:"));
    expect(route(1)).toEqual([]);
    expect(r.device.logging.entries().some((l) => l.includes("RT: add 10.1.0.0/16"))).toBe(true);
    expect(debugLines()).toEqual([]);
    expect(r.run("terminal monitor")).toBe("");
    route(2);
    expect(debugLines().some((l) => l.includes("RT: add 10.2.0.0/16"))).toBe(true);
    // The monitor session is not the console line: no logging console leaves it alone.
    r.load(["no logging console"]);
    r.ctx.consoleLines.length = 0;
    route(3);
    expect(debugLines().some((l) => l.includes("RT: add 10.3.0.0/16"))).toBe(true);
    r.load(["logging console"]);
    // logging monitor below debugging: no debug output on the monitor session.
    expect(r.load(["logging monitor informational"])).toEqual([]);
    r.ctx.consoleLines.length = 0;
    route(5);
    expect(debugLines()).toEqual([]);
    expect(r.load(["no logging monitor"])).toEqual([]);
    route(6);
    expect(debugLines()).toEqual([]);
    expect(r.load(["logging monitor"])).toEqual([]);
    route(7);
    expect(debugLines().some((l) => l.includes("RT: add 10.7.0.0/16"))).toBe(true);
    r.ctx.consoleLines.length = 0;
    r.run("terminal no monitor");
    route(4);
    expect(debugLines()).toEqual([]);
    expect(r.device.logging.entries().some((l) => l.includes("RT: add 10.4.0.0/16"))).toBe(true);
  });

  test("logging monitor LEVEL: which messages a terminal monitor session gets; show logging and the running config print it", () => {
    const r = routerSession();
    const monitorLine = () => /^ {4}Monitor logging: .*$/m.exec(r.run("show logging"))?.[0];
    expect(monitorLine()).toBe("    Monitor logging: level debugging, 0 messages logged, xml disabled,");
    // The console line shows errors and worse; the monitor session (once on) notifications and worse.
    expect(r.load(["logging console errors", "logging monitor notifications"])).toEqual([]);
    expect(renderRunningConfig(r.device)).toContain("\nlogging console errors\nlogging monitor notifications\n!\n");
    r.ctx.consoleLines.length = 0;
    r.device.log(DOWN);
    r.device.log(PROTO);
    expect(r.ctx.consoleLines).toEqual([DOWN]);
    expect(monitorLine()).toBe("    Monitor logging: level notifications, 0 messages logged, xml disabled,");
    r.run("terminal monitor");
    r.ctx.consoleLines.length = 0;
    r.device.log(DOWN);
    r.device.log(PROTO);
    r.device.log("%SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.0.0.9 started");
    expect(r.ctx.consoleLines).toEqual([DOWN, PROTO]);
    expect(monitorLine()).toBe("    Monitor logging: level notifications, 2 messages logged, xml disabled,");
    expect(r.load(["no logging monitor"])).toEqual([]);
    expect(monitorLine()).toBe("    Monitor logging: disabled");
    expect(renderRunningConfig(r.device)).toContain("\nlogging console errors\nno logging monitor\n!\n");
    r.ctx.consoleLines.length = 0;
    r.device.log(PROTO);
    expect(r.ctx.consoleLines).toEqual([]);
    expect(r.load(["logging monitor debugging", "logging console"])).toEqual([]);
    expect(renderRunningConfig(r.device)).not.toContain("logging monitor");
    expect(monitorLine()).toBe("    Monitor logging: level debugging, 2 messages logged, xml disabled,");
    expect(r.load(["logging monitor 3"])).toEqual([]);
    expect(r.device.consoleLine.monitorLevel).toBe(3);
    expect(r.load(["logging monitor bogus"]).length).toBe(1);
  });

  test("terminal length takes 0-512 and terminal no length restores 24; show history lists the session", () => {
    const r = routerSession();
    expect(r.device.consoleLine.length).toBe(24);
    expect(r.run("terminal length 0")).toBe("");
    expect(r.device.consoleLine.length).toBe(0);
    expect(r.run("terminal length 100")).toBe("");
    expect(r.device.consoleLine.length).toBe(100);
    expect(r.run("terminal length 513")).toContain("% Invalid input");
    expect(r.run("terminal no length")).toBe("");
    expect(r.device.consoleLine.length).toBe(24);
    const line = r.device.consoleLine;
    for (let i = 0; i < 12; i++) line.remember(`show clock ${i}`, false);
    line.remember("interface Serial0/0", true);
    line.remember("show history", false);
    expect(r.run("show history")).toBe(
      ["show clock 3", "show clock 4", "show clock 5", "show clock 6", "show clock 7", "show clock 8", "show clock 9"]
        .concat(["show clock 10", "show clock 11", "show history"])
        .map((l) => `  ${l}\n`)
        .join(""),
    );
    expect(r.run("terminal history size 2")).toBe("");
    expect(r.run("show history")).toBe("  show clock 11\n  show history\n");
  });
});
