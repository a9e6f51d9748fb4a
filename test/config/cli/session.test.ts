import { describe, expect, test } from "bun:test";
import { makeSession, RUNNING_CONFIG } from "./fixture.ts";

describe("exec levels", () => {
  test("user exec, enable, disable", () => {
    const { session } = makeSession(false);
    expect(session.prompt).toBe("R1>");
    expect(session.execute("show version").output).toBe("Cisco IOS Software\n");
    const denied = session.execute("show ip route");
    expect(denied.error?.kind).toBe("invalid");
    expect(session.execute("en").prompt).toBe("R1#");
    expect(session.execute("show ip route").error).toBeUndefined();
    expect(session.execute("show version").error).toBeUndefined();
    expect(session.execute("disable").prompt).toBe("R1>");
  });
  test("interactive error output has the caret under the typed text", () => {
    const { session } = makeSession();
    const r = session.execute("show ip rotue");
    expect(r.output).toBe(`${" ".repeat(3 + 10)}^\n% Invalid input detected at '^' marker.\n`);
    expect(session.execute("show ip").output).toBe("% Incomplete command.\n");
    expect(session.execute("s").output).toBe('% Ambiguous command:  "s"\n');
  });
  test("handler errors and exceptions never escape", () => {
    const { session } = makeSession();
    expect(session.execute("ssh r2")).toMatchObject({
      error: { kind: "handler", message: "% Connection refused by remote host" },
    });
    expect(session.execute("boom")).toMatchObject({ error: { kind: "handler", message: "% Internal error: kaboom" } });
  });
  test("blank lines and comments", () => {
    const { session } = makeSession();
    expect(session.execute("")).toEqual({ output: "", prompt: "R1#" });
    expect(session.execute("   ! a comment")).toEqual({ output: "", prompt: "R1#" });
  });
});

describe("configuration modes", () => {
  test("conf t, sub-modes, exit and end", () => {
    const { session, device } = makeSession();
    const c = session.execute("conf t");
    expect(c.output).toBe("Enter configuration commands, one per line.  End with CNTL/Z.\n");
    expect(c.prompt).toBe("R1(config)#");
    expect(session.execute("int gi0/0").prompt).toBe("R1(config-if)#");
    expect(session.execute("exit").prompt).toBe("R1(config)#");
    expect(session.execute("int gi0/0.100").prompt).toBe("R1(config-subif)#");
    expect(session.execute("encap dot1q 100").error).toBeUndefined();
    expect(session.execute("router ospf 1").prompt).toBe("R1(config-router)#");
    expect(session.execute("ip access-list extended ACL").prompt).toBe("R1(config-ext-nacl)#");
    expect(session.execute("crypto isakmp policy 10").prompt).toBe("R1(config-isakmp)#");
    expect(session.execute("crypto map CMAP 10 ipsec-isakmp").prompt).toBe("R1(config-crypto-map)#");
    expect(session.execute("end").prompt).toBe("R1#");
    expect(session.execute("exit").prompt).toBe("R1#");
    expect(session.closed).toBe(true);
    expect(device.log).toContain("GigabitEthernet0/0.100 dot1q 100");
  });
  test("Ctrl-Z returns to exec", () => {
    const { session } = makeSession();
    session.execute("conf t");
    session.execute("int lo0");
    expect(session.execute("\x1a").prompt).toBe("R1#");
  });
  test("hostname changes the prompt at once", () => {
    const { session } = makeSession();
    session.execute("conf t");
    expect(session.execute("hostname SPOKE1").prompt).toBe("SPOKE1(config)#");
  });
  test("a global command from a sub-mode runs and leaves the sub-mode", () => {
    const { session, device } = makeSession();
    session.execute("conf t");
    session.execute("int gi0/0");
    const r = session.execute("ip route 10.0.0.0 255.0.0.0 192.168.1.1");
    expect(r.prompt).toBe("R1(config)#");
    expect(device.log).toContain("route 10.0.0.0 192.168.1.1");
  });
  test("the error of the mode that got furthest is reported", () => {
    const { session } = makeSession();
    session.execute("conf t");
    session.execute("int gi0/0");
    const r = session.execute("ip route 10.0.0.0 255.0.0.0 bogus");
    expect(r.error).toMatchObject({ kind: "invalid", column: 28 });
    expect(r.prompt).toBe("R1(config-if)#");
  });
  test("no forms reach the handler as negated", () => {
    const { session, device } = makeSession();
    session.execute("conf t");
    session.execute("int s0/0/0");
    session.execute("no shut");
    session.execute("no ip address");
    session.execute("exit");
    session.execute("no ip route 10.0.0.0 255.0.0.0 Null0");
    expect(device.log).toEqual([
      "interface Serial0/0/0",
      "Serial0/0/0 no shutdown",
      "Serial0/0/0 no ip address",
      "no route 10.0.0.0 Null0",
    ]);
  });
  test("do runs exec commands, with filters and carets relative to the line", () => {
    const { session } = makeSession();
    session.execute("conf t");
    session.execute("int gi0/0");
    const r = session.execute("do show ip route | include directly");
    expect(r.output).toBe("C        10.0.0.0/24 is directly connected, GigabitEthernet0/0\n");
    expect(r.prompt).toBe("R1(config-if)#");
    const bad = session.execute("do sh ip rotue");
    expect(bad.error).toMatchObject({ kind: "invalid", column: 11 });
    expect(bad.output.split("\n")[0]).toBe(`${" ".repeat("R1(config-if)#".length + 11)}^`);
  });
});

