// `service` lines are kept as state (timestamps change how buffered lines are
// stamped; password-encryption is refused, wanlab having no password to
// encrypt; other service keywords get IOS's caret), and ACL remarks stay in
// order in the running config, numbered and named.

import { describe, expect, test } from "bun:test";
import { configFromShowRun, renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp } from "./fake-context.ts";
import { routerSession } from "./router-session.ts";

const SEC = 1e9;

describe("service lines", () => {
  test("service timestamps: the running config prints the state and the buffer follows it", () => {
    const r = routerSession();
    r.ctx.nowNs = 3723 * SEC + 45e6; // 01:02:03.045 after boot
    expect(renderRunningConfig(r.device)).toContain(
      "version 15.2\nservice timestamps debug datetime msec\nservice timestamps log datetime msec\nno service password-encryption\n",
    );
    r.device.log("%TEST-5-A: one");
    expect(r.load(["service timestamps log uptime", "service timestamps debug datetime"])).toEqual([]);
    r.device.log("%TEST-5-B: two");
    expect(r.load(["no service timestamps log"])).toEqual([]);
    r.device.log("%TEST-5-C: three");
    expect(r.device.logging.entries()).toEqual([
      "*Mar  1 01:02:03.045: %TEST-5-A: one",
      "01:02:03: %TEST-5-B: two",
      "%TEST-5-C: three",
    ]);
    const run = renderRunningConfig(r.device);
    expect(run).toContain("service timestamps debug datetime\nno service timestamps log uptime\n");
    // The running config loads back to the same state.
    const again = routerSession();
    expect(again.load(configFromShowRun(run).split("\n"))).toEqual([]);
    expect(again.device.timestamps).toEqual({ debug: "datetime", log: "none" });
  });

  test("debug lines follow service timestamps debug", () => {
    const r = routerSession();
    bringUp(r.device, "Serial0/0", parseIpv4Address("10.0.12.1")!, 24);
    r.ctx.nowNs = 65 * SEC;
    expect(r.load(["service timestamps debug uptime"])).toEqual([]);
    r.run("debug ip packet");
    r.run("ping 10.0.12.2 repeat 1");
    const debug = r.device.logging.entries().filter((l) => l.includes("IP: s=10.0.12.1"));
    expect(debug.length).toBeGreaterThan(0);
    for (const l of debug) expect(l).toStartWith("00:01:05: IP: s=10.0.12.1 (local), d=10.0.12.2");
  });

  test("service password-encryption is refused (nothing to encrypt); the no form is the state", () => {
    const r = routerSession();
    expect(r.load(["no service password-encryption"])).toEqual([]);
    expect(r.load(["service password-encryption"])).toEqual([
      "service password-encryption\n% wanlab has no enable, username or line passwords for service password-encryption",
    ]);
    expect(renderRunningConfig(r.device)).toContain("no service password-encryption\n");
  });

  test("other service keywords are refused with IOS's caret, not swallowed", () => {
    const r = routerSession();
    expect(r.load(["service tcp-keepalives-in"])).toEqual([
      "service tcp-keepalives-in\n         ^\n% Invalid input detected at '^' marker.",
    ]);
    expect(r.load(["service timestamps log datetime localtime"])).toEqual([
      "service timestamps log datetime localtime\n                                ^\n% Invalid input detected at '^' marker.",
    ]);
  });
});

describe("access-list remarks", () => {
  test("numbered lists keep remarks before the entry they were typed with", () => {
    const r = routerSession();
    expect(
      r.load([
        "access-list 101 remark branch LAN to HQ",
        "access-list 101 permit ip 10.1.0.0 0.0.255.255 10.0.0.0 0.0.255.255",
        "access-list 101 remark everything else",
        "access-list 101 deny ip any any",
        "access-list 101 remark end of list",
      ]),
    ).toEqual([]);
    expect(renderRunningConfig(r.device)).toContain(
      [
        "access-list 101 remark branch LAN to HQ",
        "access-list 101 permit ip 10.1.0.0 0.0.255.255 10.0.0.0 0.0.255.255",
        "access-list 101 remark everything else",
        "access-list 101 deny ip any any",
        "access-list 101 remark end of list",
        "!",
      ].join("\n"),
    );
  });

  test("named lists keep remarks in the list's mode; no remark removes one", () => {
    const r = routerSession();
    expect(
      r.load([
        "ip access-list extended NAT",
        " remark exempt the tunnel",
        " deny ip 10.0.0.0 0.0.0.255 172.16.0.0 0.0.255.255",
        " remark then PAT",
        " remark the rest",
        " permit ip 10.0.0.0 0.0.0.255 any",
      ]),
    ).toEqual([]);
    const run = renderRunningConfig(r.device);
    expect(run).toContain(
      [
        "ip access-list extended NAT",
        " remark exempt the tunnel",
        " deny ip 10.0.0.0 0.0.0.255 172.16.0.0 0.0.255.255",
        " remark then PAT",
        " remark the rest",
        " permit ip 10.0.0.0 0.0.0.255 any",
        "!",
      ].join("\n"),
    );
    expect(r.load(["ip access-list extended NAT", " no remark then PAT"])).toEqual([]);
    expect(renderRunningConfig(r.device)).not.toContain("then PAT");
    // The running config loads back with the same remarks.
    const again = routerSession();
    expect(again.load(configFromShowRun(renderRunningConfig(r.device)).split("\n"))).toEqual([]);
    expect(renderRunningConfig(again.device)).toBe(renderRunningConfig(r.device));
  });
});
