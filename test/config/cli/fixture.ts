/** A small router-like command table shared by the CLI engine tests. */

import { argString, CliSession, CommandTable } from "../../../src/config/cli/index.ts";

export interface TestDevice {
  hostname: string;
  log: string[];
}

export const RUNNING_CONFIG = `hostname R1
!
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
crypto isakmp key cisco address 0.0.0.0
!
crypto ipsec transform-set TS esp-aes esp-sha-hmac
 mode tunnel
!
interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 crypto map CMAP
!
router ospf 1
 network 10.0.0.0 0.0.0.255 area 0
!
ip route 0.0.0.0 0.0.0.0 10.0.0.254
end
`;

export function makeTable(): CommandTable<TestDevice> {
  const t = new CommandTable<TestDevice>();
  const log = (text: string) => (_a: unknown, ctx: { device: TestDevice }) => {
    ctx.device.log.push(text);
  };
  t.defineMode("config-isakmp");
  t.defineMode("config-crypto-map");
  t.add("user", { syntax: "show version", handler: () => "Cisco IOS Software" });
  t.add(
    "exec",
    {
      syntax: "show ip route",
      handler: () =>
        "Gateway of last resort is not set\n\nC        10.0.0.0/24 is directly connected, GigabitEthernet0/0",
    },
    {
      syntax: "show ip interface brief",
      handler: () => "Interface              IP-Address      OK? Method Status                Protocol",
    },
    { syntax: "show interfaces [INTERFACE]", handler: (a) => `interfaces ${String(a.interfaces ?? "all")}` },
    { syntax: "show running-config", handler: () => RUNNING_CONFIG },
    { syntax: "ssh WORD", handler: () => "% Connection refused by remote host" },
    {
      syntax:
        "ping [ip] WORD:target [repeat <1-2147483647>] [size <36-18024>] [df-bit] [source {A.B.C.D | INTERFACE}] [timeout <0-3600>] [tos <0-255>]",
      handler: (a) => JSON.stringify(a),
    },
    { syntax: "clear crypto session", handler: () => "% Not supported here" },
    {
      syntax: "boom",
      handler: () => {
        throw new Error("kaboom");
      },
    },
  );
  t.add(
    "config",
    {
      syntax: "hostname WORD",
      handler: (a, ctx) => {
        ctx.device.hostname = String(a.hostname);
      },
    },
    {
      syntax: "interface INTERFACE",
      handler: (a, ctx) => {
        const name = String(a.interface);
        ctx.device.log.push(`interface ${name}`);
        ctx.enter(name.includes(".") ? "config-subif" : "config-if", name);
      },
    },
    {
      syntax: "ip route A.B.C.D:prefix A.B.C.D:mask {A.B.C.D | INTERFACE}:nexthop [<1-255>:distance]",
      no: true,
      handler: (a, ctx) => {
        ctx.device.log.push(
          `${ctx.negated ? "no " : ""}route ${String(a.prefix)} ${String(a.nexthop)} ${String(a.distance ?? "")}`.trim(),
        );
      },
    },
    {
      syntax: "router ospf <1-65535>:process",
      enters: "config-router",
      handler: (a, ctx) => {
        ctx.device.log.push(`ospf ${String(a.process)}`);
      },
    },
    { syntax: "ip access-list extended WORD:name", enters: "config-ext-nacl" },
    {
      syntax: "access-list <1-99>:number {permit|deny}:action A.B.C.D:address [A.B.C.D:wildcard]",
      handler: (a, ctx) => {
        ctx.device.log.push(`acl ${String(a.number)} ${String(a.action)} ${String(a.address)}`);
      },
    },
    { syntax: "crypto isakmp policy <1-10000>:priority", enters: "config-isakmp" },
    { syntax: "crypto map WORD:name <1-65535>:seq [ipsec-isakmp | gdoi]:type", enters: "config-crypto-map" },
    {
      syntax: "service timestamps",
      default: true,
      handler: (_a, ctx) => {
        ctx.device.log.push(ctx.defaulted ? "default ts" : "ts");
      },
    },
    { syntax: "ntp server A.B.C.D", handler: log("ntp") },
  );
  t.add(
    "config-if",
    {
      syntax: "ip address A.B.C.D:address A.B.C.D:mask [secondary]",
      no: "ip address [A.B.C.D:address A.B.C.D:mask [secondary]]",
      handler: (a, ctx) => {
        ctx.device.log.push(
          `${String(ctx.data)} ${ctx.negated ? "no " : ""}ip address ${argString(a, "address") ?? ""} ${argString(a, "mask") ?? ""}${a.secondary ? " secondary" : ""}`.trimEnd(),
        );
      },
    },
    {
      syntax: "shutdown",
      no: true,
      handler: (_a, ctx) => {
        ctx.device.log.push(`${String(ctx.data)} ${ctx.negated ? "no shutdown" : "shutdown"}`);
      },
    },
    {
      syntax: "description LINE",
      handler: (a, ctx) => {
        ctx.device.log.push(`desc [${String(a.description)}]`);
      },
    },
    {
      syntax: "bandwidth <1-10000000>",
      handler: (a, ctx) => {
        ctx.device.log.push(`bw ${String(a.bandwidth)}`);
      },
    },
  );
  t.add("config-subif", {
    syntax: "encapsulation dot1q <1-4094>:vlan",
    handler: (a, ctx) => {
      ctx.device.log.push(`${String(ctx.data)} dot1q ${String(a.vlan)}`);
    },
  });
  t.add("config-router", {
    syntax: "network A.B.C.D A.B.C.D:wildcard area <0-4294967295>",
    handler: (a, ctx) => {
      ctx.device.log.push(`network ${String(a.network)} area ${String(a.area)}`);
    },
  });
  t.add("config-ext-nacl", {
    syntax: "{permit|deny}:action LINE:rest",
    handler: (a, ctx) => {
      ctx.device.log.push(`ace ${String(a.action)} ${String(a.rest)}`);
    },
  });
  t.add("config-isakmp", {
    syntax: "encryption {des | 3des | aes}:cipher [128 | 192 | 256]:bits",
    handler: (a, ctx) => {
      ctx.device.log.push(`encr ${String(a.cipher)}`);
    },
  });
  t.add("config-crypto-map", {
    syntax: "set peer A.B.C.D",
    handler: (a, ctx) => {
      ctx.device.log.push(`peer ${String(a.peer)}`);
    },
  });
  return t;
}

export function makeSession(privileged = true): { session: CliSession<TestDevice>; device: TestDevice } {
  const device: TestDevice = { hostname: "R1", log: [] };
  const session = new CliSession(makeTable(), { device, hostname: () => device.hostname, privileged });
  return { session, device };
}
