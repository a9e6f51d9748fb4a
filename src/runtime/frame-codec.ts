// msgpack encoding of what crosses between the lab coordinator and its Workers:
// batches of events (frames carry their real bytes as msgpack binary) and window
// results. One buffer per message, transferred rather than copied.

import { Packr } from "msgpackr";

const packr = new Packr({ useRecords: false, moreTypes: false });

/** Encodes a message into a standalone ArrayBuffer that can be transferred. */
export function encodeMessage(value: unknown): ArrayBuffer {
  const packed = packr.pack(value);
  // Packr may return a view into a shared buffer: copy to an exact, owned ArrayBuffer.
  const owned = new Uint8Array(packed.length);
  owned.set(packed);
  return owned.buffer;
}

/** Decodes a message produced by encodeMessage. */
export function decodeMessage<T>(buffer: ArrayBuffer | Uint8Array): T {
  return packr.unpack(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer)) as T;
}
