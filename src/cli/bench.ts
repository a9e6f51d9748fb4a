// `bun run bench <forwarding|idle|fastpath|ipsec|ospf|eigrp|dmvpn|getvpn|web|peers|qos|all> [--json] [flags]`
//   forwarding [--routers 8] [--traffic udp,udp2,gre,gre-ipsec,ping] [--packets 100000] [--size 100] [--rate 500000] [--rounds 3] [--echoes 2000] [--ping-size 18024] [--workers 0,1,2] [--link gigabit|serial]
//       packet-hops/s through a chain of routers, inline and on Workers, with ratios to inline: a `traffic udp`
//       stream from the first router (forwarding cost; best of --rounds runs), the same on two independent chains at once
//       (udp2: two sources, two sinks, no shared router), the same stream through a GRE tunnel between the chain's
//       ends (gre) and through GRE over IPsec (gre-ipsec: crypto maps, ESP transport mode), then one large extended
//       ping (endpoint cost included).
//   idle [--devices 1000] [--workers 0,2] [--run-ms 1000]
//       wall time to build and start a fleet of idle routers and peak RSS; one fresh process per worker count.
//   fastpath [--quick]
//       the Wasm fast path against its TypeScript / JavaScript alternatives: ciphers, FIB, WFQ.
//   ipsec [--tunnels 50] [--groups 2,14] [--hub-groups 14] [--echoes 20000] [--esp-size 1400] [--rounds 3] [--quick]
//       IKEv1 tunnels set up per second (peer pairs, a hub with spokes), ESP packets/s end to end per backend (src/bench/ipsec.ts).
//   ospf [--routers 1000] [--shape grid,random] [--workers 0,1,2] [--seed 1]
//       a single-area OSPF lab of Gigabit Ethernet links run as point-to-point (a grid, and a random graph of average degree 3):
//       wall time until every adjacency is FULL and every route installed, SPF runs, LS updates and LSAs sent,
//       peak RSS; one fresh process per shape and worker count (src/bench/ospf.ts).
//   eigrp [--routers 500] [--workers 0,2] [--seed 1]
//       a grid of EIGRP routers over Gigabit Ethernet: wall time until every adjacency is up and every route
//       installed, updates and queries sent, peak RSS; one fresh process per worker count (src/bench/eigrp.ts).
//   dmvpn [--spokes 1000] [--phase 3] [--routing eigrp|ospf] [--ipsec group14|none] [--workers 0,1,2] [--pairs 100] [--seed 1]
//       scenarios/dmvpn-1000 at 100, 250, 500 and 1000 spokes (up to --spokes): wall time until every IPsec SA is up,
//       every spoke registered, routing converged and seeded spoke pairs ping through NHRP shortcuts; events, peak RSS,
//       2-Worker speed-up and growth; one fresh process per size and worker count (src/cli/bench-dmvpn.ts).
//   getvpn [--members 1000,4000,8000] [--workers 0,2] [--seed 1]
//       src/bench/getvpn-lab with N group members (25 per provider edge): wall time until every member has
//       registered with the key server, wall time of one unicast rekey until every member's ACK, peak RSS;
//       one fresh process per size and worker count (src/cli/bench-getvpn.ts, src/bench/getvpn.ts).
//   web [--devices 200] [--workers 0] [--seconds 5]
//       the dashboard on an idle ring of N routers (src/bench/web.ts): wall time of one poll of every interface and
//       the size of one update; every router sending a UDP stream around the ring for --seconds virtual seconds,
//       with and without a poll per virtual second (the stream's cost); the page's load in headless Chromium.
//   peers [--routers 20] [--tunnels 5]
//       wanlab side by side with FRRouting and strongSwan (needs root; src/cli/bench-peers.ts): an OSPF chain of N
//       routers in FRR namespaces and in wanlab (wall time to convergence, memory per router), IKEv1 set-up time of a
//       strongSwan pair and a wanlab pair with the same proposals; ratios FRR or strongSwan over wanlab.
//   qos [--flows 16,1000,10000] [--sched-packets 2000000] [--routers 8] [--packets 100000] [--rate 500000,1000000] [--rounds 3] [--link gigabit]
//       packets/s through one congested interface's WFQ (one enqueue + one dequeue per packet, ~2 waiting per flow),
//       Wasm vs the TypeScript reference; and the forwarding chain with fair-queue on every link against FIFO at
//       each offered rate, as a ratio (the target: WFQ costs at most 15 %; printed, not asserted) (src/bench/qos.ts).
// Plain output is one aligned table per measurement; --json prints the figures instead.

