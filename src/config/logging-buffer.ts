// The device's logging buffer (`logging buffered`, `show logging`): syslog and
// debug lines with IOS timestamps, bounded like IOS's 4096-byte default buffer
// (here counted in lines), and echoed to the lab console.

import type { TimeNs } from "../runtime/device.ts";
import { logTimestamp } from "./ios-clock.ts";

/** IOS default buffer is 4096 bytes; we keep whole lines, a few hundred of them. */
const DEFAULT_MAX_LINES = 1000;

/** Timestamped log lines of one device. */
export class LoggingBuffer {
  private lines: string[] = [];
  /** Messages logged since boot (show logging's "messages logged"). */
  logged = 0;

  constructor(private readonly maxLines = DEFAULT_MAX_LINES) {}

  /** Adds a line; returns it with its timestamp (`stamp` overrides the default; null prints none). */
  add(atNs: TimeNs, text: string, stamp: string | null = logTimestamp(atNs)): string {
    const line = stamp === null ? text : `${stamp}: ${text}`;
    this.lines.push(line);
    this.logged++;
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    return line;
  }

  /** Buffered lines, oldest first. */
  entries(): readonly string[] {
    return this.lines;
  }

  /** `clear logging`. */
  clear(): void {
    this.lines = [];
  }
}