describe("loadConfig", () => {
  const CONFIG = `hostname R7
!
interface GigabitEthernet0/0
 description  uplink to ISP  
 ip address 10.0.0.1 255.255.255.0
 shutdwn
 no shutdown
interface gi0/0.100
 encapsulation dot1q 100
ip route 0.0.0.0 0.0.0.0 10.0.0.254
 ip address 1.1.1.1 255.0.0.0
router ospf 1
 network 10.0.0.0 0.0.0.255 area 0
 bandwidth 100
access-list 10 permit 10.0.0.0 0.0.0.255
access-list 100 permit 10.0.0.0
crypto isakmp policy 10
 encryption aes 256
ip access-list extended CRYPTO
 permit ip any any
 deny   ip host 1.1.1.1 any
end
ntp server 10.0.0.99
`;
  test("loads every valid line and reports each bad line with its number", () => {
    const { session, device } = makeSession();
    const errors = session.loadConfig(CONFIG);
    expect(errors.map((e) => [e.line, e.text])).toEqual([
      [6, " shutdwn"],
      [11, " ip address 1.1.1.1 255.0.0.0"],
      [14, " bandwidth 100"],
      [16, "access-list 100 permit 10.0.0.0"],
    ]);
    expect(errors[0]?.message).toBe(" shutdwn\n      ^\n% Invalid input detected at '^' marker.");
    expect(errors[3]?.message).toBe(
      "access-list 100 permit 10.0.0.0\n            ^\n% Invalid input detected at '^' marker.",
    );
    expect(device.hostname).toBe("R7");
    expect(device.log).toEqual([
      "interface GigabitEthernet0/0",
      "desc [uplink to ISP]",
      "GigabitEthernet0/0 ip address 10.0.0.1 255.255.255.0",
      "GigabitEthernet0/0 no shutdown",
      "interface GigabitEthernet0/0.100",
      "GigabitEthernet0/0.100 dot1q 100",
      "route 0.0.0.0 10.0.0.254",
      "ospf 1",
      "network 10.0.0.0 area 0",
      "acl 10 permit 10.0.0.0",
      "encr aes",
      "ace permit ip any any",
      "ace deny ip host 1.1.1.1 any",
      "ntp",
    ]);
  });
  test("restores the session's mode and handles CRLF", () => {
    const { session } = makeSession();
    expect(session.loadConfig("interface lo0\r\n shutdown\r\n")).toEqual([]);
    expect(session.prompt).toBe("R1#");
  });
  test("the running-config sample loads with only unknown commands reported", () => {
    const { session } = makeSession();
    const errors = session.loadConfig(RUNNING_CONFIG);
    expect(errors.every((e) => e.error.kind !== "handler")).toBe(true);
  });
});
