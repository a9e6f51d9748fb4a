// Two routers back to back with a crypto map between their loopback LANs, run
// inline so a test can reach into the devices (inject packets, read SAs)
// while the lab runs on the virtual clock.

import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { DeviceActor } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

/** Extra configuration lines per side (appended before `end`). */
export interface PairOptions {
  r1Crypto?: string;
  r2Crypto?: string;
  seed?: number;
}

/** IOS config of one side: Gi0/0 10.0.12.x, LAN Loopback0 10.x.x.x/24, crypto map on Gi0/0. */
function config(n: 1 | 2, crypto: string): string {
  const me = n;
  const peer = n === 1 ? 2 : 1;
  return [
    `hostname R${me}`,
    "interface Loopback0",
    ` ip address 10.${me}.${me}.${me} 255.255.255.0`,
    "interface GigabitEthernet0/0",
    ` ip address 10.0.12.${me} 255.255.255.0`,
    ` crypto map MAP`,
    `ip route 10.${peer}.${peer}.0 255.255.255.0 10.0.12.${peer}`,
    `ip access-list extended LANS`,
    ` permit ip 10.${me}.${me}.0 0.0.0.255 10.${peer}.${peer}.0 0.0.0.255`,
    crypto,
    "end",
  ].join("\n");
}

/** The usual crypto lines of one side (PSK, AES-256/SHA/group 14, ESP AES/SHA). */
export function standardCrypto(n: 1 | 2, extraMapLines = ""): string {
  const peer = n === 1 ? 2 : 1;
  return [
    "crypto isakmp policy 10",
    " encr aes 256",
    " authentication pre-share",
    " group 14",
    `crypto isakmp key SECRET address 10.0.12.${peer}`,
    "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
    "crypto map MAP 10 ipsec-isakmp",
    ` set peer 10.0.12.${peer}`,
    " set transform-set TS",
    " match address LANS",
    extraMapLines,
  ].join("\n");
}

/** A running pair. */
export interface IpsecPair {
  lab: Lab;
  r1: RouterDevice;
  r2: RouterDevice;
  /** Runs a command on a router and returns its output. */
  cmd(router: "R1" | "R2", line: string): Promise<string>;
  close(): void;
}

/** Builds and boots the pair (2 s of virtual time, ARP warmed by a ping). */
export async function ipsecPair(opts: PairOptions = {}): Promise<IpsecPair> {
  const actors = new Map<string, IosDeviceActor>();
  const spec = buildLabSpec(
    "ipsec-pair",
    "ipsec-pair",
    {
      devices: { R1: "router", R2: "router" },
      links: [{ name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 }],
    },
    { R1: config(1, opts.r1Crypto ?? standardCrypto(1)), R2: config(2, opts.r2Crypto ?? standardCrypto(2)) },
    opts.seed ?? 1,
  );
  const factories = {
    ...deviceFactories,
    router: (name: string, text: string, privateConfig?: string): DeviceActor => {
      const actor = createRouter(name, text, privateConfig) as IosDeviceActor;
      actors.set(name, actor);
      return actor;
    },
  };
  const lab = await Lab.create(spec, { workers: 0, factories });
  await lab.run(2e9);
  const cmd = async (router: "R1" | "R2", line: string): Promise<string> => (await lab.command(router, line)).output;
  await cmd("R1", "ping 10.0.12.2 repeat 2");
  return {
    lab,
    get r1() {
      return actors.get("R1")!.routerDevice;
    },
    get r2() {
      return actors.get("R2")!.routerDevice;
    },
    cmd,
    close: () => lab.close(),
  };
}
