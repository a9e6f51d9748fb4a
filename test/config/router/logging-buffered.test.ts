// `logging buffered [size] [level]` acts: the level keeps higher-severity
// messages (and debug output) out of the buffer, the size bounds it in bytes
// with the oldest lines dropped first, show logging and the running config
// print both, and `no logging buffered` resets them.

import { describe, expect, test } from "bun:test";
import { renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { renderShowLogging } from "../../../src/config/router/show-misc.ts";
import { routerSession } from "./router-session.ts";

describe("logging buffered", () => {
  test("a level keeps less severe messages and debug lines out of the buffer", () => {
    const r = routerSession();
    expect(r.load(["logging buffered 16384 warnings"])).toEqual([]);
    r.device.log("%LINK-3-UPDOWN: Interface Serial0/0, changed state to down");
    r.device.log("%LINEPROTO-5-UPDOWN: Line protocol on Interface Serial0/0, changed state to down");
    r.device.log("%CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC packet.");
    const entries = r.device.logging.entries().map((l) => l.replace(/^\*\S+ +\S+ \S+: /, ""));
    expect(entries).toEqual([
      "%LINK-3-UPDOWN: Interface Serial0/0, changed state to down",
      "%CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC packet.",
    ]);
    const show = renderShowLogging(r.device);
    expect(show).toContain("    Console logging: level debugging, 3 messages logged, xml disabled,\n");
    expect(show).toContain("    Buffer logging:  level warnings, 2 messages logged, xml disabled,\n");
    expect(show).toContain("Log Buffer (16384 bytes):\n");
    expect(renderRunningConfig(r.device)).toContain("\nlogging buffered 16384 warnings\n!\n");
  });

  test("the size bounds the buffer in bytes, oldest first; a level number and a bare size work too", () => {
    const r = routerSession();
    expect(r.load(["logging buffered 4096 7"])).toEqual([]);
    for (let i = 0; i < 100; i++) r.device.log(`%SYS-5-CONFIG_I: Configured from console by console (${i})`);
    const entries = r.device.logging.entries();
    expect(entries.reduce((n, l) => n + l.length + 1, 0)).toBeLessThanOrEqual(4096);
    expect(entries.at(-1)).toEndWith("(99)");
    expect(entries[0]).not.toEndWith("(0)");
    expect(renderRunningConfig(r.device)).toContain("\nlogging buffered 4096\n!\n");
    expect(r.load(["no logging buffered"])).toEqual([]);
    expect(renderRunningConfig(r.device)).toContain("\nno logging buffered\n");
    expect(r.load(["logging buffered"])).toEqual([]);
    expect(renderRunningConfig(r.device)).not.toContain("logging buffered");
    expect(renderShowLogging(r.device)).toContain("Log Buffer (8192 bytes):\n");
  });

  test("an unknown level is refused with the caret", () => {
    const r = routerSession();
    expect(r.load(["logging buffered 8192 chatty"])).toEqual([
      "logging buffered 8192 chatty\n                      ^\n% Invalid input detected at '^' marker.",
    ]);
  });
});
