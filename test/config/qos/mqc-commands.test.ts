// class-map, policy-map and service-policy through IOS lines: the running
// config prints them as IOS does and loads back the same, IOS's refusals
// (missing class-map or policy-map, mixed bandwidth units, bandwidth beside
// priority, reservations beyond 75 % of the interface, also when an attached
// policy is edited), and show class-map / show policy-map read the state.

import { describe, expect, test } from "bun:test";
import { configFromShowRun, renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { routerSession } from "../router/router-session.ts";

const CONFIG = [
  "access-list 101 permit tcp any any eq 5001",
  "class-map match-all VOICE",
  " match ip dscp ef",
  "class-map match-any DATA",
  " match access-group 101",
  " match protocol http",
  "class-map match-all SCAVENGER",
  " match ip precedence 1",
  "policy-map CHILD",
  " class VOICE",
  "  priority 256",
  " class DATA",
  "  bandwidth 512",
  "  queue-limit 40",
  " class SCAVENGER",
  "  police cir 64000 conform-action transmit exceed-action drop",
  "  set dscp cs1",
  " class class-default",
  "  fair-queue",
  "policy-map PARENT",
  " class class-default",
  "  shape average 1000000",
  "  service-policy CHILD",
  "interface Serial0/0",
  " ip address 10.0.0.1 255.255.255.252",
  " service-policy output CHILD",
];

const qosPart = (text: string): string => {
  const lines = text.split("\n");
  return lines
    .slice(
      lines.indexOf("class-map match-all VOICE"),
      lines.findIndex((l) => l.startsWith("interface")),
    )
    .join("\n");
};

describe("MQC commands", () => {
  test("the running config prints class-maps and policy-maps and loads back the same", () => {
    const r = routerSession();
    expect(r.load(CONFIG)).toEqual([]);
    const run = renderRunningConfig(r.device);
    expect(qosPart(run)).toBe(
      [
        "class-map match-all VOICE",
        " match ip dscp ef",
        "!",
        "class-map match-any DATA",
        " match access-group 101",
        " match protocol http",
        "!",
        "class-map match-all SCAVENGER",
        " match ip precedence 1",
        "!",
        "policy-map CHILD",
        " class VOICE",
        "  priority 256",
        " class DATA",
        "  bandwidth 512",
        "  queue-limit 40",
        " class SCAVENGER",
        "  police cir 64000 conform-action transmit exceed-action drop",
        "  set dscp cs1",
        " class class-default",
        "  fair-queue",
        "!",
        "policy-map PARENT",
        " class class-default",
        "  shape average 1000000",
        "  service-policy CHILD",
        "!",
      ].join("\n"),
    );
    expect(run).toContain(" shutdown\n service-policy output CHILD\n!\n");
    const again = routerSession();
    expect(again.load(configFromShowRun(run).split("\n"))).toEqual([]);
    expect(renderRunningConfig(again.device)).toBe(run);
  });

  test("IOS's refusals", () => {
    const r = routerSession();
    expect(r.load(CONFIG)).toEqual([]);
    r.run("configure terminal");
    r.run("policy-map P2");
    expect(r.run("class NOPE")).toBe("% class-map NOPE not configured\n");
    r.run("class VOICE");
    r.run("priority 100");
    expect(r.run("bandwidth 100")).toBe("Must remove the priority command before configuring bandwidth\n");
    r.run("class DATA");
    r.run("bandwidth percent 20");
    r.run("class SCAVENGER");
    expect(r.run("bandwidth 100")).toBe("All classes with bandwidth should have consistent units\n");
    r.run("exit");
    r.run("exit");
    r.run("interface Serial0/0");
    expect(r.run("service-policy output NOPE")).toBe("policy map NOPE not configured\n");
    expect(r.run("service-policy input CHILD")).toBe("CBWFQ : Can be enabled as an output feature only\n");
    r.run("no service-policy output CHILD");
    // T1: 1158 kbps reservable; 256 + 512 fit, a second priority class of 500 does not.
    r.run("exit");
    r.run("class-map VIDEO");
    r.run(" match ip dscp af41");
    r.run("policy-map BIG");
    r.run(" class VOICE");
    r.run("  priority 600");
    r.run(" class VIDEO");
    r.run("  priority 600");
    r.run("interface Serial0/0");
    expect(r.run("service-policy output BIG")).toBe(
      "I/f Serial0/0 class VIDEO requested bandwidth 600 (kbps), available only 558 (kbps)\n",
    );
    expect(renderRunningConfig(r.device)).not.toContain("service-policy output BIG");
    r.run("max-reserved-bandwidth 100");
    expect(r.run("service-policy output BIG")).toBe("");
    expect(renderRunningConfig(r.device)).toContain(" max-reserved-bandwidth 100\n service-policy output BIG\n");
    // Editing the attached policy beyond the interface is refused and undone.
    r.run("policy-map BIG");
    r.run(" class VIDEO");
    expect(r.run("  priority 1000")).toBe(
      "I/f Serial0/0 class VIDEO requested bandwidth 1000 (kbps), available only 944 (kbps)\n",
    );
    expect(renderRunningConfig(r.device)).toContain(" class VIDEO\n  priority 600\n");
    expect(r.run("exit")).toBe("");
    expect(r.run("exit")).toBe("");
    expect(r.run("no policy-map BIG")).toBe("% Policy map BIG is being used by Serial0/0\n");
    // A tunnel has no queue: policing and marking only.
    r.run("interface Tunnel0");
    expect(r.run("service-policy output CHILD")).toBe(
      "Class Based Weighted Fair Queueing not supported on interface Tunnel0\n",
    );
    r.run("policy-map MARKONLY");
    r.run(" class VOICE");
    r.run("  set dscp cs5");
    r.run("interface Tunnel0");
    expect(r.run("service-policy output MARKONLY")).toBe("");
    r.run("policy-map MARKONLY");
    r.run(" class VOICE");
    expect(r.run("  bandwidth 8")).toBe("Class Based Weighted Fair Queueing not supported on interface Tunnel0\n");
    expect(renderRunningConfig(r.device)).toContain("policy-map MARKONLY\n class VOICE\n  set dscp cs5\n!\n");
  });

  test("show class-map and show policy-map", () => {
    const r = routerSession();
    expect(r.load(CONFIG)).toEqual([]);
    expect(r.run("show class-map VOICE")).toBe(" Class Map match-all VOICE (id 1)\n   Match ip dscp ef (46)\n\n");
    const pm = r.run("show policy-map CHILD");
    expect(pm).toContain("  Policy Map CHILD\n    Class VOICE\n      Strict Priority\n      Bandwidth 256 (kbps)\n");
    expect(pm).toContain("    Class DATA\n      Bandwidth 512 (kbps) Max Threshold 40 (packets)\n");
    expect(pm).toContain(
      "      police cir 64000 bc 2000\n        conform-action transmit \n        exceed-action drop \n",
    );
    expect(pm).toContain("    Class class-default\n      Flow based Fair Queueing\n");
    expect(r.run("show policy-map NOPE")).toBe("% Policy-map NOPE not configured\n");
    const pmi = r.run("show policy-map interface Serial0/0");
    expect(pmi).toContain(
      " Serial0/0 \n\n  Service-policy output: CHILD\n\n    Class-map: VOICE (match-all)\n      0 packets, 0 bytes\n",
    );
    expect(pmi).toContain(
      "      5 minute offered rate 0 bps, drop rate 0 bps\n      Match: ip dscp ef (46)\n      Queueing\n        Strict Priority\n",
    );
    expect(pmi).toContain("        Bandwidth 256 (kbps) Burst 6400 (Bytes)\n");
  });

  test("two-rate police (RFC 2698): running config, show policy-map and the colours in show policy-map interface", () => {
    const r = routerSession();
    expect(
      r.load([
        "class-map match-any BULK",
        " match precedence 1 2",
        "policy-map TR",
        " class BULK",
        "  police cir 128000 pir 256000 conform-action transmit exceed-action set-dscp-transmit af12 violate-action drop",
        "interface Serial0/0",
        " service-policy output TR",
      ]),
    ).toEqual([]);
    expect(renderRunningConfig(r.device)).toContain(
      "policy-map TR\n class BULK\n  police cir 128000 pir 256000 conform-action transmit exceed-action set-dscp-transmit af12 violate-action drop\n!\n",
    );
    expect(r.run("show policy-map TR")).toContain(
      "      police cir 128000 bc 4000 pir 256000 be 8000\n        conform-action transmit \n        exceed-action set-dscp-transmit af12 \n        violate-action drop \n",
    );
    expect(r.run("show policy-map interface Serial0/0")).toContain(
      "      police:\n          cir 128000 bps, bc 4000 bytes\n          pir 256000 bps, be 8000 bytes\n        conformed 0 packets, 0 bytes; actions:\n          transmit \n        exceeded 0 packets, 0 bytes; actions:\n          set-dscp-transmit af12 \n        violated 0 packets, 0 bytes; actions:\n          drop \n        conformed 0 bps, exceed 0 bps, violate 0 bps\n",
    );
  });
});
