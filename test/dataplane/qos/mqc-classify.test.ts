// Classification of packets to policy-map classes and IOS's admission check.

import { describe, expect, test } from "bun:test";
import { AccessList, type AclPacket } from "../../../src/dataplane/acl.ts";
import { admissionError } from "../../../src/dataplane/qos/mqc-admission.ts";
import { type ClassifyLookups, classifyPacket } from "../../../src/dataplane/qos/mqc-classify.ts";
import { type ClassMap, orderedClasses, type PolicyMap } from "../../../src/dataplane/qos/mqc-policy.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";

const ip = (s: string): number => parseIpv4Address(s)!;

function lookups(maps: ClassMap[], acls: AccessList[] = []): ClassifyLookups {
  return {
    acl: (n) => acls.find((a) => a.name === n),
    classMap: (n) => maps.find((m) => m.name === n),
  };
}

const pkt = (over: Partial<AclPacket>): AclPacket => ({
  src: ip("10.1.1.1"),
  dst: ip("10.2.2.2"),
  protocol: 17,
  tos: 0,
  ...over,
});

describe("classification", () => {
  const voice: ClassMap = { name: "VOICE", matchAll: true, matches: [{ kind: "dscp", values: [46] }] };
  const web: ClassMap = {
    name: "WEB",
    matchAll: false,
    matches: [
      { kind: "protocol", protocol: "http" },
      { kind: "precedence", values: [3] },
    ],
  };
  const both: ClassMap = {
    name: "BOTH",
    matchAll: true,
    matches: [
      { kind: "protocol", protocol: "udp" },
      { kind: "precedence", values: [5] },
    ],
  };
  const policy: PolicyMap = {
    name: "P",
    classes: [{ name: "class-default" }, { name: "BOTH" }, { name: "VOICE" }, { name: "WEB" }],
  };
  const classes = orderedClasses(policy);
  const l = lookups([voice, web, both]);

  test("class-default goes last whatever the order typed", () => {
    expect(classes.map((c) => c.name)).toEqual(["BOTH", "VOICE", "WEB", "class-default"]);
  });

  test("first matching class wins; match-all needs every line, match-any one", () => {
    expect(classifyPacket(classes, pkt({ tos: 46 << 2 }), l)).toBe(0); // EF is precedence 5 and UDP: BOTH first
    expect(classifyPacket(classes, pkt({ tos: 46 << 2, protocol: 6 }), l)).toBe(1); // not UDP: VOICE
    expect(classifyPacket(classes, pkt({ protocol: 6, srcPort: 80, dstPort: 3000 }), l)).toBe(2); // http either way
    expect(classifyPacket(classes, pkt({ tos: 3 << 5, protocol: 1 }), l)).toBe(2);
    expect(classifyPacket(classes, pkt({ protocol: 6, dstPort: 22 }), l)).toBe(3);
  });

  test("match access-group: permit takes it; a missing ACL matches nothing", () => {
    const acl = new AccessList("101", "extended");
    const any = { address: 0, wildcard: 0xffffffff };
    acl.add({
      action: "permit",
      protocol: 6,
      source: any,
      destination: any,
      destinationPort: { op: "eq", ports: [5001] },
    });
    const cm: ClassMap = { name: "A", matchAll: true, matches: [{ kind: "access-group", acl: "101", named: false }] };
    const gone: ClassMap = { name: "B", matchAll: true, matches: [{ kind: "access-group", acl: "102", named: false }] };
    const cls = orderedClasses({ name: "Q", classes: [{ name: "B" }, { name: "A" }] });
    const lk = lookups([cm, gone], [acl]);
    expect(classifyPacket(cls, pkt({ protocol: 6, dstPort: 5001 }), lk)).toBe(1);
    expect(classifyPacket(cls, pkt({ protocol: 6, dstPort: 5002 }), lk)).toBe(2);
  });

  test("an empty class-map matches nothing", () => {
    const cls = orderedClasses({ name: "E", classes: [{ name: "EMPTY" }] });
    expect(classifyPacket(cls, pkt({}), lookups([{ name: "EMPTY", matchAll: true, matches: [] }]))).toBe(1);
  });
});

describe("admission (service-policy output)", () => {
  const none = (): undefined => undefined;
  test("reservations come out of 75 % of the interface in policy order", () => {
    const p: PolicyMap = {
      name: "qos",
      classes: [
        { name: "http", bandwidth: { kind: "kbps", value: 500 } },
        { name: "ftp", bandwidth: { kind: "kbps", value: 500 } },
        { name: "icmp", bandwidth: { kind: "kbps", value: 500 } },
      ],
    };
    expect(admissionError(p, "Serial2/1", "output", 1544, 75, none)).toBe(
      "I/f Serial2/1 class icmp requested bandwidth 500 (kbps), available only 158 (kbps)",
    );
    expect(admissionError(p, "Serial2/1", "output", 2048, 75, none)).toBeNull();
  });

  test("a second priority class is refused when the sum passes 75 %", () => {
    const p: PolicyMap = {
      name: "llq",
      classes: [
        { name: "voice", priority: { kind: "kbps", value: 600 } },
        { name: "video", priority: { kind: "percent", value: 40 } },
      ],
    };
    expect(admissionError(p, "Serial0/0", "output", 1544, 75, none)).toBe(
      "I/f Serial0/0 class video requested bandwidth 617 (kbps), available only 558 (kbps)",
    );
    expect(admissionError(p, "Serial0/0", "output", 1544, 100, none)).toBeNull();
  });

  test("queueing is output-only; a child is checked against its parent's shape rate", () => {
    const child: PolicyMap = { name: "child", classes: [{ name: "voice", priority: { kind: "kbps", value: 300 } }] };
    const parent: PolicyMap = {
      name: "parent",
      classes: [
        {
          name: "class-default",
          shape: { kind: "average", cirBps: 256_000, bcBits: 1024, beBits: 1024 },
          servicePolicy: "child",
        },
      ],
    };
    expect(admissionError(child, "Serial0/0", "input", 1544, 75, none)).toBe(
      "CBWFQ : Can be enabled as an output feature only",
    );
    expect(admissionError(parent, "Serial0/0", "output", 1544, 75, (n) => (n === "child" ? child : undefined))).toBe(
      "I/f Serial0/0 class voice requested bandwidth 300 (kbps), available only 256 (kbps)",
    );
  });
});