import type { ChainLinkKind } from "../bench/chain-lab.ts";
import type { DmvpnBenchResult } from "../bench/dmvpn.ts";
import { benchEigrp, type EigrpBenchResult } from "../bench/eigrp.ts";
import { benchForwarding, type ForwardingResult, type ForwardingTraffic } from "../bench/forwarding.ts";
import { benchIdleStart, type IdleStartResult } from "../bench/idle-start.ts";
import { benchIpsec, type IpsecBenchReport, renderIpsecReport } from "../bench/ipsec.ts";
import { benchOspf, type OspfBenchResult } from "../bench/ospf.ts";
import type { OspfBenchShape } from "../bench/ospf-topology.ts";
import { benchQos, type QosBenchResult } from "../bench/qos.ts";
import { fmt, renderTable } from "../bench/table.ts";
import { benchWeb, type WebBenchResult } from "../bench/web.ts";
import { benchFastpathCrypto, type CryptoBenchRow } from "../fastpath/crypto/bench.ts";
import { benchFastpathEsp, type EspBenchRow } from "../fastpath/esp/bench.ts";
import { benchFib, type FibBenchResult } from "../fastpath/fib/bench.ts";
import { benchSched, type SchedBenchResult } from "../fastpath/sched/bench.ts";
import type { DhGroup } from "../protocols/ike/dh-groups.ts";
import { ArgsError, type CliArgs, numberFlag, parseArgs, withArgs } from "./args.ts";
import { benchInChild } from "./bench-child.ts";
import { DMVPN_BENCH_OPTIONS, dmvpnBench, dmvpnSingle } from "./bench-dmvpn.ts";
import { GETVPN_BENCH_OPTIONS, getvpnBench, getvpnSingle } from "./bench-getvpn.ts";
import { peersBench } from "./bench-peers.ts";

const FORWARDING_TARGET_PPS = 500_000;
const IDLE_TARGET_MS = 5_000;
const IDLE_TARGET_RSS = 400 * 1024 * 1024;

const usage =
  "usage: bun run bench <forwarding|idle|fastpath|ipsec|ospf|eigrp|dmvpn|getvpn|web|peers|qos|all> [--json] [flags]  (see the header of src/cli/bench.ts)";
/** Every flag some benchmark reads (see the header); anything else is a mistake. */
const BENCH_OPTIONS = [
  ...["routers", "traffic", "packets", "size", "rate", "rounds", "echoes", "ping-size", "workers", "link"],
  ...["devices", "run-ms", "tunnels", "groups", "hub-groups", "esp-size", "shape", "seed", "seconds"],
  ...["flows", "sched-packets"],
  ...DMVPN_BENCH_OPTIONS,
  ...GETVPN_BENCH_OPTIONS,
];
const args = withArgs("bench", usage, () =>
  parseArgs(process.argv.slice(2), {
    options: BENCH_OPTIONS,
    switches: ["json", "quick", "single"],
    maxPositional: 1,
  }),
);
const which = args.positional[0];
const json = args.flags.has("json");

function listFlag(a: CliArgs, name: string, fallback: number[]): number[] {
  const v = a.flags.get(name);
  if (v === undefined) return fallback;
  const list = v === true ? [] : v.split(",").map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 0)) {
    console.error(`--${name} needs a comma-separated list of whole numbers, e.g. 0,1,2`);
    process.exit(2);
  }
  return list;
}

