// `bench peers [--routers 20] [--tunnels 5]`: wanlab side by side with real
// implementations in one run (needs root, FRRouting and strongSwan; a side
// that cannot run says why): an OSPF chain of N routers in FRR (one namespace
// with zebra and ospfd per router) and in wanlab, wall time to convergence and
// memory per router; IKEv1 tunnel set-up between two strongSwan charons and
// between two wanlab routers with the same proposals. Ratios are FRR or
// strongSwan over wanlab (above 1: wanlab is faster or smaller).

import { benchStrongswanPair, benchWanlabPair, type PeersIkeSide, strongswanSkipReason } from "../bench/peers-ike.ts";
import { benchFrrChain, benchWanlabChain, frrSkipReason, type PeersOspfSide } from "../bench/peers-ospf.ts";
import { fmt, renderTable } from "../bench/table.ts";
import { type CliArgs, numberFlag } from "./args.ts";

export interface PeersBenchResult {
  ospf: { wanlab: PeersOspfSide; frr: PeersOspfSide | null; frrSkipped: string | null };
  ike: { wanlab: PeersIkeSide; strongswan: PeersIkeSide | null; strongswanSkipped: string | null };
}

const ratio = (other: number | undefined, ours: number) =>
  other === undefined || !(ours > 0) ? "-" : `${fmt(other / ours, 2)}x`;

export async function peersBench(
  a: CliArgs,
  progress: (s: string) => void,
): Promise<{ report: string; result: PeersBenchResult; problems: string[] }> {
  const routers = numberFlag(a, "routers", 20);
  const tunnels = numberFlag(a, "tunnels", 5);
  const problems: string[] = [];
  progress(`peers: wanlab OSPF chain of ${routers}...`);
  const wanlabChain = await benchWanlabChain(routers);
  const frrSkipped = frrSkipReason();
  progress(frrSkipped === null ? `peers: FRR OSPF chain of ${routers}...` : `peers: FRR skipped: ${frrSkipped}`);
  const frrChain = frrSkipped === null ? await benchFrrChain(routers) : null;
  progress(`peers: wanlab IKEv1 pair, ${tunnels} set-ups...`);
  const wanlabPair = await benchWanlabPair(tunnels);
  const swanSkipped = strongswanSkipReason();
  progress(swanSkipped === null ? "peers: strongSwan IKEv1 pair..." : `peers: strongSwan skipped: ${swanSkipped}`);
  const swanPair = swanSkipped === null ? await benchStrongswanPair(tunnels) : null;
  for (const [name, side] of [
    ["wanlab OSPF", wanlabChain],
    ["FRR OSPF", frrChain],
  ] as const)
    if (side !== null && !side.converged) problems.push(`${name}: the chain of ${routers} did not converge`);
  for (const [name, side] of [
    ["wanlab IKE", wanlabPair],
    ["strongSwan IKE", swanPair],
  ] as const)
    if (side !== null && !side.ok) problems.push(`${name}: a set-up failed`);
  const mb = (b: number) => fmt(b / (1024 * 1024), 1);
  const report =
    renderTable(
      `OSPF chain of ${routers} routers, point-to-point Ethernet links, hello 1 / dead 4: wall time from start to every loopback everywhere, memory per router`,
      ["side", "converged", "wall ms", "virtual ms", "MB/router"],
      [
        [
          "wanlab",
          wanlabChain.converged ? "yes" : "no",
          fmt(wanlabChain.convergeMs),
          fmt(wanlabChain.virtualMs),
          mb(wanlabChain.rssPerRouterBytes),
        ],
        frrChain === null
          ? ["FRR (zebra+ospfd)", `skipped: ${frrSkipped}`, null, null, null]
          : [
              "FRR (zebra+ospfd)",
              frrChain.converged ? "yes" : "no",
              fmt(frrChain.convergeMs),
              "-",
              mb(frrChain.rssPerRouterBytes),
            ],
        [
          "FRR / wanlab",
          "",
          ratio(frrChain?.convergeMs, wanlabChain.convergeMs),
          "",
          ratio(frrChain?.rssPerRouterBytes, wanlabChain.rssPerRouterBytes),
        ],
      ],
    ) +
    "\n" +
    renderTable(
      `IKEv1 tunnel set-up, main mode PSK aes128-sha1-modp2048, ESP aes128-sha1: median of ${tunnels}`,
      ["side", "ok", "ms/tunnel"],
      [
        ["wanlab pair", wanlabPair.ok ? "yes" : "no", fmt(wanlabPair.medianMs, 1)],
        swanPair === null
          ? ["strongSwan pair", `skipped: ${swanSkipped}`, null]
          : ["strongSwan pair (swanctl --initiate)", swanPair.ok ? "yes" : "no", fmt(swanPair.medianMs, 1)],
        ["strongSwan / wanlab", "", ratio(swanPair?.medianMs, wanlabPair.medianMs)],
      ],
    );
  return {
    report,
    result: {
      ospf: { wanlab: wanlabChain, frr: frrChain, frrSkipped },
      ike: { wanlab: wanlabPair, strongswan: swanPair, strongswanSkipped: swanSkipped },
    },
    problems,
  };
}
