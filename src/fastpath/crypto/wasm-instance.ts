// Loads a crypto Wasm module from wasm/build/ (compiled once per process,
// instantiated once per wrapper object) and manages its linear memory as a
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