function out(text: string): void {
  if (!json) process.stdout.write(`${text}\n`);
}

/** Runs that threw, reported beside the figures (and in --json). */
const failures: Array<{ size: number; workers: number; error: string }> = [];

const mb = (bytes: number) => bytes / (1024 * 1024);

async function forwarding(): Promise<ForwardingResult[]> {
  const routers = numberFlag(args, "routers", 8);
  const kinds = (
    typeof args.flags.get("traffic") === "string" ? String(args.flags.get("traffic")) : "udp,udp2,gre,gre-ipsec,ping"
  )
    .split(",")
    .map((s) => s.trim());
  if (kinds.some((k) => !["udp", "udp2", "gre", "gre-ipsec", "ping"].includes(k))) {
    console.error("--traffic is a list of udp, udp2, gre, gre-ipsec and ping");
    process.exit(2);
  }
  const workerCounts = listFlag(args, "workers", [0, 1, 2]);
  const linkFlag = args.flags.get("link") ?? "gigabit";
  if (linkFlag !== "gigabit" && linkFlag !== "serial") {
    console.error("--link is gigabit or serial");
    process.exit(2);
  }
  const link = linkFlag as ChainLinkKind;
  const results: ForwardingResult[] = [];
  for (const kind of kinds) {
    const chains = kind === "udp2" ? 2 : 1;
    const traffic: ForwardingTraffic = kind === "ping" ? "ping" : "udp";
    const tunnel = kind === "gre" || kind === "gre-ipsec" ? kind : undefined;
    const udp = traffic === "udp";
    const packets = udp ? numberFlag(args, "packets", 100_000) : numberFlag(args, "echoes", 2000);
    const size = udp ? numberFlag(args, "size", 100) : numberFlag(args, "ping-size", 18024);
    const ratePps = numberFlag(args, "rate", 500_000);
    const rounds = udp ? numberFlag(args, "rounds", 3) : 1;
    const rows: ForwardingResult[] = [];
    for (const workers of workerCounts) {
      if (!json) process.stderr.write(`forwarding: ${traffic} ${size} bytes, workers ${workers}...\n`);
      try {
        rows.push(
          await benchForwarding({ traffic, chains, routers, packets, size, ratePps, rounds, workers, link, tunnel }),
        );
      } catch (e) {
        // One failing placement should not hide the others' figures.
        process.stderr.write(
          `forwarding: ${traffic} ${size} bytes, workers ${workers} failed: ${(e as Error).message}\n`,
        );
        failures.push({ size, workers, error: `${traffic}: ${(e as Error).message}` });
      }
    }
    if (rows.length === 0) continue;
    results.push(...rows);
    const inline = rows.find((r) => r.workers === 0) ?? rows[0]!;
    const fragments = Math.ceil((size - 20) / 1480);
    const title =
      chains > 1
        ? `Forwarding (traffic udp, ${chains} independent chains): ${chains} chains of ${routers} routers over ${link} links, no router shared; each first router sends ${fmt(packets)} UDP datagrams of ${size} bytes at ${fmt(ratePps)} packets/s to its chain's last loopback, all at once; best of ${rounds} run${rounds > 1 ? "s" : ""}`
        : tunnel !== undefined
          ? `Forwarding (traffic udp through ${tunnel === "gre" ? "a GRE tunnel" : "GRE over IPsec, ESP transport mode, esp-aes esp-sha-hmac"}): the same chain, R1 sends ${fmt(packets)} UDP datagrams of ${size} bytes at ${fmt(ratePps)} packets/s into Tunnel0 to a loopback behind the last router, which decapsulates${tunnel === "gre-ipsec" ? " and decrypts" : ""}; best of ${rounds} run${rounds > 1 ? "s" : ""}`
          : udp
            ? `Forwarding (traffic udp): chain of ${routers} routers over ${link} links, R1 sends ${fmt(packets)} UDP datagrams of ${size} bytes at ${fmt(ratePps)} packets/s to the last loopback; packet-hops = frames delivered to routers; best of ${rounds} run${rounds > 1 ? "s" : ""}`
            : `Forwarding (ping, endpoints included): same chain, one extended ping R1 -> last loopback, ${packets} echoes of ${size} bytes (${fragments} packet${fragments > 1 ? "s" : ""} each way in flight)`;
    out(
      renderTable(
        title,
        [
          "mode",
          "partitions",
          udp ? "received/sent" : "replies",
          "packet-hops",
          "wall ms",
          "virtual ms",
          "packet-hops/s",
          "vs inline",
          "vs target 500k",
        ],
        rows.map((r) => [
          r.workers === 0 ? "inline" : `${r.workers} worker${r.workers > 1 ? "s" : ""}`,
          r.partitions,
          `${r.delivered}/${r.packets * r.chains - r.failedToSend}`,
          r.packetHops,
          fmt(r.wallMs, 1),
          fmt(r.virtualMs, 0),
          r.packetHopsPerSec,
          `${fmt(r.packetHopsPerSec / inline.packetHopsPerSec, 2)}x`,
          `${fmt((100 * r.packetHopsPerSec) / FORWARDING_TARGET_PPS, 0)}%`,
        ]),
      ),
    );
  }
  return results;
}

