// `ip nat outside source static GLOBAL LOCAL`: an outside host's real address
// (outside global) shown to the inside as another (outside local). On the way
// out the destination LOCAL becomes GLOBAL, on the way in the source GLOBAL
// becomes LOCAL, with the inside source translation (PAT here) at the same
// time; flow entries carry both outside addresses; ICMP errors have the
// quoted outside end translated back; every checksum is checked by the wire
// parsers after each rewrite.

import { describe, expect, test } from "bun:test";
import { translationLine } from "../../../src/config/nat/show-nat.ts";
import { echo, type Harness, harness, icmpError, ip, quoted, udp, verify } from "./nat-harness.ts";

/** PAT of 10.0.0.0/24, and the outside server 198.51.100.2 seen inside as 10.0.0.200. */
function lab(): Harness {
  const h = harness();
  h.acl("1", "permit 10.0.0.0 0.0.0.255");
  h.nat.config.setDynamic({ kind: "list", name: "1" }, { kind: "interface", interface: "GigabitEthernet0/1" }, true);
  h.nat.config.outsideStatics.push({ global: ip("198.51.100.2"), local: ip("10.0.0.200"), addRoute: false });
  return h;
}

describe("outside source static", () => {
  test("out: destination local -> global; in: source global -> local; the flow shows all four columns", () => {
    const h = lab();
    const query = udp("10.0.0.1", 4000, "10.0.0.200", 53);
    expect(h.out(query)).toBe(true);
    expect(verify(query)).toEqual({ src: "203.0.113.1", dst: "198.51.100.2", sport: 4000, dport: 53 });
    const [entry] = h.nat.table.all();
    expect(translationLine(entry!)).toBe(
      "udp 203.0.113.1:4000   10.0.0.1:4000      10.0.0.200:53      198.51.100.2:53",
    );
    const answer = udp("198.51.100.2", 53, "203.0.113.1", 4000);
    expect(h.in(answer)).toBe(true);
    expect(verify(answer)).toEqual({ src: "10.0.0.200", dst: "10.0.0.1", sport: 53, dport: 4000 });
    expect(h.nat.stats).toMatchObject({ misses: 1, hits: 1 });
  });

  test("without an inside translation only the outside end is rewritten", () => {
    const h = lab();
    h.acls.delete("1");
    const d = echo("10.0.0.1", "10.0.0.200", 3);
    h.out(d);
    expect(verify(d)).toMatchObject({ src: "10.0.0.1", dst: "198.51.100.2" });
    const back = echo("198.51.100.2", "10.0.0.1", 3, "echoReply");
    h.in(back);
    expect(verify(back)).toMatchObject({ src: "10.0.0.200", dst: "10.0.0.1" });
    expect(h.nat.table.size).toBe(0);
  });

  test("other outside hosts are left alone", () => {
    const h = lab();
    const d = udp("10.0.0.1", 4000, "198.51.100.9", 53);
    h.out(d);
    expect(verify(d).dst).toBe("198.51.100.9");
    const [entry] = h.nat.table.all();
    expect([entry!.outsideLocal, entry!.outsideGlobal]).toEqual([ip("198.51.100.9"), ip("198.51.100.9")]);
  });

  test("an ICMP error from the outside quotes the outside global end; the inside gets the local one", () => {
    const h = lab();
    const d = udp("10.0.0.1", 4000, "10.0.0.200", 53);
    h.out(d);
    // A router on the way answers about what it saw (the translated datagram).
    const err = icmpError("198.51.100.254", "203.0.113.1", d, "timeExceeded");
    expect(h.in(err)).toBe(true);
    expect(verify(err).dst).toBe("10.0.0.1");
    expect(quoted(err)).toMatchObject({ src: "10.0.0.1", dst: "10.0.0.200", sport: 4000, dport: 53, headerOk: true });
    // The server itself answering port unreachable: its own address is translated too.
    const d2 = udp("10.0.0.1", 4001, "10.0.0.200", 9);
    h.out(d2);
    const unreach = icmpError("198.51.100.2", "203.0.113.1", d2, "portUnreachable");
    h.in(unreach);
    expect(verify(unreach)).toMatchObject({ src: "10.0.0.200", dst: "10.0.0.1" });
    expect(quoted(unreach)).toMatchObject({ src: "10.0.0.1", dst: "10.0.0.200", headerOk: true });
  });

  test("removing the mapping removes the flows that used it", () => {
    const h = lab();
    h.out(udp("10.0.0.1", 4000, "10.0.0.200", 53));
    h.out(udp("10.0.0.1", 4000, "198.51.100.9", 53));
    const m = h.nat.config.outsideStatics.pop()!;
    h.nat.outsideStaticRemoved(m);
    expect(h.nat.table.all().map((e) => e.outsideGlobal)).toEqual([ip("198.51.100.9")]);
  });
});
