// ip prefix-list and route-map through IOS lines: the running config prints
// them in IOS's form and loads back the same, sequence numbers as IOS gives
// them, the no forms, IOS's refusals, and the shows reading the state.

import { describe, expect, test } from "bun:test";
import { routePolicy, routePolicyLookups } from "../../../src/config/route-policy/index.ts";
import { renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { evaluateRouteMap, type RouteType } from "../../../src/dataplane/route-map.ts";
import { routerSession } from "../router/router-session.ts";

const CONFIG = [
  "access-list 1 permit 10.0.0.0 0.255.255.255",
  "ip prefix-list DEFAULT permit 0.0.0.0/0",
  "ip prefix-list DEFAULT description default only",
  "ip prefix-list SPOKES seq 10 permit 192.168.0.0/16 ge 24 le 24",
  "ip prefix-list SPOKES deny 10.1.1.1/8 le 16",
  "route-map COND permit 10",
  " description default when the LAN is up",
  " match ip address prefix-list DEFAULT",
  " match interface GigabitEthernet0/0",
  " set metric 5",
  "route-map COND deny 20",
  " match ip address 1",
  "route-map PBR permit 10",
  " match ip address 1",
  " set interface Serial0/0",
  " set metric 1544 2000 255 1 1500",
];

function configured() {
  const r = routerSession();
  expect(r.load(CONFIG)).toEqual([]);
  return r;
}

const policyPart = (text: string): string =>
  text
    .split("\n")
    .filter((l) => /^(ip prefix-list|route-map| (match|set|description)|access-list|!)/.test(l))
    .join("\n")
    .replace(/(!\n)+/g, "!\n");

describe("route policy commands", () => {
  test("the running config prints prefix lists after the named ACLs and route maps after the numbered ones", () => {
    const r = configured();
    const run = renderRunningConfig(r.device);
    const body = run.slice(run.indexOf("ip prefix-list"), run.indexOf("end\n"));
    expect(body).toBe(
      [
        "ip prefix-list DEFAULT description default only",
        "ip prefix-list DEFAULT seq 5 permit 0.0.0.0/0",
        "ip prefix-list SPOKES seq 10 permit 192.168.0.0/16 ge 24 le 24",
        "ip prefix-list SPOKES seq 15 deny 10.0.0.0/8 le 16",
        "!",
        "access-list 1 permit 10.0.0.0 0.255.255.255",
        "!",
        "route-map COND permit 10",
        " description default when the LAN is up",
        " match ip address prefix-list DEFAULT",
        " match interface GigabitEthernet0/0",
        " set metric 5",
        "!",
        "route-map COND deny 20",
        " match ip address 1",
        "!",
        "route-map PBR permit 10",
        " match ip address 1",
        " set metric 1544 2000 255 1 1500",
        " set interface Serial0/0",
        "!",
        "",
      ].join("\n"),
    );
    // Loaded into a fresh router, it prints the same.
    const again = routerSession();
    expect(again.load(run.split("\n").filter((l) => !/^(Building|Current configuration)/.test(l)))).toEqual([]);
    expect(policyPart(renderRunningConfig(again.device))).toBe(policyPart(run));
  });

  test("what was typed is what the evaluator uses", () => {
    const r = configured();
    const map = routePolicy(r.device).routeMaps.get("COND")!;
    const lookups = routePolicyLookups(r.device);
    const def = evaluateRouteMap(map, { route: { prefix: 0, length: 0 }, interface: "GigabitEthernet0/0" }, lookups);
    expect(def.permit).toBe(true);
    expect(def.entry?.set.metric).toBe(5);
    const ten = evaluateRouteMap(map, { route: { prefix: 0x0a000000, length: 8 } }, lookups);
    expect(ten).toMatchObject({ permit: false, entry: { sequence: 20 } });
    r.load(["route-map COND permit 10", " no match interface"]);
    expect(evaluateRouteMap(map, { route: { prefix: 0, length: 0 }, interface: "Serial0/0" }, lookups).permit).toBe(
      true,
    );
  });

  test("no forms: one entry by sequence, by its text, the description, the whole list or map", () => {
    const r = configured();
    const lists = routePolicy(r.device).prefixLists;
    r.load(["no ip prefix-list SPOKES seq 10"]);
    expect(lists.get("SPOKES")!.entries.map((e) => e.sequence)).toEqual([15]);
    r.load(["no ip prefix-list SPOKES deny 10.0.0.0/8 le 16"]);
    expect(lists.has("SPOKES")).toBe(false);
    r.load(["no ip prefix-list DEFAULT description"]);
    expect(lists.get("DEFAULT")!.description).toBeUndefined();
    r.load(["no ip prefix-list DEFAULT"]);
    expect(lists.size).toBe(0);
    const maps = routePolicy(r.device).routeMaps;
    r.load(["no route-map COND permit 10"]);
    expect(maps.get("COND")!.entries.map((e) => e.sequence)).toEqual([20]);
    r.load(["no route-map PBR"]);
    expect([...maps.keys()]).toEqual(["COND"]);
    r.load(["route-map COND deny 20", " no match ip address", " no set metric"]);
    expect(maps.get("COND")!.entries[0]!.match.ipAddressAcls).toEqual([]);
  });

  test("IOS's refusals", () => {
    const r = routerSession();
    expect(r.load(["ip prefix-list X permit 10.0.0.0/8 ge 8"]).join("\n")).toContain(
      "% Invalid prefix range for 10.0.0.0/8, make sure: len < ge-value <= le-value",
    );
    expect(r.load(["ip prefix-list X permit 10.0.0.0/8 ge 24 le 16"]).join("\n")).toContain("Invalid prefix range");
    r.load(["ip prefix-list X seq 5 permit 10.0.0.0/8"]);
    expect(r.load(["ip prefix-list X seq 7 permit 10.0.0.0/8"]).join("\n")).toContain("% Duplicated prefix-list entry");
    expect(r.load(["no ip prefix-list X seq 99"]).join("\n")).toContain("% Can't find specified prefix-list entry");
    r.load(["route-map M permit 10", "route-map M permit 20"]);
    expect(r.load(["route-map M"]).join("\n")).toContain("% Please specify the entry by its sequence");
    expect(r.load(["route-map M permit 10", " match interface Bogus9"]).join("\n")).toContain("% Invalid interface");
    expect(r.load(["route-map M permit 10", " match ip address 300"]).join("\n")).toContain("% Invalid access list");
    expect(r.load(["route-map M permit 10", " set weight 5"]).join("\n")).toContain("^");
  });

  test("a route-map typed without sequence is entry 10, or the one entry it has", () => {
    const r = routerSession();
    r.load(["route-map A", " set metric 3"]);
    r.load(["route-map B permit 30", "route-map B deny", " set metric 4"]);
    const maps = routePolicy(r.device).routeMaps;
    expect(maps.get("A")!.entries.map((e) => [e.sequence, e.action, e.set.metric])).toEqual([[10, "permit", 3]]);
    expect(maps.get("B")!.entries.map((e) => [e.sequence, e.action, e.set.metric])).toEqual([[30, "deny", 4]]);
  });

  test("show ip prefix-list and show route-map print what is held, with hit counts and counters", () => {
    const r = configured();
    expect(r.run("show ip prefix-list")).toBe(
      [
        "ip prefix-list DEFAULT: 1 entries",
        "   Description: default only",
        "   seq 5 permit 0.0.0.0/0",
        "ip prefix-list SPOKES: 2 entries",
        "   seq 10 permit 192.168.0.0/16 ge 24 le 24",
        "   seq 15 deny 10.0.0.0/8 le 16",
        "",
      ].join("\n"),
    );
    const map = routePolicy(r.device).routeMaps.get("COND")!;
    evaluateRouteMap(map, { route: { prefix: 0, length: 0 } }, routePolicyLookups(r.device));
    expect(r.run("show ip prefix-list detail DEFAULT")).toBe(
      [
        "ip prefix-list DEFAULT:",
        "   Description: default only",
        "   count: 1, range entries: 0, sequences: 5 - 5",
        "   seq 5 permit 0.0.0.0/0 (hit count: 1)",
        "",
      ].join("\n"),
    );
    expect(r.run("show ip prefix-list summary SPOKES")).toContain("count: 2, range entries: 2, sequences: 10 - 15");
    expect(r.run("show route-map PBR")).toBe(
      [
        "route-map PBR, permit, sequence 10",
        "  Match clauses:",
        "    ip address (access-lists): 1 ",
        "  Set clauses:",
        "    metric 1544 2000 255 1 1500",
        "    interface Serial0/0",
        "  Policy routing matches: 0 packets, 0 bytes",
        "",
      ].join("\n"),
    );
    expect(r.run("show route-map COND")).toContain(
      "    ip address prefix-lists: DEFAULT \n    interface GigabitEthernet0/0 ",
    );
    expect(r.run("show route-map NONE")).toBe("%route-map NONE not found\n");
  });
});

describe("route-map tags and metric types (redistribution)", () => {
  test("match tag, set tag and set metric-type: running config round trip, show, evaluation, no forms", () => {
    const r = routerSession();
    const lines = [
      "route-map OSPF-TO-RIP deny 10",
      " match tag 120 130",
      "route-map OSPF-TO-RIP permit 20",
      " set metric-type type-1",
      " set tag 110",
    ];
    expect(r.load(lines)).toEqual([]);
    const run = renderRunningConfig(r.device);
    expect(policyPart(run.slice(run.indexOf("route-map")))).toContain(
      [...lines.slice(0, 2), "!", lines[2], " set metric-type type-1", " set tag 110", "!"].join("\n"),
    );
    const map = routePolicy(r.device).routeMaps.get("OSPF-TO-RIP")!;
    const lookups = routePolicyLookups(r.device);
    const route = { prefix: 0x0a000000, length: 8 };
    expect(evaluateRouteMap(map, { route, tag: 130 }, lookups).permit).toBe(false);
    const untagged = evaluateRouteMap(map, { route }, lookups);
    expect([untagged.permit, untagged.entry?.set.tag, untagged.entry?.set.metricType]).toEqual([true, 110, 1]);
    expect(r.run("show route-map OSPF-TO-RIP")).toContain("  Match clauses:\n    tag 120 130 \n  Set clauses:\n");
    expect(r.run("show route-map OSPF-TO-RIP")).toContain("    metric-type type-1\n    tag 110\n");
    expect(r.load(["route-map OSPF-TO-RIP deny 10", " no match tag 120", " match tag x"])).toHaveLength(1);
    expect(map.entries[0]!.match.tags).toEqual([130]);
    expect(r.load(["route-map OSPF-TO-RIP permit 20", " no set tag", " set metric-type type-3"])).toHaveLength(1);
    expect(map.entries[1]!.set.tag).toBeUndefined();
  });
});

describe("match route-type", () => {
  test("one type per line, external covering both metric types; running config, show, no form", () => {
    const r = routerSession();
    const lines = ["route-map EXT permit 10", " match route-type external type-2", " match route-type internal"];
    expect(r.load(lines)).toEqual([]);
    const run = renderRunningConfig(r.device);
    expect(run).toContain(`${lines.join("\n")}\n!`);
    const map = routePolicy(r.device).routeMaps.get("EXT")!;
    const lookups = routePolicyLookups(r.device);
    const route = { prefix: 0x0a000000, length: 8 };
    const permits = (routeType?: RouteType) =>
      evaluateRouteMap(map, { route, ...(routeType ? { routeType } : {}) }, lookups).permit;
    expect([permits("external type-2"), permits("internal"), permits("external type-1"), permits()]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(
      r.load(["route-map EXT permit 10", " no match route-type external type-2", " match route-type external"]),
    ).toEqual([]);
    expect([permits("external type-1"), permits("nssa-external type-1")]).toEqual([true, false]);
    expect(r.run("show route-map EXT")).toContain("    route-type internal external \n");
    expect(r.load(["route-map EXT permit 10", " match route-type internal type-1"])).toHaveLength(1);
  });
});