/** Runs one idle start-up measurement in a fresh process so its RSS is its own. */
function idleInChild(devices: number, workers: number, runMs: number): IdleStartResult {
  const run = benchInChild<IdleStartResult>(process.argv[1]!, "idle", { devices, workers, "run-ms": runMs });
  if (!run.ok) throw new Error(`idle bench (workers ${workers}) failed:\n${run.stderr}`);
  return run.result;
}

async function idle(): Promise<IdleStartResult[]> {
  const devices = numberFlag(args, "devices", 1000);
  const runMs = numberFlag(args, "run-ms", 1000);
  if (args.flags.has("single")) {
    const workers = numberFlag(args, "workers", 0);
    return [await benchIdleStart({ devices, workers, runMs })];
  }
  const results: IdleStartResult[] = [];
  for (const workers of listFlag(args, "workers", [0, 2])) {
    if (!json) process.stderr.write(`idle: ${devices} devices, workers ${workers}...\n`);
    results.push(idleInChild(devices, workers, runMs));
  }
  out(
    renderTable(
      `Idle start: ring of ${devices} routers (2 serial + 2 loopbacks, 5 static routes each), create + ${runMs} ms virtual; targets < ${IDLE_TARGET_MS / 1000} s, < ${mb(IDLE_TARGET_RSS)} MB`,
      [
        "mode",
        "partitions",
        "started",
        "create ms",
        "start ms",
        "RSS before MB",
        "RSS after MB",
        "peak RSS MB",
        "time",
        "memory",
      ],
      results.map((r) => [
        r.workers === 0 ? "inline" : `${r.workers} worker${r.workers > 1 ? "s" : ""}`,
        r.partitions,
        `${r.devicesStarted}/${r.devices}`,
        fmt(r.createMs, 0),
        fmt(r.startMs, 0),
        fmt(mb(r.rssBeforeBytes), 0),
        fmt(mb(r.rssAfterBytes), 0),
        fmt(mb(r.peakRssBytes), 0),
        r.startMs < IDLE_TARGET_MS ? "ok" : "over",
        r.peakRssBytes < IDLE_TARGET_RSS ? "ok" : "over",
      ]),
    ),
  );
  for (const r of results) {
    if (r.devicesStarted !== r.devices || r.configErrors > 0 || r.firstRouterLinksUp !== 2) {
      out(
        `warning (workers ${r.workers}): ${r.devicesStarted} devices started, ${r.configErrors} config errors, ${r.firstRouterLinksUp} links up on the first router`,
      );
    }
  }
  return results;
}

interface FastpathResults {
  crypto: CryptoBenchRow[];
  esp: EspBenchRow[];
  fib: FibBenchResult;
  sched: SchedBenchResult;
}

