// show logging, show clock, show version and show ip traffic on a real
// RouterDevice whose virtual clock the test moves.

import { describe, expect, test } from "bun:test";
import {
  renderShowClock,
  renderShowIpTraffic,
  renderShowLogging,
  renderShowVersion,
  uptimeWords,
} from "../../../src/config/router/show-misc.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp, fakeRouter } from "./fake-context.ts";

const SEC = 1e9;

function r1() {
  return fakeRouter("R1", [
    { name: "Serial0/0", kind: "serial" },
    { name: "Serial0/1", kind: "serial" },
    { name: "FastEthernet1/0", kind: "ethernet", bitsPerSecond: 100_000_000 },
  ]);
}

describe("show logging", () => {
  test("header, counts and the buffered lines with timestamps", () => {
    const { device, ctx } = r1();
    bringUp(device, "Serial0/0", parseIpv4Address("10.0.12.1")!, 24); // first change: no log
    ctx.nowNs = 5 * SEC + 123e6;
    device.log("%LINK-3-UPDOWN: Interface Serial0/0, changed state to down");
    device.log("%LINEPROTO-5-UPDOWN: Line protocol on Interface Serial0/0, changed state to down");
    const lines = renderShowLogging(device).split("\n");
    expect(lines[0]).toBe(
      "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)",
    );
    expect(lines).toContain("    Console logging: level debugging, 2 messages logged, xml disabled,");
    expect(lines).toContain("    Buffer logging:  level debugging, 2 messages logged, xml disabled,");
    expect(lines).toContain("    Trap logging: level informational, 2 message lines logged");
    const i = lines.indexOf("Log Buffer (8192 bytes):");
    expect(i).toBeGreaterThan(0);
    expect(lines.slice(i + 1)).toEqual([
      "",
      "*Mar  1 00:00:05.123: %LINK-3-UPDOWN: Interface Serial0/0, changed state to down",
      "*Mar  1 00:00:05.123: %LINEPROTO-5-UPDOWN: Line protocol on Interface Serial0/0, changed state to down",
      "",
    ]);
  });

  test("no buffer section when buffered logging is off", () => {
    const { device } = r1();
    device.loggingBuffered = false;
    const text = renderShowLogging(device);
    expect(text).toContain("    Buffer logging:  disabled, xml disabled,\n");
    expect(text).not.toContain("Log Buffer");
  });
});

describe("show clock", () => {
  test("virtual time since Mar 1 1993", () => {
    const { device, ctx } = r1();
    ctx.nowNs = (16 * 60 + 42) * SEC + 183e6;
    expect(renderShowClock(device)).toBe("*00:16:42.183 UTC Mon Mar 1 1993\n");
  });
});

describe("show version", () => {
  test("names wanlab, uptime from virtual time, interface counts", () => {
    const { device, ctx } = r1();
    ctx.nowNs = 5 * 60 * SEC + 30 * SEC;
    const lines = renderShowVersion(device).split("\n");
    expect(lines[0]).toBe(
      "Cisco IOS Software, wanlab Software (WANLAB-ADVENTERPRISEK9-M), Version 15.2(4)M11, RELEASE SOFTWARE (fc2)",
    );
    expect(lines).toContain("R1 uptime is 5 minutes");
    expect(lines).toContain("1 FastEthernet interface");
    expect(lines).toContain("2 Serial interfaces");
    expect(lines.at(-2)).toBe("Configuration register is 0x2102");
  });

  test("uptime words", () => {
    expect(uptimeWords(30 * SEC)).toBe("0 minutes");
    expect(uptimeWords(61 * 60 * SEC)).toBe("1 hour, 1 minute");
    expect(uptimeWords((9 * 86400 + 3 * 3600 + 120) * SEC)).toBe("1 week, 2 days, 3 hours, 2 minutes");
  });
});

describe("show ip traffic", () => {
  test("IP and ICMP statistics from the stack counters", () => {
    const { device } = r1();
    Object.assign(device.stack.counters, {
      received: 120,
      delivered: 100,
      forwarded: 15,
      badTtl: 2,
      noRoute: 3,
      fragmented: 1,
      fragmentsCreated: 2,
      reassembled: 4,
      encapsulationFailed: 5,
      echoRequestsReceived: 10,
      echoRepliesSent: 10,
      unreachablesSent: 3,
      timeExceededSent: 2,
    });
    const lines = renderShowIpTraffic(device).split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "IP statistics:",
      "  Rcvd:  120 total, 100 local destination",
      "         0 format errors, 0 checksum errors, 2 bad hop count",
    ]);
    expect(lines).toContain("  Frags: 4 reassembled, 0 timeouts, 0 couldn't reassemble");
    expect(lines).toContain("         1 fragmented, 2 fragments, 0 couldn't fragment");
    expect(lines).toContain("  Sent:  15 generated, 15 forwarded");
    expect(lines).toContain("  Drop:  5 encapsulation failed, 0 unresolved, 0 no adjacency");
    expect(lines).toContain("         3 no route, 0 unicast RPF, 0 forced drop, 0 unsupported-addr");
    expect(lines).toContain("        10 echo, 0 echo reply, 0 mask requests, 0 mask replies, 0 quench");
    expect(lines).toContain("  Sent: 0 redirects, 3 unreachable, 0 echo, 10 echo reply");
    expect(lines).toContain("        0 info reply, 2 time exceeded, 0 parameter problem");
  });
});
