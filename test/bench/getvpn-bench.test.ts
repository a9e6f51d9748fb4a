// `bench getvpn` at 10 members, inline: every member registers and KS1 gets
// every member's acknowledgement of one unicast rekey; the figures are
// measured, not filled in (wall times positive, RSS sampled, events counted).

import { expect, test } from "bun:test";
import { benchGetvpn, getvpnLab, renderGetvpnReport } from "../../src/bench/getvpn.ts";

test("bench getvpn: 10 members register and acknowledge one unicast rekey", async () => {
  const lab = getvpnLab(30);
  expect(lab.pes).toBe(2);
  expect(lab.spec.devices.filter((d) => d.name.startsWith("GM")).length).toBe(30);
  const r = await benchGetvpn({ members: 10, workers: 0 });
  expect(r.registered).toBe(10);
  expect(r.registerMs).toBeGreaterThan(0);
  expect(r.rekeyAcks).toBe(10);
  expect(r.rekeyMs).toBeGreaterThan(0);
  expect(r.rekeyVirtualSec).toBeGreaterThan(0);
  expect(r.events).toBeGreaterThan(100);
  expect(r.peakRssBytes).toBeGreaterThan(0);
  const table = renderGetvpnReport([r]);
  expect(table).toMatch(/\n\s+10\s+0\s+/);
}, 60000);
