// `bench peers`, IKE part: IKEv1 tunnel set-up time between two strongSwan
// charons (each in its own namespace on a veth pair, user-space ESP in UDP,
// a private /run so two can run at once) against two wanlab routers with crypto
// maps, with the same proposals: main mode, PSK, aes128-sha1-modp2048, ESP
// aes128-sha1, no PFS. strongSwan: the wall time of `swanctl --initiate` (the
// client's start-up included); wanlab: the wall time of R1's ping that brings
// the SAs up (idle virtual time skipped), checked with show crypto isakmp sa.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import { buildLabSpec } from "../scenario/topology-file.ts";

export interface PeersIkeSide {
  /** Set-ups measured. */
  tunnels: number;
  /** Median wall time of one set-up. */
  medianMs: number;
  ok: boolean;
}

const CHARON = "/usr/lib/ipsec/charon";

/** Why the strongSwan side cannot run here, or null. */
export function strongswanSkipReason(): string | null {
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "not root (namespaces need root)";
  if (Bun.which("swanctl") === null || !(Bun.file(CHARON).size > 0)) return "strongSwan is not installed";
  if (Bun.which("unshare") === null) return "unshare (util-linux) is not installed";
  return null;
}

function sh(argv: string[]): string {
  const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0)
    throw new Error(`${argv.join(" ")}: ${r.stderr.toString().trim() || r.stdout.toString().trim()}`);
  return r.stdout.toString();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]!;
}

const swanConf = (vici: string) => `charon {
  load_modular = no
  load = random nonce aes sha1 sha2 hmac pem pkcs1 x509 pubkey gmp kdf openssl kernel-libipsec kernel-netlink socket-default vici
  install_routes = yes
  plugins { vici { socket = ${vici} } }
}
`;

const swanctlConf = (me: number, peer: number, lan: string, peerLan: string) => `connections { p { version = 1
  local_addrs = 192.168.90.${me}
  remote_addrs = 192.168.90.${peer}
  proposals = aes128-sha1-modp2048
  encap = yes
  local { auth = psk
   id = 192.168.90.${me} }
  remote { auth = psk
   id = 192.168.90.${peer} }
  children { c { local_ts = ${lan}/32
    remote_ts = ${peerLan}/32
    esp_proposals = aes128-sha1 } } } }
secrets { ike-p { id = 192.168.90.${peer}
  secret = BENCH } }
`;

