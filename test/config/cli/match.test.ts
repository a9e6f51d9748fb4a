import { describe, expect, test } from "bun:test";
import {
  type CommandSpec,
  compileSpec,
  formatCliError,
  matchLine,
  parseSyntax,
} from "../../../src/config/cli/index.ts";

type Spec = CommandSpec<unknown>;
const specs = (...syntaxes: (string | Spec)[]) =>
  syntaxes.map((s) => compileSpec<Spec>(typeof s === "string" ? { syntax: s } : s));

const EXEC = specs(
  "show ip route",
  "show ip interface brief",
  "show interfaces [INTERFACE]",
  "show running-config",
  "ssh WORD",
  "configure terminal",
  "ping [ip] WORD:target [repeat <1-2147483647>] [size <36-18024>] [df-bit] [source {A.B.C.D | INTERFACE}] [timeout <0-3600>] [tos <0-255>]",
);

function ok(line: string, list = EXEC) {
  const r = matchLine(list, line);
  if (!r.ok) throw new Error(`expected match for "${line}": ${r.error.message}`);
  return r;
}
function err(line: string, list = EXEC) {
  const r = matchLine(list, line);
  if (r.ok) throw new Error(`expected error for "${line}"`);
  return r.error;
}

describe("grammar", () => {
  test("rejects malformed specs", () => {
    expect(() => parseSyntax("ip [address")).toThrow();
    expect(() => parseSyntax("ip {a | b")).toThrow();
    expect(() => parseSyntax("x <9-1>")).toThrow();
    expect(() => parseSyntax("x ]")).toThrow();
  });
  test("keyword-led optional siblings become an any-order group", () => {
    const n = parseSyntax("ping WORD [repeat <1-5>] [df-bit]");
    expect(n.type).toBe("seq");
    expect(n.type === "seq" && n.items[2]?.type).toBe("anyorder");
  });
});

describe("abbreviations", () => {
  test("unique prefixes, any case", () => {
    expect(ok("sh ip ro").spec.syntax).toBe("show ip route");
    expect(ok("SH IP INT BR").spec.syntax).toBe("show ip interface brief");
    expect(ok("conf t").spec.syntax).toBe("configure terminal");
    expect(ok("show run").spec.syntax).toBe("show running-config");
  });
  test("an exact keyword beats longer keywords it prefixes", () => {
    const list = specs("show ip", "show ipv6");
    expect(ok("show ip", list).spec.syntax).toBe("show ip");
  });
  test("ambiguous prefix", () => {
    const e = err("sh i");
    expect(e.kind).toBe("ambiguous");
    expect(e.message).toBe('% Ambiguous command:  "sh i"');
    expect(err("s").kind).toBe("ambiguous");
  });
  test("interface argument with abbreviation and space", () => {
    expect(ok("sh int gi0/0").args.interfaces).toBe("GigabitEthernet0/0");
    expect(ok("sh int Gi 0/0").args.interfaces).toBe("GigabitEthernet0/0");
    expect(ok("sh int").args.interfaces).toBeUndefined();
  });
});

describe("args", () => {
  test("ping options in any order, named after their keyword", () => {
    const r = ok("ping 10.1.1.1 size 1400 df rep 5 so lo0");
    expect(r.args).toMatchObject({ target: "10.1.1.1", size: 1400, repeat: 5, "df-bit": true, source: "Loopback0" });
    expect(r.args.ip).toBeUndefined();
    expect(ok("ping ip 10.1.1.1 timeout 0").args).toMatchObject({ ip: true, target: "10.1.1.1", timeout: 0 });
  });
  test("an option may not repeat", () => {
    expect(err("ping 1.1.1.1 size 100 size 200").kind).toBe("invalid");
  });
  test("named groups, explicit names and duplicates", () => {
    const list = specs(
      "access-list <1-99>:number {permit|deny}:action A.B.C.D [A.B.C.D]",
      "ip route A.B.C.D:prefix A.B.C.D:mask {A.B.C.D | INTERFACE}:nexthop [<1-255>:distance]",
      "network A.B.C.D/nn",
    );
    expect(ok("access-list 10 deny 10.0.0.0 0.0.0.255", list).args).toMatchObject({
      number: 10,
      action: "deny",
      deny: true,
      address: "10.0.0.0",
      address2: "0.0.0.255",
    });
    expect(ok("ip route 0.0.0.0 0.0.0.0 tu0 250", list).args).toMatchObject({ nexthop: "Tunnel0", distance: 250 });
    expect(ok("ip route 0.0.0.0 0.0.0.0 010.0.0.1", list).args.nexthop).toBe("10.0.0.1");
    expect(ok("network 10.0.0.0/8", list).args.network).toBe("10.0.0.0/8");
    expect(err("network 10.0.0.0/33", list).kind).toBe("invalid");
  });
  test("LINE keeps the raw rest of the line", () => {
    const list = specs("description LINE");
    expect(ok("description  Link to  R2 | core  ", list).args.description).toBe("Link to  R2 | core");
  });
});

