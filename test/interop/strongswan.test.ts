// wanlab's IKEv1/IPsec against strongSwan: R1 (a crypto map, labs/strongswan)
// and charon in a namespace on R1's TAP. IKEv1 main mode with a pre-shared
// key, AES-128/SHA-1/group 14 for ISAKMP and ESP AES-128/SHA-1; the kernel
// here has no ESP, so charon uses its user-space ESP (kernel-libipsec) and
// forces UDP encapsulation (encap = yes), which R1 follows through NAT-T.
// Each side initiates once; a ping between the protected addresses goes
// through ESP-in-UDP and both sides count the same packets.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { createTapLab, type TapLab } from "../../src/host-bridge/tap-lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { interopSkipReason, must, Netns, reportSkip, uniqueSuffix, waitFor } from "./host-tools.ts";

const CHARON = "/usr/lib/ipsec/charon";
const skip = reportSkip("strongswan.test.ts", interopSkipReason(["ping", "swanctl", CHARON]));
const suffix = uniqueSuffix();
const TAP = `wls${suffix}`.slice(0, 15);
const dir = `/tmp/wanlab-swan-${suffix}`;
const vici = `unix://${dir}/charon.vici`;

const strongswanConf = `charon {
  load_modular = no
  load = random nonce aes sha1 sha2 hmac pem pkcs1 x509 pubkey gmp kdf openssl kernel-libipsec kernel-netlink socket-default vici
  install_routes = yes
  retransmit_timeout = 1.0
  retransmit_tries = 3
  plugins {
    vici { socket = ${vici} }
  }
  filelog {
    log { path = ${dir}/charon.log
      default = 1
      ike = 2 }
  }
}
`;

const swanctlConf = `connections {
  wanlab {
    version = 1
    local_addrs = 192.168.80.2
    remote_addrs = 192.168.80.1
    proposals = aes128-sha1-modp2048
    encap = yes
    local { auth = psk
      id = 192.168.80.2 }
    remote { auth = psk
      id = 192.168.80.1 }
    children {
      r1 {
        local_ts = 10.2.2.2/32
        remote_ts = 10.1.1.1/32
        esp_proposals = aes128-sha1
        mode = tunnel
      }
    }
  }
}
secrets {
  ike-r1 { id = 192.168.80.1
    secret = SWAN-INTEROP }
}
`;

/** Packet counters of `swanctl --list-sas`' child SA: in and out. */
function swanCounters(text: string): { inPackets: number; outPackets: number; inBytes: number; outBytes: number } {
  const inM = text.match(/\bin\s+[0-9a-f]{8},\s+(\d+) bytes,\s+(\d+) packets/);
  const outM = text.match(/\bout\s+[0-9a-f]{8},\s+(\d+) bytes,\s+(\d+) packets/);
  if (inM === null || outM === null) throw new Error(`no child SA counters in:\n${text}`);
  return { inBytes: +inM[1]!, inPackets: +inM[2]!, outBytes: +outM[1]!, outPackets: +outM[2]! };
}

