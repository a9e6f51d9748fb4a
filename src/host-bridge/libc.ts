// The few libc calls a host TAP needs (open, ioctl, read, write, close and
// errno), bound through Bun's FFI so a fresh machine needs nothing compiled.
// Loaded on first use: a lab without TAPs never touches libc.

import { dlopen, FFIType, type Pointer, read as readPointer } from "bun:ffi";

function load() {
  return dlopen("libc.so.6", {
    open: { args: [FFIType.cstring, FFIType.i32], returns: FFIType.i32 },
    close: { args: [FFIType.i32], returns: FFIType.i32 },
    // ioctl is variadic: every request here passes one pointer (struct ifreq) or one int.
    ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
    read: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
    write: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
    __errno_location: { args: [], returns: FFIType.ptr },
  }).symbols;
}

let symbols: ReturnType<typeof load> | null = null;

/** libc's functions (dlopen'd once). */
export function libc(): ReturnType<typeof load> {
  symbols ??= load();
  return symbols;
}

/** errno of the last failed call on this thread. */
export function errno(): number {
  return readPointer.i32(libc().__errno_location() as Pointer, 0);
}

/** The errno values the bridge tells apart. */
export const Errno = { EPERM: 1, ENOENT: 2, EAGAIN: 11, EACCES: 13, EBUSY: 16, ENODEV: 19, EINVAL: 22 } as const;

/** A C string for FFI (NUL-terminated). */
export function cString(text: string): Uint8Array {
  return new TextEncoder().encode(`${text}\0`);
}