function fastpath(): FastpathResults {
  const quick = args.flags.has("quick");
  const progress = (s: string) => {
    if (!json) process.stderr.write(`fastpath: ${s}...\n`);
  };
  progress("crypto");
  const crypto = benchFastpathCrypto(quick ? { minMs: 60 } : {});
  out(
    renderTable(
      "Fast path crypto: packets/s, Wasm batch of 32 vs node:crypto and @noble per packet",
      ["primitive", "bytes", "wasm pps", "node:crypto pps", "noble pps", "wasm/node", "wasm/noble"],
      crypto.map((r) => [
        r.primitive,
        r.packetBytes,
        r.wasmBatchPps,
        r.nodePerPacketPps,
        r.noblePerPacketPps,
        `${fmt(r.ratioVsNode, 2)}x`,
        r.ratioVsNoble === null ? "-" : `${fmt(r.ratioVsNoble, 2)}x`,
      ]),
    ),
  );
  progress("esp");
  const esp = benchFastpathEsp(quick ? { minMs: 60 } : {});
  out(
    renderTable(
      "Fast path ESP encap/decap: packets/s (main-thread CPU time) by payload size, Wasm batch of 32 vs node:crypto and @noble per packet (noble has no 3DES)",
      ["transform", "dir", "bytes", "wasm pps", "node:crypto pps", "noble pps", "wasm/node", "wasm/noble"],
      esp.map((r) => [
        r.transform,
        r.direction,
        r.packetBytes,
        r.wasmBatchPps,
        r.nodePerPacketPps,
        r.noblePerPacketPps,
        `${fmt(r.ratioVsNode, 2)}x`,
        r.ratioVsNoble === null ? "-" : `${fmt(r.ratioVsNoble, 2)}x`,
      ]),
    ),
  );
  progress("fib");
  const fib = benchFib(quick ? { prefixes: 100_000, lookups: 1_000_000 } : {});
  const ref = fib.results.find((r) => r.name === "ts-dir24-8");
  out(
    renderTable(
      `Fast path FIB: ${fmt(fib.prefixes)} random prefixes (BGP-like lengths), lookups/s by batch size`,
      ["implementation", "build ms", "memory MB", "batch 1", "batch 32", "batch 256", "b32 vs ts-dir24-8"],
      fib.results.map((r) => [
        r.name,
        fmt(r.buildMs, 0),
        fmt(mb(r.memoryBytes), 1),
        r.lookupsPerSec[1]!,
        r.lookupsPerSec[32]!,
        r.lookupsPerSec[256]!,
        ref === undefined ? "-" : `${fmt(r.lookupsPerSec[32]! / ref.lookupsPerSec[32]!, 2)}x`,
      ]),
    ),
  );
  progress("sched");
  const sched = benchSched(quick ? { operations: 1_000_000 } : {});
  out(
    renderTable(
      `Fast path WFQ: enqueue+dequeue operations/s, batches of ${sched.batch}, Wasm vs TypeScript binary heap`,
      ["flows", "wasm ops/s", "ts heap ops/s", "wasm/ts"],
      sched.rows.map((r) => [r.flows, r.wasmOpsPerSec, r.tsHeapOpsPerSec, `${fmt(r.ratio, 2)}x`]),
    ),
  );
  return { crypto, esp, fib, sched };
}

/** Work the ipsec bench found undone (tunnels down, counters off); fails the run like `failures`. */
const problems: string[] = [];

async function ipsec(): Promise<IpsecBenchReport> {
  const quick = args.flags.has("quick");
  const report = await benchIpsec({
    tunnels: numberFlag(args, "tunnels", quick ? 10 : 50),
    groups: listFlag(args, "groups", [2, 14]) as DhGroup[],
    hubGroups: listFlag(args, "hub-groups", [14]) as DhGroup[],
    echoes: numberFlag(args, "echoes", quick ? 2000 : 20_000),
    size: numberFlag(args, "esp-size", 1400),
    rounds: numberFlag(args, "rounds", quick ? 1 : 3),
    dhMinMs: quick ? 60 : 200,
    progress: (s) => {
      if (!json) process.stderr.write(`ipsec: ${s}...\n`);
    },
  });
  out(renderIpsecReport(report));
  problems.push(...report.problems);
  return report;
}

