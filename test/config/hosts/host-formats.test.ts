// Output formats of the host commands, piece by piece: iputils' RTT precision
// and %g loss, tracert's columns, ipconfig's dotted labels, Windows' automatic
// metrics, tracepath's hop guess, and the argument parsers' messages.
import { describe, expect, test } from "bun:test";
import { linuxInterfaceName, linuxMac } from "../../../src/config/hosts/linux-ip.ts";
import {
  parseLinuxPing,
  parseLinuxTracepath,
  parseLinuxTraceroute,
} from "../../../src/config/hosts/linux-probe-args.ts";
import { ipconfigLabel, windowsPhysicalAddress } from "../../../src/config/hosts/windows-ipconfig.ts";
import { windowsInterfaceMetric } from "../../../src/config/hosts/windows-route-print.ts";
import { parseWindowsPing, parseWindowsTracert } from "../../../src/config/router/host-commands.ts";
import { formatLinuxRtt, formatPercent, linuxIcmpErrorText } from "../../../src/dataplane/pipeline/linux-ping.ts";
import { hopsBack } from "../../../src/dataplane/pipeline/linux-tracepath.ts";
import { threeDecimals, tracerouteFlag } from "../../../src/dataplane/pipeline/linux-traceroute.ts";
import { tracertColumn } from "../../../src/dataplane/pipeline/windows-tracert.ts";
import { UNREACH } from "../../../src/wire/icmp.ts";

describe("Linux formats", () => {
  test("ping times carry iputils' precision: 3 decimals under 1 ms, 2 under 10, 1 under 100, none above", () => {
    expect(formatLinuxRtt(345)).toBe("0.345");
    expect(formatLinuxRtt(7)).toBe("0.007");
    expect(formatLinuxRtt(2034)).toBe("2.03");
    expect(formatLinuxRtt(2036)).toBe("2.04");
    expect(formatLinuxRtt(12345)).toBe("12.3");
    expect(formatLinuxRtt(123456)).toBe("123");
  });

  test("loss is printed as C's %g", () => {
    expect(formatPercent(0)).toBe("0");
    expect(formatPercent(100)).toBe("100");
    expect(formatPercent(100 / 3)).toBe("33.3333");
    expect(formatPercent(200 / 3)).toBe("66.6667");
  });

  test("ICMP errors in iputils' words", () => {
    expect(linuxIcmpErrorText("timeExceeded", 0, 0)).toBe("Time to live exceeded");
    expect(linuxIcmpErrorText("destUnreachable", UNREACH.HOST, 0)).toBe("Destination Host Unreachable");
    expect(linuxIcmpErrorText("destUnreachable", UNREACH.FRAG_NEEDED, 1400)).toBe(
      "Frag needed and DF set (mtu = 1400)",
    );
  });

  test("traceroute times and flags", () => {
    expect(threeDecimals(512_345)).toBe("0.512");
    expect(threeDecimals(12_003_999)).toBe("12.003");
    expect(tracerouteFlag(UNREACH.PORT, 0)).toBe("");
    expect(tracerouteFlag(UNREACH.HOST, 0)).toBe(" !H");
    expect(tracerouteFlag(UNREACH.FRAG_NEEDED, 1400)).toBe(" !F-1400");
  });

  test("tracepath guesses the hops back from the TTL a reply arrives with", () => {
    expect(hopsBack(255)).toBe(1);
    expect(hopsBack(253)).toBe(3);
    expect(hopsBack(126)).toBe(3);
    expect(hopsBack(62)).toBe(3);
  });

  test("interface names and MACs", () => {
    expect(linuxInterfaceName("Ethernet0")).toBe("eth0");
    expect(linuxInterfaceName("Ethernet12")).toBe("eth12");
    expect(linuxMac(0xaabbcc000300)).toBe("aa:bb:cc:00:03:00");
  });

  test("ping options as getopt reads them, with iputils' messages", () => {
    expect(parseLinuxPing("-c3 -s 1400 -M do -t 5 -W 2 10.0.0.1")).toEqual({
      target: 0x0a000001,
      count: 3,
      dataBytes: 1400,
      ttl: 5,
      lingerSec: 2,
      pmtu: "do",
    });
    expect(parseLinuxPing("10.0.0.1")).toMatchObject({ count: Number.POSITIVE_INFINITY, dataBytes: 56, ttl: 64 });
    expect(parseLinuxPing("-x 10.0.0.1")).toBe("ping: invalid option -- 'x'");
    expect(parseLinuxPing("-c")).toBe("ping: option requires an argument -- 'c'");
    expect(parseLinuxPing("-M maybe 10.0.0.1")).toBe("ping: invalid -M argument: maybe");
    expect(parseLinuxPing("-s 70000 10.0.0.1")).toBe(
      "ping: invalid argument: '70000': out of range: 0 <= value <= 65507",
    );
    expect(parseLinuxPing("-c 2")).toBe("ping: usage error: Destination address required");
    expect(parseLinuxPing("nowhere")).toBe("ping: nowhere: Name or service not known");
  });

  test("traceroute and tracepath options", () => {
    expect(parseLinuxTraceroute("-n -q 1 -m 5 -w 2 10.0.0.1")).toEqual({
      target: 0x0a000001,
      firstTtl: 1,
      maxTtl: 5,
      probes: 1,
      waitSec: 2,
      numeric: true,
      port: 33434,
    });
    expect(parseLinuxTraceroute("")).toBe('Specify "host" missing argument.');
    expect(parseLinuxTracepath("-m 3 10.0.0.1")).toEqual({ target: 0x0a000001, maxHops: 3, port: 44444 });
    expect(parseLinuxTracepath("-z 10.0.0.1")).toBe("tracepath: invalid option -- 'z'");
  });
});

