// The lab of the `bench dmvpn` command: scenarios/dmvpn-1000 at a given number
// of spokes (its groups scaled: SPOKE = n, PE = n / 25 rounded up), so the
// benchmark measures the very lab the scenario test checks. It also says what
// the benchmark needs to know about it: the spokes' names and LAN addresses.

import type { LabSpec } from "../runtime/topology.ts";
import { loadScenario } from "../scenario/load.ts";

/** Spokes per provider-edge router in dmvpn-1000 (pe.cfg's access ports). */
export const SPOKES_PER_PE = 25;

export interface DmvpnLab {
  spec: LabSpec;
  hub: string;
  /** SPOKE1 ... SPOKEn. */
  spokes: string[];
  /** Each spoke's LAN address (its Loopback0), by index in spokes. */
  lans: string[];
  pes: number;
}

/** dmvpn-1000 with `spokes` spokes. */
export function dmvpnLab(spokes: number, seed = 1): DmvpnLab {
  if (!(Number.isInteger(spokes) && spokes >= 2 && spokes <= 6000))
    throw new Error("bench dmvpn needs 2 to 6,000 spokes");
  const pes = Math.ceil(spokes / SPOKES_PER_PE);
  const { lab } = loadScenario("dmvpn-1000", seed, undefined, undefined, { SPOKE: spokes, PE: pes });
  const names = Array.from({ length: spokes }, (_, i) => `SPOKE${i + 1}`);
  const configs = new Map(lab.devices.map((d) => [d.name, d.config]));
  const lans = names.map((name) => {
    const m = /\ninterface Loopback0\n ip address (\S+) /.exec(configs.get(name) ?? "");
    if (m === null) throw new Error(`dmvpn-1000's ${name} has no Loopback0 address`);
    return m[1]!;
  });
  return { spec: lab, hub: "HUB", spokes: names, lans, pes };
}
