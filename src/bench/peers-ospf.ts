// `bench peers`, OSPF part: the same chain of N routers in FRRouting and in
// wanlab, and how long each takes to converge and how much memory a router
// costs. FRR: N network namespaces joined by veth pairs, zebra and ospfd in
// each (needs root and FRR); wanlab: N routers on Gigabit Ethernet links in
// one lab on the virtual clock. Both run every link point-to-point with hello
// 1 / dead 4, a 50 ms SPF throttle and 100 ms between originations of one LSA, and count a router converged once it
// holds a route to every other router's loopback (FRR: the kernel's routes
// that zebra installed; wanlab: `show ip route ospf`).

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../runtime/lab.ts";
import { buildLabSpec } from "../scenario/topology-file.ts";

export interface PeersOspfSide {
  routers: number;
  converged: boolean;
  /** Wall time from starting OSPF everywhere to every router holding every loopback. */
  convergeMs: number;
  /** Virtual time it took (wanlab), or null (FRR runs in real time). */
  virtualMs: number | null;
  /** Memory per router: FRR's zebra + ospfd RSS; wanlab's process RSS growth over the lab, per router. */
  rssPerRouterBytes: number;
}

/** Runs a command; throws with its output when it fails. */
function sh(argv: string[]): string {
  const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr.toString().trim()}`);
  return r.stdout.toString();
}

const shQuiet = (argv: string[]) => Bun.spawnSync(argv, { stdout: "ignore", stderr: "ignore" });

/** Why the FRR side cannot run here, or null. */
export function frrSkipReason(): string | null {
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "not root (namespaces need root)";
  if (Bun.which("vtysh") === null) return "FRRouting is not installed";
  if (Bun.which("ip") === null) return "iproute2 is not installed";
  return null;
}

const loopback = (i: number) => `10.255.0.${i}`;

/** The FRR chain: builds it, starts ospfd everywhere, waits for convergence, measures, removes it. */
export async function benchFrrChain(routers: number, timeoutMs = 60_000): Promise<PeersOspfSide> {
  if (routers < 2 || routers > 250) throw new Error("--routers must be 2..250");
  const tag = `wlp${process.pid % 10000}`;
  const ns = (i: number) => `${tag}r${i}`;
  const dir = `/tmp/wanlab-peers-${process.pid}`;
  const runDir = (i: number) => `/var/run/frr/${ns(i)}`;
  const lib = "/usr/lib/frr";
  mkdirSync(dir, { recursive: true, mode: 0o777 });
  try {
    for (let i = 1; i <= routers; i++) {
      shQuiet(["ip", "netns", "del", ns(i)]);
      sh(["ip", "netns", "add", ns(i)]);
      sh(["ip", "-n", ns(i), "link", "set", "lo", "up"]);
      sh(["ip", "-n", ns(i), "addr", "add", `${loopback(i)}/32`, "dev", "lo"]);
    }
    for (let i = 1; i < routers; i++) {
      sh(["ip", "link", "add", "east", "netns", ns(i), "type", "veth", "peer", "name", "west", "netns", ns(i + 1)]);
      sh(["ip", "-n", ns(i), "addr", "add", `10.100.${i}.1/30`, "dev", "east"]);
      sh(["ip", "-n", ns(i + 1), "addr", "add", `10.100.${i}.2/30`, "dev", "west"]);
      sh(["ip", "-n", ns(i), "link", "set", "dev", "east", "up"]);
      sh(["ip", "-n", ns(i + 1), "link", "set", "dev", "west", "up"]);
    }
    const ifConf = (name: string) =>
      `interface ${name}\n ip ospf network point-to-point\n ip ospf hello-interval 1\n ip ospf dead-interval 4\n!\n`;
    const start = (i: number, daemon: "zebra" | "ospfd", config: string) => {
      mkdirSync(runDir(i), { recursive: true });
      sh(["chown", "frr:frr", runDir(i)]);
      const conf = join(dir, `${daemon}-${i}.conf`);
      writeFileSync(conf, config, { mode: 0o644 });
      const log = `file:${join(dir, `${daemon}-${i}.log`)}`;
      sh(["ip", "netns", "exec", ns(i), join(lib, daemon), "-N", ns(i), "-f", conf, "--log", log, "-d", "-P", "0"]);
    };
    for (let i = 1; i <= routers; i++) start(i, "zebra", `hostname ${ns(i)}\n`);
    const t0 = performance.now();
    for (let i = 1; i <= routers; i++)
      start(
        i,
        "ospfd",
        `${i > 1 ? ifConf("west") : ""}${i < routers ? ifConf("east") : ""}router ospf\n ospf router-id ${loopback(i)}\n timers throttle spf 0 50 1000\n timers throttle lsa all 100\n network 10.0.0.0/8 area 0\n`,
      );
    const done = new Set<number>();
    let convergeMs = Number.NaN;
    while (performance.now() - t0 < timeoutMs) {
      for (let i = 1; i <= routers; i++) {
        if (done.has(i)) continue;
        const routes = sh(["ip", "-n", ns(i), "route", "show", "proto", "ospf"]);
        const loops = routes.split("\n").filter((l) => l.startsWith("10.255.0.")).length;
        if (loops === routers - 1) done.add(i);
      }
      if (done.size === routers) {
        convergeMs = performance.now() - t0;
        break;
      }
      await Bun.sleep(50);
    }
    let rss = 0;
    for (let i = 1; i <= routers; i++)
      for (const d of ["zebra", "ospfd"]) {
        const pid = Number(readFileSync(join(runDir(i), `${d}.pid`), "utf8").trim());
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        rss += Number(status.match(/VmRSS:\s+(\d+) kB/)![1]) * 1024;
      }
    return {
      routers,
      converged: done.size === routers,
      convergeMs,
      virtualMs: null,
      rssPerRouterBytes: rss / routers,
    };
  } finally {
    for (let i = 1; i <= routers; i++) {
      const pids = Bun.spawnSync(["ip", "netns", "pids", ns(i)], { stdout: "pipe" }).stdout.toString();
      for (const pid of pids.split(/\s+/).filter(Boolean)) shQuiet(["kill", "-9", pid]);
      shQuiet(["ip", "netns", "del", ns(i)]);
      rmSync(runDir(i), { recursive: true, force: true });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same chain in wanlab: R1..RN over Gigabit Ethernet, on the virtual clock. */
export async function benchWanlabChain(routers: number, maxVirtualSec = 120): Promise<PeersOspfSide> {
  const devices: Record<string, string> = {};
  const links: { name: string; a: string; b: string }[] = [];
  const configs: Record<string, string> = {};
  const ifc = (name: string, address: string) =>
    `interface ${name}\n ip address ${address} 255.255.255.252\n ip ospf network point-to-point\n ip ospf hello-interval 1\n ip ospf dead-interval 4\n no shutdown\n`;
  for (let i = 1; i <= routers; i++) {
    devices[`R${i}`] = "router";
    if (i < routers)
      links.push({ name: `R${i}-R${i + 1}`, a: `R${i} GigabitEthernet0/1`, b: `R${i + 1} GigabitEthernet0/0` });
    configs[`R${i}`] = [
      `hostname R${i}`,
      `interface Loopback0\n ip address ${loopback(i)} 255.255.255.255`,
      i > 1 ? ifc("GigabitEthernet0/0", `10.100.${i - 1}.2`) : "",
      i < routers ? ifc("GigabitEthernet0/1", `10.100.${i}.1`) : "",
      `router ospf 1\n router-id ${loopback(i)}\n timers throttle spf 50 50 1000\n timers throttle lsa 0 100 100\n network 10.0.0.0 0.255.255.255 area 0`,
      "end",
    ].join("\n");
  }
  const spec = buildLabSpec("peers-ospf", "peers-ospf", { devices, links }, configs, 1);
  Bun.gc(true);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
  const done = new Set<number>();
  let convergeMs = Number.NaN;
  let virtualMs = Number.NaN;
  try {
    while (lab.now < maxVirtualSec * 1e9) {
      await lab.run(100e6);
      for (let i = 1; i <= routers; i++) {
        if (done.has(i)) continue;
        const out = (await lab.command(`R${i}`, "show ip route ospf | count 10.255.0.")).output;
        if (Number(out.match(/(\d+)/)?.[1] ?? 0) === routers - 1) done.add(i);
      }
      if (done.size === routers) {
        convergeMs = performance.now() - t0;
        virtualMs = lab.now / 1e6;
        break;
      }
    }
    const rss = process.memoryUsage().rss - rss0;
    return { routers, converged: done.size === routers, convergeMs, virtualMs, rssPerRouterBytes: rss / routers };
  } finally {
    lab.close();
  }
}
