// `passive-interface {default | IF}` under a routing process (OSPF, RIP, EIGRP):
// one flag for the default and the interfaces that differ from it, so that
// under `passive-interface default` the exceptions are the active interfaces.

import type { Args } from "./cli/grammar.ts";
import type { CommandContext, HandlerResult } from "./cli/modes.ts";
import type { RouterDevice } from "./router/router-device.ts";

/** The part of a routing process's configuration that `passive-interface` edits. */
export interface PassiveInterfaces {
  passiveDefault: boolean;
  /** Interfaces that differ from passiveDefault. */
  readonly passiveExceptions: Set<string>;
}

/** Applies `[no] passive-interface {default | IF}` (arguments `default` or `ifc`). */
export function applyPassiveInterface(c: PassiveInterfaces, a: Args, ctx: CommandContext<RouterDevice>): HandlerResult {
  if (a.default === true) {
    c.passiveDefault = !ctx.negated;
    c.passiveExceptions.clear();
    return;
  }
  const name = String(a.ifc);
  if (ctx.device.stack.interface(name) === undefined) return "% Invalid interface";
  if (ctx.negated === c.passiveDefault) c.passiveExceptions.add(name);
  else c.passiveExceptions.delete(name);
}

/** Running-config lines, the exceptions in the router's interface order (RIP and EIGRP print them so). */
export function passiveInterfaceLines(c: PassiveInterfaces, device: RouterDevice): string[] {
  const lines = c.passiveDefault ? [" passive-interface default"] : [];
  const order = device.interfaces().map((i) => i.name);
  for (const name of [...c.passiveExceptions].sort((a, b) => order.indexOf(a) - order.indexOf(b)))
    lines.push(c.passiveDefault ? ` no passive-interface ${name}` : ` passive-interface ${name}`);
  return lines;
}