/** #pkts encaps/decaps of `show crypto ipsec sa`. */
function wanlabCounters(text: string): { encaps: number; decaps: number } {
  const e = text.match(/#pkts encaps: (\d+)/);
  const d = text.match(/#pkts decaps: (\d+)/);
  if (e === null || d === null) throw new Error(`no counters in:\n${text}`);
  return { encaps: +e[1]!, decaps: +d[1]! };
}

describe.skipIf(skip)("IKEv1/IPsec against strongSwan (kernel-libipsec, ESP in UDP)", () => {
  let t: TapLab;
  let ns: Netns;
  let charon: Bun.Subprocess | undefined;
  const swanctl = (...args: string[]) => ns.must(["swanctl", ...args, "--uri", vici], 15_000);

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "strongswan.conf"), strongswanConf);
    writeFileSync(join(dir, "swanctl.conf"), swanctlConf);
    const { lab: spec } = loadScenario(join(import.meta.dir, "labs", "strongswan"), 1);
    for (const w of spec.wires) if (w.tap !== undefined) w.tap = TAP;
    t = await createTapLab(spec, { workers: 0, factories: deviceFactories });
    expect(t.bridge.failures).toEqual([]);
    ns = await Netns.create(`wlswan${suffix}`);
    await must(["ip", "link", "set", TAP, "netns", ns.name]);
    await ns.must(["ip", "addr", "add", "192.168.80.2/24", "dev", TAP]);
    await ns.must(["ip", "addr", "add", "10.2.2.2/32", "dev", "lo"]);
    await ns.must(["ip", "link", "set", TAP, "up"]);
    charon = Bun.spawn(["ip", "netns", "exec", ns.name, CHARON], {
      env: { ...process.env, STRONGSWAN_CONF: join(dir, "strongswan.conf") },
      stdout: "ignore",
      stderr: "ignore",
    });
    await waitFor("charon's vici socket", 10_000, async () =>
      (await ns.exec(["swanctl", "--stats", "--uri", vici])).code === 0 ? true : undefined,
    );
    await swanctl("--load-all", "--file", join(dir, "swanctl.conf"));
  }, 30_000);

  afterAll(async () => {
    charon?.kill(9);
    await ns?.remove();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("strongSwan initiates: ISAKMP SA and an IPsec SA pair, a ping through ESP-in-UDP, counters agree", async () => {
    const out = await swanctl("--initiate", "--child", "r1", "--timeout", "10");
    expect(out).toContain("initiate completed successfully");
    const isakmp = await t.loop.command("R1", "show crypto isakmp sa");
    expect(isakmp).toMatch(/192\.168\.80\.1\s+192\.168\.80\.2\s+QM_IDLE/);
    const ping = await ns.exec(["ping", "-c", "3", "-i", "0.2", "-W", "2", "-I", "10.2.2.2", "10.1.1.1"], 10_000);
    expect(ping.stdout).toContain("3 received");
    const sa = await t.loop.command("R1", "show crypto ipsec sa");
    expect(sa).toContain("UDP-Encaps");
    const sas = await swanctl("--list-sas");
    // strongSwan marks its own SPI with '*': here it is the initiator's.
    expect(sas).toMatch(/ESTABLISHED, IKEv1, [0-9a-f]{16}_i\* [0-9a-f]{16}_r\b/);
    expect(sas).toMatch(/INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-128\/HMAC_SHA1_96/);
    expect(sas).toContain("AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048");
    const swan = swanCounters(sas);
    const r1 = wanlabCounters(sa);
    expect(r1).toEqual({ encaps: swan.inPackets, decaps: swan.outPackets });
    expect(r1.decaps).toBe(3);
    // strongSwan counts the inner datagrams' bytes: three 84-byte echoes each way.
    expect(swan).toEqual({ inPackets: 3, outPackets: 3, inBytes: 252, outBytes: 252 });
  }, 20_000);

  test("wanlab initiates after both sides clear: R1's ping sets up new SAs, counters agree", async () => {
    await swanctl("--terminate", "--ike", "wanlab", "--force", "--timeout", "5");
    await t.loop.command("R1", "clear crypto sa");
    await t.loop.command("R1", "clear crypto isakmp");
    const ping = await t.loop.command("R1", "ping 10.2.2.2 source Loopback0 repeat 10");
    // The first echo may go while IKE negotiates, as on IOS; the rest pass.
    expect(ping).toMatch(/Success rate is (9|10)0 percent/);
    const sas = await swanctl("--list-sas");
    // This time strongSwan's SPI is the responder's: R1 initiated.
    expect(sas).toMatch(/ESTABLISHED, IKEv1, [0-9a-f]{16}_i [0-9a-f]{16}_r\*/);
    expect(await t.loop.command("R1", "show crypto isakmp sa")).toMatch(/192\.168\.80\.2\s+192\.168\.80\.1\s+QM_IDLE/);
    const swan = swanCounters(sas);
    const r1 = wanlabCounters(await t.loop.command("R1", "show crypto ipsec sa"));
    expect(r1).toEqual({ encaps: swan.inPackets, decaps: swan.outPackets });
    expect(r1.encaps).toBeGreaterThanOrEqual(9);
  }, 30_000);
});
