// Every interface kind a router knows, registered once (one line per kind).

import { ethernetKind } from "./ethernet.ts";
import { registerInterfaceKind } from "./interface-kind.ts";
import { loopbackKind } from "./loopback.ts";
import { nullKind } from "./null.ts";
import { serialKind } from "./serial.ts";
import { tunnelKind } from "./tunnel.ts";

registerInterfaceKind(ethernetKind);
registerInterfaceKind(serialKind);
registerInterfaceKind(loopbackKind);
registerInterfaceKind(nullKind);
registerInterfaceKind(tunnelKind);

export { type InterfaceKindDriver, interfaceKind, registerInterfaceKind } from "./interface-kind.ts";
