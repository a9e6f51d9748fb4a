// The device's logging buffer (`logging buffered [size] [level]`, `show
// logging`): syslog and debug lines with IOS timestamps, kept while they fit
// in the buffer's size in bytes (oldest dropped first, as IOS's circular
// buffer does) and only at or above its severity level (a debug line is level
// 7, a `%FAC-N-MNEMONIC` message level N).

import type { TimeNs } from "../runtime/device.ts";
import { logTimestamp } from "./ios-clock.ts";

/** IOS 15's default buffer size in bytes. */
export const DEFAULT_LOG_BUFFER_BYTES = 8192;
/** Severity names by level, as `logging buffered` takes and `show logging` prints them. */
export const SEVERITY_NAMES = [
  "emergencies",
  "alerts",
  "critical",
  "errors",
  "warnings",
  "notifications",
  "informational",
  "debugging",
] as const;
/** `debugging`: everything is buffered. */
export const DEFAULT_LOG_BUFFER_LEVEL = 7;

/** The severity of a buffered line: N of `%FAC-N-MNEMONIC:`, 7 for debug output. */
export function severityOf(text: string): number {
  const m = /^%[A-Z0-9_]+-([0-7])-[A-Z0-9_]+:/.exec(text);
  return m === null ? 7 : Number(m[1]);
}

/** Timestamped log lines of one device. */
export class LoggingBuffer {
  private lines: string[] = [];
  private bytes = 0;
  /** Messages buffered since boot (show logging's buffer "messages logged"). */
  logged = 0;
  /** Every message and debug line since boot, buffered or not (the console's count). */
  total = 0;
  /** `logging buffered <size>`: bytes of text kept. */
  maxBytes = DEFAULT_LOG_BUFFER_BYTES;
  /** `logging buffered <level>`: the highest severity number kept. */
  level = DEFAULT_LOG_BUFFER_LEVEL;

  /** Adds a line if its severity is buffered; returns it with its timestamp (`stamp` overrides the default; null prints none). */
  add(atNs: TimeNs, text: string, stamp: string | null = logTimestamp(atNs)): string {
    const line = stamp === null ? text : `${stamp}: ${text}`;
    this.total++;
    if (severityOf(text) > this.level) return line;
    this.lines.push(line);
    this.bytes += line.length + 1;
    this.logged++;
    this.trim();
    return line;
  }

  /** `logging buffered [size] [level]`: a new size drops what no longer fits. */
  configure(maxBytes: number, level: number): void {
    this.maxBytes = maxBytes;
    this.level = level;
    this.trim();
  }

  /** Buffered lines, oldest first. */
  entries(): readonly string[] {
    return this.lines;
  }

  /** `clear logging`. */
  clear(): void {
    this.lines = [];
    this.bytes = 0;
  }

  private trim(): void {
    let drop = 0;
    while (this.bytes > this.maxBytes && drop < this.lines.length) this.bytes -= this.lines[drop++]!.length + 1;
    if (drop > 0) this.lines.splice(0, drop);
  }
}
