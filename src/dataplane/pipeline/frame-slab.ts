// Where the frames a device builds come from: small frames are carved out of
// a shared slab rather than given arrays of their own. In Bun
// (JavaScriptCore) a small array of its own gets an ArrayBuffer only when a
// view is taken of it, and that costs several times the allocation, while the
// devices that receive a frame take views of it (the datagram, its payload).
// Each frame is its own region of the slab: nothing writes past a frame's
// ends (IpStack.frameAround re-frames only within the frame received).

/** Frames up to this size are carved out of a shared slab. */
const SLAB_FRAME_MAX = 2048;
const SLAB_BYTES = 256 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/** A zeroed frame of `length` bytes for this device to fill and send. */
export function newFrame(length: number): Uint8Array {
  if (length > SLAB_FRAME_MAX) return new Uint8Array(length);
  const size = (length + 7) & ~7;
  if (slabUsed + size > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const frame = new Uint8Array(slab, slabUsed, length);
  slabUsed += size;
  return frame;
}