describe("errors", () => {
  test("caret under the first character no keyword accepts", () => {
    expect(err("show ip rotue")).toEqual({
      kind: "invalid",
      column: 10,
      message: "% Invalid input detected at '^' marker.",
    });
    expect(err("shw ip route")).toMatchObject({ column: 2 });
    expect(err("xyz")).toMatchObject({ column: 0 });
    expect(err("show version")).toMatchObject({ column: 5 });
  });
  test("caret at the start of extra tokens and bad values", () => {
    expect(err("show ip route extra")).toMatchObject({ kind: "invalid", column: 14 });
    expect(err("sh int xx0/0")).toMatchObject({ kind: "invalid", column: 7 });
  });
  test("numeric range violations put the caret at the number", () => {
    expect(err("ping 1.1.1.1 size 35")).toMatchObject({ kind: "invalid", column: 18 });
    expect(err("ping 1.1.1.1 repeat 0")).toMatchObject({ kind: "invalid", column: 20 });
    expect(err("ping 1.1.1.1 tos 256 df")).toMatchObject({ kind: "invalid", column: 17 });
    expect(err("ping 1.1.1.1 size abc")).toMatchObject({ kind: "invalid", column: 18 });
  });
  test("incomplete command", () => {
    expect(err("show ip")).toEqual({ kind: "incomplete", message: "% Incomplete command." });
    expect(err("ping 1.1.1.1 size")).toMatchObject({ kind: "incomplete" });
    expect(err("ping 1.1.1.1 source gi")).toMatchObject({ kind: "incomplete" });
    expect(err("conf")).toMatchObject({ kind: "incomplete" });
  });
  test("leading whitespace keeps columns of the raw line", () => {
    expect(err("   show ip rotue")).toMatchObject({ column: 13 });
  });
  test("formatting: echo, caret line, message", () => {
    const e = err("show ip rotue");
    expect(formatCliError("show ip rotue", e, { echo: true })).toBe(
      "show ip rotue\n          ^\n% Invalid input detected at '^' marker.",
    );
    expect(formatCliError("show ip rotue", e, { indent: 3 })).toBe(
      "             ^\n% Invalid input detected at '^' marker.",
    );
  });
});

describe("no and default forms", () => {
  const list = specs(
    { syntax: "shutdown", no: true },
    { syntax: "ip address A.B.C.D A.B.C.D:mask", no: "ip address [A.B.C.D A.B.C.D:mask]" },
    { syntax: "service timestamps", default: true },
    "ntp server A.B.C.D",
  );
  test("negated", () => {
    expect(ok("no shut", list)).toMatchObject({ negated: true, defaulted: false });
    expect(ok("shut", list)).toMatchObject({ negated: false });
    expect(ok("no ip address", list)).toMatchObject({ negated: true });
    expect(ok("no ip add 1.1.1.1 255.0.0.0", list).args).toMatchObject({ address: "1.1.1.1", mask: "255.0.0.0" });
    expect(err("ip address", list).kind).toBe("incomplete");
  });
  test("no is refused for specs without a no form", () => {
    expect(err("no ntp server 1.1.1.1", list)).toMatchObject({ kind: "invalid", column: 3 });
  });
  test("default", () => {
    expect(ok("default service timestamps", list)).toMatchObject({ defaulted: true, negated: false });
    expect(err("default shutdown", list).kind).toBe("invalid");
  });
  test("`n` is ambiguous between no and ntp", () => {
    expect(err("n", list).kind).toBe("ambiguous");
  });
});
