// Frame events packed for the trip between the lab and its Workers come back
// with every key field and byte, through the same msgpack message the Workers
// use; other events travel unchanged beside them.
import { describe, expect, test } from "bun:test";
import { packFrameEvents, unpackFrameEvents } from "../../src/runtime/frame-batch.ts";
import { decodeMessage, encodeMessage } from "../../src/runtime/frame-codec.ts";
import { EventKind, type SimEvent, simEvent } from "../../src/runtime/partition.ts";

describe("frame batches", () => {
  test("frames and other events survive a msgpack round trip", () => {
    const frames: SimEvent[] = [
      simEvent({
        kind: EventKind.Frame,
        atNs: 2 ** 52 + 2,
        senderId: 7,
        seq: 123456789,
        receiverId: 8,
        port: 1,
        bytes: Uint8Array.from([1, 2, 3]),
      }),
      simEvent({
        kind: EventKind.Frame,
        atNs: 5,
        senderId: 0,
        seq: 0,
        receiverId: 1,
        port: 0,
        bytes: new Uint8Array(0),
      }),
      simEvent({
        kind: EventKind.Frame,
        atNs: 6,
        senderId: 1,
        seq: 1,
        receiverId: 0,
        port: 3,
        bytes: new Uint8Array(1514).map((_, i) => i * 7),
      }),
    ];
    const carrier = simEvent({
      kind: EventKind.Carrier,
      atNs: 4,
      senderId: 1,
      seq: 9,
      receiverId: 2,
      port: 0,
      up: true,
    });
    const packed = packFrameEvents([frames[0]!, carrier, frames[1]!, frames[2]!]);
    expect(packed.others).toEqual([carrier]);
    const msg = decodeMessage<{ inbound: SimEvent[]; frames: Uint8Array }>(
      encodeMessage({ inbound: packed.others, frames: packed.frames }),
    );
    const back = msg.inbound;
    unpackFrameEvents(msg.frames, back);
    expect(back).toHaveLength(4);
    expect(back[0]).toMatchObject({ kind: EventKind.Carrier, atNs: 4, senderId: 1, seq: 9, receiverId: 2, up: true });
    for (let i = 0; i < 3; i++) {
      const got = back[i + 1]!;
      const want = frames[i]!;
      expect({ ...got, bytes: [...got.bytes!] }).toEqual({ ...want, bytes: [...want.bytes!] });
      expect(got.bytes).toBeInstanceOf(Uint8Array);
    }
    // Each frame owns its bytes (the receiver rewrites them in place): writing one leaves the block as it was.
    back[1]!.bytes![0] = 99;
    const again: SimEvent[] = [];
    unpackFrameEvents(msg.frames, again);
    expect([...again[0]!.bytes!]).toEqual([1, 2, 3]);
  });

  test("no frames, no block", () => {
    expect(packFrameEvents([]).frames).toBeNull();
  });
});
