// Frame events crossing between the lab and its Workers, packed side by side
// in one binary block that rides in the msgpack message as a single binary
// field: per frame six float64 numbers (time, sender, sequence, receiver,
// port, length), then all the frame bytes. msgpack spends microseconds per
// event on field names and a binary per frame; this is six numbers and one
// copy of the bytes. Other events (commands, carrier, wire changes) stay
// msgpack records. The events' order within a batch does not matter: the
// receiving partition orders everything by event key.

import { EventKind, frameEvent, type SimEvent } from "./sim-event.ts";

const FIELDS = 6;

/** Splits events into the frames (packed into one block, or null if none) and the others. */
export function packFrameEvents(events: readonly SimEvent[]): { others: SimEvent[]; frames: Uint8Array | null } {
  const others: SimEvent[] = [];
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === EventKind.Frame && e.bytes !== undefined) {
      count++;
      bytes += e.bytes.length;
    } else {
      others.push(e);
    }
  }
  if (count === 0) return { others, frames: null };
  const headerBytes = 8 + count * FIELDS * 8;
  const body = new Uint8Array(headerBytes + bytes);
  const view = new DataView(body.buffer);
  view.setFloat64(0, count, true);
  let h = 8;
  let at = headerBytes;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind !== EventKind.Frame || e.bytes === undefined) continue;
    view.setFloat64(h, e.atNs, true);
    view.setFloat64(h + 8, e.senderId, true);
    view.setFloat64(h + 16, e.seq, true);
    view.setFloat64(h + 24, e.receiverId, true);
    view.setFloat64(h + 32, e.port, true);
    view.setFloat64(h + 40, e.bytes.length, true);
    h += FIELDS * 8;
    body.set(e.bytes, at);
    at += e.bytes.length;
  }
  return { others, frames: body };
}

/** Appends the frame events of a block made by packFrameEvents; each frame gets its own copy of its bytes. */
export function unpackFrameEvents(block: Uint8Array, into: SimEvent[]): void {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const count = view.getFloat64(0, true);
  let h = 8;
  let at = 8 + count * FIELDS * 8;
  for (let i = 0; i < count; i++) {
    const length = view.getFloat64(h + 40, true);
    into.push(
      frameEvent(
        view.getFloat64(h, true),
        view.getFloat64(h + 8, true),
        view.getFloat64(h + 16, true),
        view.getFloat64(h + 24, true),
        view.getFloat64(h + 32, true),
        block.slice(at, at + length),
      ),
    );
    h += FIELDS * 8;
    at += length;
  }
}