/** Two charons on a veth pair: `tunnels` set-ups initiated by the first, each torn down after. */
export async function benchStrongswanPair(tunnels: number): Promise<PeersIkeSide> {
  const tag = `wli${process.pid % 10000}`;
  const dir = `/tmp/wanlab-peers-ike-${process.pid}`;
  const sides = [
    { ns: `${tag}a`, me: 1, peer: 2, lan: "10.1.1.1", peerLan: "10.2.2.2" },
    { ns: `${tag}b`, me: 2, peer: 1, lan: "10.2.2.2", peerLan: "10.1.1.1" },
  ];
  const vici = (ns: string) => `unix://${join(dir, `${ns}.vici`)}`;
  mkdirSync(dir, { recursive: true });
  const procs: Bun.Subprocess[] = [];
  try {
    for (const s of sides) {
      Bun.spawnSync(["ip", "netns", "del", s.ns]);
      sh(["ip", "netns", "add", s.ns]);
      sh(["ip", "-n", s.ns, "link", "set", "dev", "lo", "up"]);
      sh(["ip", "-n", s.ns, "addr", "add", `${s.lan}/32`, "dev", "lo"]);
    }
    sh([
      "ip",
      "link",
      "add",
      "wan",
      "netns",
      sides[0]!.ns,
      "type",
      "veth",
      "peer",
      "name",
      "wan",
      "netns",
      sides[1]!.ns,
    ]);
    for (const s of sides) {
      sh(["ip", "-n", s.ns, "addr", "add", `192.168.90.${s.me}/24`, "dev", "wan"]);
      sh(["ip", "-n", s.ns, "link", "set", "dev", "wan", "up"]);
      const conf = join(dir, `${s.ns}.conf`);
      writeFileSync(conf, swanConf(vici(s.ns)));
      writeFileSync(join(dir, `${s.ns}.swanctl.conf`), swanctlConf(s.me, s.peer, s.lan, s.peerLan));
      // charon's pid file lives in /run: each gets a private one.
      procs.push(
        Bun.spawn(
          [
            "ip",
            "netns",
            "exec",
            s.ns,
            "unshare",
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            `mount -t tmpfs none /run && exec env STRONGSWAN_CONF=${conf} ${CHARON}`,
          ],
          { stdout: "ignore", stderr: "ignore" },
        ),
      );
    }
    for (const s of sides) {
      const deadline = performance.now() + 10_000;
      while (
        Bun.spawnSync(["swanctl", "--stats", "--uri", vici(s.ns)], { stdout: "ignore", stderr: "ignore" }).exitCode !==
        0
      ) {
        if (performance.now() > deadline) throw new Error(`charon in ${s.ns} did not start`);
        await Bun.sleep(50);
      }
      sh(["swanctl", "--load-all", "--file", join(dir, `${s.ns}.swanctl.conf`), "--uri", vici(s.ns)]);
    }
    const times: number[] = [];
    let ok = true;
    for (let k = 0; k < tunnels; k++) {
      const t0 = performance.now();
      const out = Bun.spawnSync(
        [
          "ip",
          "netns",
          "exec",
          sides[0]!.ns,
          "swanctl",
          "--initiate",
          "--child",
          "c",
          "--timeout",
          "10",
          "--uri",
          vici(sides[0]!.ns),
        ],
        { stdout: "pipe", stderr: "pipe" },
      );
      times.push(performance.now() - t0);
      if (!out.stdout.toString().includes("initiate completed successfully")) ok = false;
      Bun.spawnSync(["swanctl", "--terminate", "--ike", "p", "--timeout", "5", "--uri", vici(sides[0]!.ns)], {
        stdout: "ignore",
        stderr: "ignore",
      });
    }
    return { tunnels, medianMs: median(times), ok };
  } finally {
    for (const p of procs) p.kill(9);
    for (const s of sides) {
      const pids = Bun.spawnSync(["ip", "netns", "pids", s.ns], { stdout: "pipe" }).stdout.toString();
      for (const pid of pids.split(/\s+/).filter(Boolean)) Bun.spawnSync(["kill", "-9", pid]);
      Bun.spawnSync(["ip", "netns", "del", s.ns]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Two wanlab routers with the same proposals: `tunnels` set-ups, each cleared on both sides after. */
export async function benchWanlabPair(tunnels: number): Promise<PeersIkeSide> {
  const router = (name: string, me: number, peer: number, lan: string, peerLan: string) =>
    [
      `hostname ${name}`,
      "crypto isakmp policy 10\n encr aes\n hash sha\n authentication pre-share\n group 14",
      `crypto isakmp key BENCH address 192.168.90.${peer}`,
      "crypto ipsec transform-set TS esp-aes esp-sha-hmac\n mode tunnel",
      `crypto map VPN 10 ipsec-isakmp\n set peer 192.168.90.${peer}\n set transform-set TS\n match address VPN`,
      `interface Loopback0\n ip address ${lan} 255.255.255.255`,
      `interface GigabitEthernet0/0\n ip address 192.168.90.${me} 255.255.255.0\n crypto map VPN\n no shutdown`,
      `ip route ${peerLan} 255.255.255.255 192.168.90.${peer}`,
      `ip access-list extended VPN\n permit ip host ${lan} host ${peerLan}`,
      "end",
    ].join("\n");
  const spec = buildLabSpec(
    "peers-ike",
    "peers-ike",
    { devices: { R1: "router", R2: "router" }, links: [{ name: "R1-R2", a: "R1 Gi0/0", b: "R2 Gi0/0" }] },
    { R1: router("R1", 1, 2, "10.1.1.1", "10.2.2.2"), R2: router("R2", 2, 1, "10.2.2.2", "10.1.1.1") },
    1,
  );
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
  try {
    await lab.run(1e9);
    await lab.command("R1", "ping 192.168.90.2"); // ARP, outside the measurement
    const times: number[] = [];
    let ok = true;
    for (let k = 0; k < tunnels; k++) {
      const t0 = performance.now();
      await lab.command("R1", "ping 10.2.2.2 source Loopback0 repeat 2");
      times.push(performance.now() - t0);
      if (!(await lab.command("R1", "show crypto isakmp sa")).output.includes("QM_IDLE")) ok = false;
      for (const r of ["R1", "R2"]) {
        await lab.command(r, "clear crypto sa");
        await lab.command(r, "clear crypto isakmp");
      }
    }
    return { tunnels, medianMs: median(times), ok };
  } finally {
    lab.close();
  }
}