const OSPF_TARGET_MS = 30_000;
const OSPF_TARGET_RSS = 1.5 * 1024 * 1024 * 1024;

/** Runs one OSPF convergence measurement in a fresh process so its RSS is its own. */
function ospfInChild(routers: number, shape: OspfBenchShape, workers: number, seed: number): OspfBenchResult {
  const run = benchInChild<OspfBenchResult>(process.argv[1]!, "ospf", { routers, shape, workers, seed });
  if (!run.ok) throw new Error(`ospf bench (${shape}, workers ${workers}) failed:\n${run.stderr}`);
  return run.result;
}

async function ospf(): Promise<OspfBenchResult[]> {
  const routers = numberFlag(args, "routers", 1000);
  const seed = numberFlag(args, "seed", 1);
  const shapeFlag = args.flags.get("shape");
  const shapes = (typeof shapeFlag === "string" ? shapeFlag : "grid,random").split(",").map((s) => s.trim());
  if (shapes.some((s) => s !== "grid" && s !== "random")) {
    console.error("--shape is a list of grid and random");
    process.exit(2);
  }
  if (args.flags.has("single")) {
    const progress = (s: string) => process.stderr.write(`ospf: ${s}\n`);
    return [
      await benchOspf({
        routers,
        shape: shapes[0] as OspfBenchShape,
        workers: numberFlag(args, "workers", 0),
        seed,
        progress,
      }),
    ];
  }
  const results: OspfBenchResult[] = [];
  for (const shape of shapes as OspfBenchShape[])
    for (const workers of listFlag(args, "workers", [0, 1, 2])) {
      if (!json) process.stderr.write(`ospf: ${routers} routers, ${shape}, workers ${workers}...\n`);
      try {
        results.push(ospfInChild(routers, shape, workers, seed));
      } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        failures.push({ size: routers, workers, error: `ospf ${shape}: ${(e as Error).message}` });
      }
    }
  out(
    renderTable(
      `OSPF convergence: ${routers} routers in one area over Gigabit Ethernet point-to-point links, until every adjacency is FULL and every router holds all its routes (checked every 5 s of virtual time); targets < ${OSPF_TARGET_MS / 1000} s, < ${fmt(mb(OSPF_TARGET_RSS), 0)} MB`,
      [
        "shape",
        "links",
        "mode",
        "converged",
        "virtual s",
        "create ms",
        "converge wall ms",
        "SPF runs",
        "LS updates sent",
        "LSAs sent",
        "peak RSS MB",
        "time",
        "memory",
      ],
      results.map((r) => [
        r.shape,
        r.links,
        r.workers === 0 ? "inline" : `${r.workers} worker${r.workers > 1 ? "s" : ""}`,
        r.converged ? "yes" : `no (${r.routersComplete}/${r.routers})`,
        r.virtualSec,
        fmt(r.createMs, 0),
        fmt(r.convergeWallMs, 0),
        r.spfRuns,
        r.lsUpdatesSent,
        r.lsasSent,
        fmt(mb(r.peakRssBytes), 0),
        r.convergeWallMs < OSPF_TARGET_MS ? "ok" : "over",
        r.peakRssBytes < OSPF_TARGET_RSS ? "ok" : "over",
      ]),
    ),
  );
  for (const r of results)
    if (!r.converged)
      problems.push(`ospf ${r.shape} workers ${r.workers}: not converged within the virtual time limit`);
  return results;
}

const EIGRP_TARGET_MS = 60_000;

/** Runs one EIGRP convergence measurement in a fresh process so its RSS is its own. */
function eigrpInChild(routers: number, workers: number, seed: number): EigrpBenchResult {
  const run = benchInChild<EigrpBenchResult>(process.argv[1]!, "eigrp", { routers, workers, seed });
  if (!run.ok) throw new Error(`eigrp bench (workers ${workers}) failed:\n${run.stderr}`);
  return run.result;
}

