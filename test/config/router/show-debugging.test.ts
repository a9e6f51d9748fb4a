// show debugging: the switches that are on, grouped under their subsystem's
// heading in the words each debug command answered with; nothing when none is.

import { describe, expect, test } from "bun:test";
import { routerSession } from "./router-session.ts";

describe("show debugging", () => {
  test("lists what is on, grouped, and follows each switch off again", () => {
    const r = routerSession();
    expect(r.run("show debugging")).toBe("");
    r.run("debug ip packet detail");
    r.run("debug ip rip");
    r.run("debug ip routing");
    r.run("debug ip ospf hello");
    r.run("debug nhrp");
    expect(r.run("show debugging")).toBe(
      [
        "Generic IP:",
        "  IP packet debugging is on (detailed)",
        "IP routing:",
        "  IP routing debugging is on",
        "  RIP protocol debugging is on",
        "NHRP:",
        "  NHRP protocol debugging is on",
        "OSPF:",
        "  OSPF hello debugging is on",
        "",
      ].join("\n"),
    );
    r.run("no debug ip rip");
    r.run("undebug ip ospf hello");
    r.run("no debug ip packet");
    expect(r.run("show debugging")).toBe(
      "IP routing:\n  IP routing debugging is on\nNHRP:\n  NHRP protocol debugging is on\n",
    );
    r.run("undebug all");
    expect(r.run("show debugging")).toBe("");
  });
});
