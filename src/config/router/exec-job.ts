// Starting an exec job (ping, traceroute, traffic, a host's ping or tracert):
// the job streams its output through the device's console and ends the
// command when it is done; until then it is the device's running job (the one
// Ctrl-C interrupts).

import type { ExecJob, RouterDevice } from "./router-device.ts";

/** Builds a job with the device's output and completion, makes it the running job, and starts it. */
export function startExecJob(
  device: RouterDevice,
  make: (write: (text: string) => void, done: () => void) => ExecJob & { start(): void },
): void {
  const job = make(
    (text) => device.write(text),
    () => {
      device.job = null;
      device.finishCommand();
    },
  );
  device.job = job;
  job.start();
}
