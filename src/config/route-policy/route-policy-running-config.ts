// The running-config sections of the route policy objects, in IOS's places:
// prefix lists after the named access lists, route maps after the numbered
// ones, each section closed by `!`.

import { prefixListConfigLines } from "../../dataplane/prefix-list.ts";
import { routeMapConfigLines } from "../../dataplane/route-map.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { routePolicy } from "./route-policy-store.ts";

/** `ip prefix-list ...` lines (lists in name order), then `!`; nothing when there are none. */
export function prefixListRunningLines(device: RouterDevice): string[] {
  const lists = [...routePolicy(device).prefixLists.values()].sort((a, b) => a.name.localeCompare(b.name));
  const lines = lists.flatMap(prefixListConfigLines);
  return lines.length === 0 ? [] : [...lines, "!"];
}

/** `route-map ...` blocks (maps in name order, entries in sequence order), each entry followed by `!`. */
export function routeMapRunningLines(device: RouterDevice): string[] {
  const maps = [...routePolicy(device).routeMaps.values()].sort((a, b) => a.name.localeCompare(b.name));
  return maps.flatMap(routeMapConfigLines);
}