async function eigrp(): Promise<EigrpBenchResult[]> {
  const routers = numberFlag(args, "routers", 500);
  const seed = numberFlag(args, "seed", 1);
  if (args.flags.has("single")) {
    const progress = (s: string) => process.stderr.write(`eigrp: ${s}\n`);
    return [await benchEigrp({ routers, workers: numberFlag(args, "workers", 0), seed, progress })];
  }
  const results: EigrpBenchResult[] = [];
  for (const workers of listFlag(args, "workers", [0, 2])) {
    if (!json) process.stderr.write(`eigrp: ${routers} routers, workers ${workers}...\n`);
    try {
      results.push(eigrpInChild(routers, workers, seed));
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      failures.push({ size: routers, workers, error: `eigrp: ${(e as Error).message}` });
    }
  }
  out(
    renderTable(
      `EIGRP convergence: ${routers} routers in a grid of Gigabit Ethernet links (AS 1, network 0.0.0.0), until every adjacency is up and every router holds all its routes (checked every 5 s of virtual time); target < ${EIGRP_TARGET_MS / 1000} s`,
      [
        "links",
        "mode",
        "converged",
        "virtual s",
        "create ms",
        "converge wall ms",
        "updates sent",
        "queries sent",
        "peak RSS MB",
        "time",
      ],
      results.map((r) => [
        r.links,
        r.workers === 0 ? "inline" : `${r.workers} worker${r.workers > 1 ? "s" : ""}`,
        r.converged ? "yes" : `no (${r.routersComplete}/${r.routers})`,
        r.virtualSec,
        fmt(r.createMs, 0),
        fmt(r.convergeWallMs, 0),
        r.updatesSent,
        r.queriesSent,
        fmt(mb(r.peakRssBytes), 0),
        r.convergeWallMs < EIGRP_TARGET_MS ? "ok" : "over",
      ]),
    ),
  );
  for (const r of results)
    if (!r.converged) problems.push(`eigrp workers ${r.workers}: not converged within the virtual time limit`);
  return results;
}

async function web(): Promise<WebBenchResult> {
  const r = await benchWeb({
    devices: numberFlag(args, "devices", 200),
    workers: numberFlag(args, "workers", 0),
    seconds: numberFlag(args, "seconds", 5),
  });
  out(
    renderTable(
      `Dashboard on an idle ring of ${r.devices} routers (workers ${r.workers})`,
      [
        "start ms",
        "poll ms (median)",
        "poll ms (max)",
        "update KB",
        "traffic ms",
        "with polls ms",
        "stream cost",
        "page load ms",
      ],
      [
        [
          r.startMs,
          r.pollMedianMs,
          r.pollMaxMs,
          r.updateBytes / 1024,
          r.runMs,
          r.runWithPollsMs,
          `${fmt(r.streamCostPct, 1)}% (wall ${fmt(r.wallDiffPct, 1)}%)`,
          r.pageLoadMs ?? r.pageSkipped ?? null,
        ],
      ],
    ),
  );
  return r;
}

