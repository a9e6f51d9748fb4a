// Named callbacks on top of a device's virtual-clock timers. The runtime only
// knows timer tags (they appear in the trace); this maps each tag to the code
// that armed it, so a device can write `timers.after(2e9, "ping", fn)`.

import type { DeviceContext, TimeNs, TimerId } from "./device.ts";

/** A timer that can be cancelled. */
export interface TimerHandle {
  cancel(): void;
}

/** Callback timers of one device. */
export class DeviceTimers {
  private readonly callbacks = new Map<string, { id: TimerId; fn: () => void }>();
  private counter = 0;

  constructor(private readonly ctx: DeviceContext) {}

  /** Calls fn after delayNs of virtual time; `name` shows in traces. */
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle {
    const tag = `${name}#${++this.counter}`;
    const id = this.ctx.schedule(delayNs, tag);
    this.callbacks.set(tag, { id, fn });
    return {
      cancel: () => {
        const entry = this.callbacks.get(tag);
        if (entry === undefined) return;
        this.ctx.cancel(entry.id);
        this.callbacks.delete(tag);
      },
    };
  }

  /** Runs the callback of a fired timer; false if the tag is not ours (or was cancelled). */
  fire(tag: string): boolean {
    const entry = this.callbacks.get(tag);
    if (entry === undefined) return false;
    this.callbacks.delete(tag);
    entry.fn();
    return true;
  }
}
