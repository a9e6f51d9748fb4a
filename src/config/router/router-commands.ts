// The command table of the router device kind: built once, shared by every
// router in the lab (a 1000-spoke lab compiles its grammar once).

import { addCdpCommands } from "../cdp/index.ts";
import { CommandTable } from "../cli/modes.ts";
import { addCryptoCommands } from "../crypto/crypto-commands.ts";
import { addCryptoSaCommands } from "../crypto/crypto-sa-commands.ts";
import { addPkiCommands } from "../crypto/pki-commands.ts";
import { addEigrpCommands } from "../eigrp/index.ts";
import { addGdoiCommands } from "../gdoi/gdoi-commands.ts";
import { addKeyChainCommands } from "../key-chain/index.ts";
import { addNatCommands } from "../nat/nat-commands.ts";
import { addNhrpCommands } from "../nhrp/index.ts";
import { addOdrCommands } from "../odr/odr-commands.ts";
import { addOspfCommands } from "../ospf/ospf-commands.ts";
import { addLegacyQueueingCommands } from "../qos/legacy-commands.ts";
import { addMqcCommands } from "../qos/mqc-index.ts";
import { addRipCommands } from "../rip/index.ts";
import { addRoutePolicyCommands } from "../route-policy/index.ts";
import { describeRouterCommands } from "./command-help.ts";
import { addExecCommands } from "./exec-commands.ts";
import { addGlobalCommands } from "./global-commands.ts";
import { addInterfaceCommands } from "./interface-commands.ts";
import { addProbeDialogs } from "./probe-dialogs.ts";
import type { RouterDevice } from "./router-device.ts";
import { addStartupConfigCommands } from "./startup-config.ts";
import { addTcpAdjustMssCommand } from "./tcp-adjust-mss.ts";
import { addTunnelCommands } from "./tunnel-commands.ts";

let table: CommandTable<RouterDevice> | null = null;

/** The shared router command table. */
export function routerCommandTable(): CommandTable<RouterDevice> {
  if (table === null) {
    table = new CommandTable<RouterDevice>();
    addGlobalCommands(table);
    addInterfaceCommands(table);
    addTunnelCommands(table);
    addTcpAdjustMssCommand(table);
    addExecCommands(table);
    addProbeDialogs(table);
    addStartupConfigCommands(table);
    addCryptoCommands(table);
    addCryptoSaCommands(table);
    addPkiCommands(table);
    addGdoiCommands(table);
    addNatCommands(table);
    addOspfCommands(table);
    addRipCommands(table);
    addKeyChainCommands(table);
    addEigrpCommands(table);
    addNhrpCommands(table);
    addCdpCommands(table);
    addOdrCommands(table);
    addRoutePolicyCommands(table);
    addMqcCommands(table);
    addLegacyQueueingCommands(table);
    describeRouterCommands(table);
  }
  return table;
}