describe("Windows formats", () => {
  test("tracert columns are nine characters: <1 ms, N ms, *", () => {
    expect(tracertColumn(0)).toBe("    <1 ms");
    expect(tracertColumn(2)).toBe("     2 ms");
    expect(tracertColumn(1234)).toBe("  1234 ms");
    expect(tracertColumn(null)).toBe("     *   ");
    expect(`  2${tracertColumn(null).repeat(3)}  Request timed out.`).toBe(
      "  2     *        *        *     Request timed out.",
    );
  });

  test("ipconfig's labels put the colon in column 37 with dots in the odd columns", () => {
    expect(ipconfigLabel("IPv4 Address")).toBe("   IPv4 Address. . . . . . . . . . . : ");
    expect(ipconfigLabel("Subnet Mask")).toBe("   Subnet Mask . . . . . . . . . . . : ");
    expect(ipconfigLabel("Default Gateway")).toBe("   Default Gateway . . . . . . . . . : ");
    expect(ipconfigLabel("Physical Address")).toBe("   Physical Address. . . . . . . . . : ");
    expect(windowsPhysicalAddress(0xaabbcc000100)).toBe("AA-BB-CC-00-01-00");
  });

  test("route print's metrics are Windows 10's automatic interface metrics", () => {
    expect(windowsInterfaceMetric(1e9)).toBe(25);
    expect(windowsInterfaceMetric(100e6)).toBe(35);
    expect(windowsInterfaceMetric(10e6)).toBe(50);
    expect(windowsInterfaceMetric(1_544_000)).toBe(55);
  });

  test("ping and tracert options", () => {
    expect(parseWindowsPing("-t -l 1000 -i 3 -w 500 10.0.0.1")).toMatchObject({
      count: Number.POSITIVE_INFINITY,
      dataBytes: 1000,
      ttl: 3,
      timeoutMs: 500,
    });
    expect(parseWindowsPing("-n 0 10.0.0.1")).toBe("Bad value for option -n, valid range is from 1 to 4294967295.");
    expect(parseWindowsPing("")).toContain("Usage: ping [-t] [-n count] [-l size] [-f] [-i TTL] [-w timeout]");
    expect(parseWindowsTracert("-d -h 5 -w 100 10.0.0.1")).toEqual({ target: 0x0a000001, maxHops: 5, timeoutMs: 100 });
    expect(parseWindowsTracert("-x 10.0.0.1")).toContain("Bad option -x.");
    expect(parseWindowsTracert("nowhere")).toBe("Unable to resolve target system name nowhere.");
  });
});
