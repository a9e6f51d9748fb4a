// Port MACs: IOU's aabb.ccDD.DDP0 for a device's first 16 ports (the seeds'
// aabb.cc00.0100), and no two ports of a lab alike when devices have more
// (a provider edge with 25 ports once took its neighbour's MACs), up to
// hundreds of ports on one device.

import { expect, test } from "bun:test";
import { interfaceMac } from "../../../src/config/router/interface-mac.ts";
import { formatMacCisco as formatMac } from "../../../src/wire/mac-address.ts";

test("IOU's pattern for the first 16 ports, unique MACs beyond", () => {
  expect(formatMac(interfaceMac(0, 0))).toBe("aabb.cc00.0100");
  expect(formatMac(interfaceMac(0, 1))).toBe("aabb.cc00.0110");
  expect(formatMac(interfaceMac(1, 15))).toBe("aabb.cc00.02f0");
  expect(formatMac(interfaceMac(1, 16))).toBe("aabb.cd00.2010");
  expect(formatMac(interfaceMac(1, 320))).toBe("aabb.cd00.2140");
  const seen = new Set<number>();
  for (let device = 0; device < 400; device++)
    for (let port = 0; port < 400; port++) seen.add(interfaceMac(device, port));
  expect(seen.size).toBe(400 * 400);
});
