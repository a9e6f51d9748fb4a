import { describe, expect, test } from "bun:test";
import { applyOutputFilter, parseOutputFilter } from "../../../src/config/cli/index.ts";
import { makeSession, RUNNING_CONFIG } from "./fixture.ts";

function run(line: string): string {
  const { session } = makeSession();
  return session.execute(line).output;
}

describe("output modifiers on show running-config", () => {
  test("section keeps the block under each matching line", () => {
    expect(run("show run | section isakmp")).toBe(
      "crypto isakmp policy 10\n encr aes 256\n authentication pre-share\n group 14\ncrypto isakmp key cisco address 0.0.0.0\n",
    );
    expect(run("sh run | sec router ospf")).toBe("router ospf 1\n network 10.0.0.0 0.0.0.255 area 0\n");
    expect(run("sh run | sec ip address")).toBe(" ip address 10.0.0.1 255.255.255.0\n");
  });
  test("include / exclude / begin / count, abbreviated", () => {
    expect(run("show run | i crypto map|ip route")).toBe(" crypto map CMAP\nip route 0.0.0.0 0.0.0.0 10.0.0.254\n");
    expect(run("show run | inc ^interface")).toBe("interface GigabitEthernet0/0\n");
    expect(run("show run | ex ^!|^ [a-z]")).toBe(
      "hostname R1\ncrypto isakmp policy 10\ncrypto isakmp key cisco address 0.0.0.0\ncrypto ipsec transform-set TS esp-aes esp-sha-hmac\ninterface GigabitEthernet0/0\nrouter ospf 1\nip route 0.0.0.0 0.0.0.0 10.0.0.254\nend\n",
    );
    expect(run("show run | b router")).toBe(
      "router ospf 1\n network 10.0.0.0 0.0.0.255 area 0\n!\nip route 0.0.0.0 0.0.0.0 10.0.0.254\nend\n",
    );
    expect(run("show run | count crypto")).toBe("Number of lines which match regexp = 4\n");
    expect(run("show run | include nomatch")).toBe("");
  });
  test("underscore matches delimiters as in IOS, and literal underscores", () => {
    const out = "ip access-list extended CRYPTO_ACL\n permit ip any any\nrouter bgp 65000";
    const f = parseOutputFilter("| i _ACL", 1);
    expect(f.ok && applyOutputFilter(out, f.filter)).toBe("ip access-list extended CRYPTO_ACL");
    const g = parseOutputFilter("| i bgp_", 1);
    expect(g.ok && applyOutputFilter(out, g.filter)).toBe("router bgp 65000");
  });
  test("errors: bad modifier, missing regex, invalid regex", () => {
    const { session } = makeSession();
    const bad = session.execute("show run | foo");
    expect(bad.error).toMatchObject({ kind: "invalid", column: 11 });
    expect(bad.output).toBe(`${" ".repeat(3 + 11)}^\n% Invalid input detected at '^' marker.\n`);
    expect(session.execute("show run | inc").error?.kind).toBe("incomplete");
    expect(session.execute("show run | i (").output).toBe('% Invalid regular expression: "("\n');
    expect(session.execute("show run |").error?.kind).toBe("incomplete");
  });
  test("bad command before the pipe reports that error", () => {
    const { session } = makeSession();
    expect(session.execute("show rum | i x").error).toMatchObject({ kind: "invalid", column: 7 });
  });
  test("sample running-config is the fixture", () => {
    expect(run("show running-config")).toBe(RUNNING_CONFIG);
  });
});
