// Loads a crypto Wasm module from wasm/build/ (compiled once per process,
// instances shared through a small pool per module) and manages its linear memory as a
// per-call bump arena: a wrapper lays out its item table and buffers above the
// module's static data, copies inputs in, calls the batch export, copies out.
import { readFileSync } from "node:fs";

const compiled = new Map<string, WebAssembly.Module>();

function moduleFor(name: string): WebAssembly.Module {
  let mod = compiled.get(name);
  if (!mod) {
    const url = new URL(`../../../wasm/build/${name}.wasm`, import.meta.url);
    mod = new WebAssembly.Module(readFileSync(url));
    compiled.set(name, mod);
  }
  return mod;
}

/** One instance of a crypto module with a bump arena over its memory. */
export class WasmArena<E> {
  /** The module's exports (batch functions). */
  readonly exports: E;
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private top = 0;
  /** Byte view of memory; refreshed when memory grows. */
  u8: Uint8Array;
  /** Word view of memory; refreshed when memory grows. */
  u32: Uint32Array;

  constructor(name: string) {
    const instance = new WebAssembly.Instance(moduleFor(name), {
      env: {
        abort: () => {
          throw new Error(`${name}: wasm abort`);
        },
      },
    });
    const exports = instance.exports as Record<string, unknown>;
    this.memory = exports.memory as WebAssembly.Memory;
    this.exports = exports as E;
    this.base = (exports.heapStart as () => number)();
    this.u8 = new Uint8Array(this.memory.buffer);
    this.u32 = new Uint32Array(this.memory.buffer);
  }

  /** Starts a call: everything allocated by the previous call is free again. */
  reset(): void {
    this.top = this.base;
  }

  /** Reserves len bytes (16-aligned) and returns their offset, growing memory if needed. */
  alloc(len: number): number {
    const at = this.top;
    this.top = (at + len + 15) & ~15;
    if (this.top > this.memory.buffer.byteLength) {
      const pages = Math.ceil((this.top - this.memory.buffer.byteLength) / 65536);
      this.memory.grow(pages);
      this.u8 = new Uint8Array(this.memory.buffer);
      this.u32 = new Uint32Array(this.memory.buffer);
    }
    return at;
  }

  /** Reserves room for data and copies it in; returns the offset. */
  put(data: Uint8Array): number {
    const at = this.alloc(data.length);
    this.u8.set(data, at);
    return at;
  }
}

/**
 * A few instances of one module shared by the many objects that each need one
 * set up their own way (an SA's key schedules, an HMAC's pads, a hash's
 * algorithm). An instance per object cost a WebAssembly memory each, and
 * JavaScriptCore collects garbage before making every new one: with a large
 * heap, tens of milliseconds per SA. An object that finds the instance it last
 * set up taken sets up the least recently used one again (microseconds).
 */
export class WasmArenaPool<E> {
  private readonly slots: Array<{ arena: WasmArena<E>; owner: object | null; usedAt: number }> = [];
  private clock = 0;

  constructor(
    private readonly module: string,
    private readonly capacity = 8,
  ) {}

  /**
   * An instance set up for `owner`: the one it set up last if no one took it since, else a new or
   * the least recently used one, given to `setUp` (false: refused, the instance is left unowned and null returned).
   */
  acquire(owner: object, setUp: (arena: WasmArena<E>) => boolean): WasmArena<E> | null {
    this.clock++;
    for (const s of this.slots) {
      if (s.owner === owner) {
        s.usedAt = this.clock;
        return s.arena;
      }
    }
    let slot =
      this.slots.length < this.capacity ? undefined : this.slots.reduce((a, b) => (b.usedAt < a.usedAt ? b : a));
    if (slot === undefined) this.slots.push((slot = { arena: new WasmArena<E>(this.module), owner: null, usedAt: 0 }));
    slot.owner = null;
    slot.usedAt = this.clock;
    if (!setUp(slot.arena)) return null;
    slot.owner = owner;
    return slot.arena;
  }
}

const pools = new Map<string, WasmArenaPool<unknown>>();

/** The process-wide pool of a module's instances. */
export function arenaPool<E>(module: string): WasmArenaPool<E> {
  let pool = pools.get(module);
  if (pool === undefined) pools.set(module, (pool = new WasmArenaPool<unknown>(module)));
  return pool as WasmArenaPool<E>;
}
