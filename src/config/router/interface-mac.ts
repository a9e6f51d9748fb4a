// The MAC address of a router's wired port, in IOU's pattern: aabb.ccDD.DDP0
// for device number DDDD (its id + 1) and port P, as the seeds' outputs show
// (aabb.cc00.0100 is the first device's first port). Only 16 ports fit in
// that pattern: a 17th would take the next device's first MAC, and on a
// segment they share, frames for one reach the other (a provider edge with
// 25 access ports did). Ports from the 17th on use aabb.cdDD.DDPP, with
// room for 4,096 ports per device (a key server with a link to each of
// hundreds of provider edges).

/** Ports per device that the IOU pattern numbers. */
const IOU_PORTS = 16;

/** A port's MAC as a 48-bit number. */
export function interfaceMac(deviceId: number, portIndex: number): number {
  const device = (deviceId + 1) & 0xffff;
  if (portIndex < IOU_PORTS) return 0xaabbcc000000 + device * 0x100 + portIndex * 0x10;
  return 0xaabbcd000000 + device * 0x1000 + (portIndex & 0xfff);
}
