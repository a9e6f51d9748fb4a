// A Linux TAP device opened through /dev/net/tun (TUNSETIFF with IFF_TAP |
// IFF_NO_PI: whole Ethernet frames, no packet-information header), read
// without blocking. Carrier (TUNSETCARRIER) and MAC address (SIOCSIFHWADDR)
// are set on the TAP's own descriptor, so they work even after the TAP was
// moved into another network namespace; the MTU is set with `ip link` inside
// the namespace the TAP is in now (TUNGETDEVNETNS).

import { ptr } from "bun:ffi";
import { cString, Errno, errno, libc } from "./libc.ts";

const O_RDWR = 0o2;
const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const IFF_TAP = 0x0002;
const IFF_NO_PI = 0x1000;
/** _IOW('T', 202, int) */
const TUNSETIFF = 0x400454ca;
/** _IOW('T', 226, int) */
const TUNSETCARRIER = 0x400454e2;
/** _IO('T', 227) */
const TUNGETDEVNETNS = 0x54e3;
const SIOCSIFHWADDR = 0x8924;
const ARPHRD_ETHER = 1;
/** sizeof(struct ifreq) */
const IFREQ_SIZE = 40;
/** The largest frame read at once (a TAP without offloads hands frames up to its MTU plus headers). */
const READ_BUFFER = 65536;

export const TUN_PATH = "/dev/net/tun";

/** Why a TAP could not be opened, in words that name what is missing. */
export class TapOpenError extends Error {
  constructor(
    readonly tap: string,
    readonly missing: "root" | "tun-device" | "busy" | "other",
    message: string,
  ) {
    super(message);
    this.name = "TapOpenError";
  }
}

/** An open TAP device. */
export class TapDevice {
  private readonly buffer = new Uint8Array(READ_BUFFER);
  private closed = false;
  /** Frames dropped because the TAP would not take them (its queue full, or it is down). */
  writeErrors = 0;

  private constructor(
    readonly name: string,
    private readonly fd: number,
  ) {}

  /** Creates (or attaches to) TAP `name`; throws TapOpenError naming what is missing. */
  static open(name: string): TapDevice {
    const c = libc();
    const fd = c.open(cString(TUN_PATH), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      const e = errno();
      if (e === Errno.ENOENT || e === Errno.ENODEV)
        throw new TapOpenError(name, "tun-device", `TAP ${name}: ${TUN_PATH} is missing (load the tun module)`);
      if (e === Errno.EACCES || e === Errno.EPERM)
        throw new TapOpenError(name, "root", `TAP ${name}: opening ${TUN_PATH} needs root (CAP_NET_ADMIN)`);
      throw new TapOpenError(name, "other", `TAP ${name}: cannot open ${TUN_PATH} (errno ${e})`);
    }
    const ifr = new Uint8Array(IFREQ_SIZE);
    ifr.set(new TextEncoder().encode(name).subarray(0, 15), 0);
    new DataView(ifr.buffer).setUint16(16, IFF_TAP | IFF_NO_PI, true);
    if (c.ioctl(fd, TUNSETIFF, ptr(ifr)) < 0) {
      const e = errno();
      c.close(fd);
      if (e === Errno.EPERM || e === Errno.EACCES)
        throw new TapOpenError(name, "root", `TAP ${name}: creating a TAP needs root (CAP_NET_ADMIN)`);
      if (e === Errno.EBUSY)
        throw new TapOpenError(name, "busy", `TAP ${name}: the device is in use (another process has it open)`);
      if (e === Errno.EINVAL)
        throw new TapOpenError(name, "other", `TAP ${name}: a device of that name exists and is not a TAP`);
      throw new TapOpenError(name, "other", `TAP ${name}: TUNSETIFF failed (errno ${e})`);
    }
    return new TapDevice(name, fd);
  }

  /** The next frame the host sent into the TAP, or null when none is waiting (never blocks). */
  read(): Uint8Array | null {
    if (this.closed) return null;
    const n = Number(libc().read(this.fd, ptr(this.buffer), READ_BUFFER));
    if (n <= 0) return null; // EAGAIN: nothing waiting; other errors: treated the same, the lab goes on
    return this.buffer.slice(0, n);
  }

  /** Hands a frame to the host as if it arrived on the TAP's wire; false if the host did not take it. */
  write(frame: Uint8Array): boolean {
    if (this.closed || frame.length === 0) return false;
    const n = Number(libc().write(this.fd, ptr(frame), frame.length));
    if (n !== frame.length) {
      this.writeErrors++;
      return false;
    }
    return true;
  }

  /** Raises or drops the TAP's carrier (the host sees NO-CARRIER / LOWER_UP). */
  setCarrier(up: boolean): void {
    if (this.closed) return;
    const v = new Int32Array([up ? 1 : 0]);
    if (libc().ioctl(this.fd, TUNSETCARRIER, ptr(v)) < 0)
      throw new Error(`TAP ${this.name}: TUNSETCARRIER failed (errno ${errno()})`);
  }

  /** Sets the TAP's MAC address (6 bytes). */
  setMac(mac: Uint8Array): void {
    if (this.closed) return;
    const ifr = new Uint8Array(IFREQ_SIZE);
    ifr.set(new TextEncoder().encode(this.name).subarray(0, 15), 0);
    new DataView(ifr.buffer).setUint16(16, ARPHRD_ETHER, true);
    ifr.set(mac.subarray(0, 6), 18);
    if (libc().ioctl(this.fd, SIOCSIFHWADDR, ptr(ifr)) < 0)
      throw new Error(`TAP ${this.name}: setting the MAC address failed (errno ${errno()})`);
  }

  /** Sets the TAP's MTU in whichever network namespace it lives now. */
  setMtu(mtu: number): void {
    if (this.closed) return;
    const c = libc();
    const nsFd = c.ioctl(this.fd, TUNGETDEVNETNS, null);
    if (nsFd < 0) throw new Error(`TAP ${this.name}: TUNGETDEVNETNS failed (errno ${errno()})`);
    try {
      const r = Bun.spawnSync(
        ["nsenter", `--net=/proc/${process.pid}/fd/${nsFd}`, "ip", "link", "set", "dev", this.name, "mtu", `${mtu}`],
        { stdout: "pipe", stderr: "pipe" },
      );
      if (r.exitCode !== 0) throw new Error(`TAP ${this.name}: setting MTU ${mtu}: ${r.stderr.toString().trim()}`);
    } finally {
      c.close(nsFd);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    libc().close(this.fd);
  }
}
