// A router on a fake context with a CLI session, for the crypto command tests:
// `run` gives what the console shows for one line (including what a handler
// writes straight to the console, such as IOS's crypto map NOTE), `load`
// loads a config file as the boot does and returns the error messages.

import { CliSession } from "../../../src/config/cli/modes.ts";
import { routerCommandTable } from "../../../src/config/router/router-commands.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import { configFromShowRun, renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { type FakeContext, type FakePort, fakeRouter } from "../router/fake-context.ts";

/** A test router with its session. */
export interface CryptoRouter {
  device: RouterDevice;
  ctx: FakeContext;
  session: CliSession<RouterDevice>;
  /** Runs one interactive line; returns the console text (streamed output first). */
  run(line: string): string;
  /** Loads a config as at boot; returns each bad line's message (echo, caret, `%` line). */
  load(text: string): string[];
  /** `show running-config` as loadable text. */
  runningConfig(): string;
}

/** Builds a router with the given ports (GigabitEthernet1 and 2 by default). */
export function cryptoRouter(
  name: string,
  ports: FakePort[] = [
    { name: "GigabitEthernet1", kind: "ethernet" },
    { name: "GigabitEthernet2", kind: "ethernet" },
  ],
): CryptoRouter {
  const { device, ctx } = fakeRouter(name, ports);
  const session = new CliSession(routerCommandTable(), { device, hostname: () => device.hostname, privileged: true });
  return {
    device,
    ctx,
    session,
    run(line) {
      const streamed: string[] = [];
      device.output = (t) => streamed.push(t);
      const r = session.execute(line);
      device.output = null;
      return streamed.join("") + r.output;
    },
    load(text) {
      device.booting = true;
      const errors = session.loadConfig(text).map((e) => e.message);
      device.booting = false;
      return errors;
    },
    runningConfig: () => configFromShowRun(renderRunningConfig(device)),
  };
}