async function qos(): Promise<QosBenchResult> {
  const link = args.flags.get("link") ?? "gigabit";
  if (link !== "gigabit" && link !== "serial") {
    console.error("--link is gigabit or serial");
    process.exit(2);
  }
  const r = await benchQos({
    flows: listFlag(args, "flows", [16, 1_000, 10_000]),
    schedulerPackets: numberFlag(args, "sched-packets", 2_000_000),
    routers: numberFlag(args, "routers", 8),
    packets: numberFlag(args, "packets", 100_000),
    size: numberFlag(args, "size", 100),
    rates: listFlag(args, "rate", [500_000, 1_000_000]),
    rounds: numberFlag(args, "rounds", 3),
    link: link as ChainLinkKind,
    progress: (s) => {
      if (!json) process.stderr.write(`qos: ${s}...\n`);
    },
  });
  out(
    renderTable(
      "QoS: packets/s through one congested interface's WFQ (enqueue + dequeue of one packet, ~2 packets waiting per flow), Wasm vs TypeScript reference heap; best of 5 interleaved rounds",
      ["flows", "wasm pps", "ts pps", "wasm/ts"],
      r.scheduler.map((s) => [s.flows, s.wasmPps, s.tsPps, `${fmt(s.ratio, 2)}x`]),
    ),
  );
  if (r.forwarding.length > 0) {
    const f0 = r.forwarding[0]!.fifo;
    out(
      renderTable(
        `QoS: forwarding chain of ${f0.routers} routers over ${f0.link} links (bench forwarding's udp stream, ${fmt(f0.packets)} datagrams of ${f0.size} bytes, best of ${f0.roundsPacketHopsPerSec.length}), fair-queue on every link vs no fair-queue (FIFO); target WFQ/FIFO >= 0.85`,
        ["offered pps", "fifo received/sent", "wfq received/sent", "fifo hops/s", "wfq hops/s", "wfq/fifo"],
        r.forwarding.map((row) => [
          row.ratePps,
          `${row.fifo.delivered}/${row.fifo.packets - row.fifo.failedToSend}`,
          `${row.wfq.delivered}/${row.wfq.packets - row.wfq.failedToSend}`,
          row.fifo.packetHopsPerSec,
          row.wfq.packetHopsPerSec,
          `${fmt(row.ratio, 2)}x`,
        ]),
      ),
    );
  }
  return r;
}

async function dmvpn(): Promise<DmvpnBenchResult[]> {
  if (args.flags.has("single")) return [await dmvpnSingle(args, numberFlag(args, "workers", 0))];
  const run = dmvpnBench(args, listFlag(args, "workers", [0, 1, 2]), process.argv[1]!, json);
  out(run.report);
  failures.push(...run.failures);
  problems.push(...run.problems);
  return run.results;
}

try {
  const report: Record<string, unknown> = {};
  switch (which) {
    case "forwarding":
      report.forwarding = await forwarding();
      break;
    case "idle":
      report.idle = await idle();
      break;
    case "fastpath":
      report.fastpath = fastpath();
      break;
    case "ipsec":
      report.ipsec = await ipsec();
      break;
    case "ospf":
      report.ospf = await ospf();
      break;
    case "eigrp":
      report.eigrp = await eigrp();
      break;
    case "dmvpn":
      report.dmvpn = await dmvpn();
      break;
    case "web":
      report.web = await web();
      break;
    case "qos":
      report.qos = await qos();
      break;
    case "getvpn":
      if (args.flags.has("single")) report.getvpn = [await getvpnSingle(args)];
      else {
        const run = getvpnBench(args, process.argv[1]!, json);
        out(run.report);
        problems.push(...run.problems);
        report.getvpn = run.results;
      }
      break;
    case "peers": {
      const run = await peersBench(args, (s) => {
        if (!json) process.stderr.write(`${s}\n`);
      });
      out(run.report);
      problems.push(...run.problems);
      report.peers = run.result;
      break;
    }
    case "all":
      report.forwarding = await forwarding();
      report.idle = await idle();
      report.fastpath = fastpath();
      report.ipsec = await ipsec();
      report.ospf = await ospf();
      break;
    default:
      console.error(usage);
      process.exit(2);
  }
  if (failures.length > 0) report.failures = failures;
  if (json) console.log(JSON.stringify(report, null, 2));
  else for (const f of failures) console.log(`FAILED: forwarding size ${f.size}, workers ${f.workers}: ${f.error}`);
  process.exit(failures.length + problems.length > 0 ? 1 : 0);
} catch (e) {
  if (e instanceof ArgsError) {
    console.error(`bench ${which}: ${e.message}\n${usage}`);
    process.exit(2);
  }
  console.error(`bench ${which}: ${(e as Error).stack ?? (e as Error).message}`);
  process.exit(1);
}
