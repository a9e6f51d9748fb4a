// CDP's lines in `show running-config`: `cdp timer`/`cdp holdtime` when not
// the defaults and `cdp run` when on (global), and an interface's `cdp
// enable` / `no cdp enable` where it differs from the kind's default.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { CDP_DEFAULT_HOLDTIME_SEC, CDP_DEFAULT_TIMER_SEC } from "../../protocols/cdp/cdp-process.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { cdpConfig, cdpOverride, cdpProcess } from "./cdp-store.ts";

/** The global CDP lines (then a `!`), or none. */
export function cdpGlobalLines(device: RouterDevice): string[] {
  const c = cdpConfig(device);
  const lines: string[] = [];
  if (c.timerSec !== CDP_DEFAULT_TIMER_SEC) lines.push(`cdp timer ${c.timerSec}`);
  if (c.holdtimeSec !== CDP_DEFAULT_HOLDTIME_SEC) lines.push(`cdp holdtime ${c.holdtimeSec}`);
  if (cdpProcess(device) !== undefined) lines.push("cdp run");
  return lines.length === 0 ? [] : [...lines, "!"];
}

/** The interface's CDP line, if any. */
export function cdpInterfaceLines(ifc: RouterInterface): string[] {
  const o = cdpOverride(ifc);
  return o === undefined ? [] : [o ? " cdp enable" : " no cdp enable"];
}
