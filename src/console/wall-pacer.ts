// Maps the wall clock onto lab time for the interactive console. The lab
// follows the wall clock; a console command runs as fast as the lab can go
// (lab.command drives virtual time itself), so afterwards the lab may be
// ahead. The pacer then carries on from where the command left the lab
// instead of freezing it until the wall clock catches up.

import type { TimeNs } from "../runtime/device.ts";

/** Virtual time the lab should have reached, given a wall clock in nanoseconds. */
export class WallPacer {
  private offsetNs = 0;
  private readonly originNs: TimeNs;

  /** `wallNs` reads a monotonic wall clock in nanoseconds (performance.now() * 1e6 in the CLI). */
  constructor(private readonly wallNs: () => number) {
    this.originNs = wallNs();
  }

  /** Wall time since the pacer started. */
  elapsedNs(): TimeNs {
    return this.wallNs() - this.originNs;
  }

  /** The virtual time the lab should be at now. */
  target(): TimeNs {
    return Math.floor(this.elapsedNs() + this.offsetNs);
  }

  /** After the lab got ahead of the wall clock (a command ran at full speed), keep going from there. */
  catchUp(labNowNs: TimeNs): void {
    const elapsed = this.elapsedNs();
    if (labNowNs > elapsed + this.offsetNs) this.offsetNs = labNowNs - elapsed;
  }
}
