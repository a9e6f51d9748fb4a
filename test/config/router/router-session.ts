// A router on the fake context with a CLI session over the real router
// command table: tests type exec and config lines as a user would and read
// what IOS prints, or load config text and read the load errors.

import { CliSession } from "../../../src/config/cli/modes.ts";
import { routerCommandTable } from "../../../src/config/router/router-commands.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import { type FakeContext, type FakePort, fakeRouter } from "./fake-context.ts";

/** The router, its context and a privileged session. */
export interface RouterSession {
  device: RouterDevice;
  ctx: FakeContext;
  session: CliSession<RouterDevice>;
  /** Loads config lines; each error as the loader reports it (echoed line, caret line, IOS message). */
  load(lines: string[]): string[];
  /** Runs one interactive line; what IOS prints. */
  run(line: string): string;
}

const DEFAULT_PORTS: FakePort[] = [
  { name: "GigabitEthernet0/0", kind: "ethernet" },
  { name: "Serial0/0", kind: "serial" },
];

/** A router named `name` with the given ports (Gi0/0 and Serial0/0 by default). */
export function routerSession(name = "R1", ports: FakePort[] = DEFAULT_PORTS): RouterSession {
  const { device, ctx } = fakeRouter(name, ports);
  const session = new CliSession(routerCommandTable(), { device, hostname: () => device.hostname, privileged: true });
  return {
    device,
    ctx,
    session,
    load: (lines) => session.loadConfig(lines.join("\n")).map((e) => e.message),
    run: (line) => session.execute(line).output,
  };
}
