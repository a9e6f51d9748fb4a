// Serial interfaces with Cisco HDLC framing (the IOS default encapsulation):
// a 4-byte header, address 0x0F for unicast and 0x8F for broadcast and
// multicast, protocol 0x0800 for IPv4. SLARP keepalives are not IP and are
// ignored on input.

import {
  emitHdlcHeader,
  HDLC_ADDRESS_BROADCAST,
  HDLC_ADDRESS_UNICAST,
  HDLC_HEADER_LEN,
  HDLC_PROTO_IPV4,
  hdlcProtocol,
} from "../../wire/hdlc.ts";
import type { InterfaceKindDriver } from "./interface-kind.ts";

/** `interface SerialX/Y` (HDLC). */
export const serialKind: InterfaceKindDriver = {
  kind: "serial",
  hasPort: true,
  defaultMtu: 1500,
  defaultDelayTensOfUs: () => 2000,
  defaultBandwidthKbps: null,
  output(stack, egress, nextHop, dgram) {
    const port = (egress.parent ?? egress).port;
    if (port === null) return { ok: false, failure: "interfaceDown", egress };
    const frame = stack.frameAround(dgram, HDLC_HEADER_LEN, 0);
    const group = nextHop === 0xffffffff || nextHop >>> 28 === 0xe || stack.isBroadcastAddress(nextHop);
    emitHdlcHeader(
      { address: group ? HDLC_ADDRESS_BROADCAST : HDLC_ADDRESS_UNICAST, protocol: HDLC_PROTO_IPV4 },
      frame,
      0,
    );
    return stack.transmit(egress, port, frame) ? { ok: true, egress } : { ok: false, failure: "queueFull", egress };
  },
  input(stack, ifc, frame) {
    if (!ifc.lineProtocolUp) return;
    stack.countInput(ifc, frame.length, frame.length >= 1 && frame[0] === HDLC_ADDRESS_BROADCAST);
    if (frame.length < HDLC_HEADER_LEN) return void ifc.counters.inputErrors++;
    if (hdlcProtocol(frame) !== HDLC_PROTO_IPV4) return; // SLARP keepalives and others: not IP
    stack.ipInput(ifc, frame, HDLC_HEADER_LEN);
  },
};
