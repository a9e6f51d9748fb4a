// IOS's `?` help texts for the GETVPN commands, keyed as config/cli/help.ts
// describes, in IOS 15's wording.

import { describeCommands } from "../cli/help.ts";

const EXEC: Readonly<Record<string, string>> = {
  "show crypto gdoi": "Show Crypto GDOI information",
  "show crypto gdoi group": "Display GDOI information for one group",
  "show crypto gdoi group <group>": "Group name",
  "show crypto gdoi gm": "Display Group Member information",
  "show crypto gdoi gm acl": "Display GDOI ACL information",
  "show crypto gdoi gm dataplane": "Display GDOI dataplane information",
  "show crypto gdoi gm dataplane counters": "Display GDOI dataplane counters",
  "show crypto gdoi gm replay": "Display GDOI anti-replay information",
  "show crypto gdoi gm rekey": "Display GDOI rekey information",
  "show crypto gdoi ks": "Display Key Server information",
  "show crypto gdoi ks members": "Display Group Member information",
  "show crypto gdoi ks members summary": "Display Group Member Summary information",
  "show crypto gdoi ks policy": "Display Key Server policy information",

  crypto: "Encryption related commands.",
  "crypto gdoi": "GDOI commands",
  "crypto gdoi ks": "Key server commands",
  "crypto gdoi ks rekey": "Send a rekey to the group members",
  "crypto gdoi ks rekey replace-now": "Replace the TEKs at once (traffic impacting)",
  "crypto gdoi gm": "Group member commands",
  "crypto gdoi gm group": "Group member commands for one group",
  "crypto gdoi gm group <group>": "Group Name",
  "crypto gdoi gm group ipsec": "IPsec SA options",
  "crypto gdoi gm group direction": "Set the IPsec SA direction",
  // seed 003's `crypto gdoi gm group 1234 ipsec direction ?`
  "crypto gdoi gm group both":
    "IPsec SA will only accept cipher text and will encrypt the packet before forwarding it out",
  "crypto gdoi gm group inbound": "Specify IPsec SA inbound options",
  "crypto gdoi gm group only": "IPsec SA will accept both cipher/plain text and will forward the packet in clear.",
  "crypto gdoi gm group optional":
    "IPsec SA will accept both cipher/plain text and will encrypt the packet before forwarding it out",
};

const CONFIG: Readonly<Record<string, string>> = {
  "crypto gdoi": "Configure GDOI policy",
  "crypto gdoi group": "Configure a GDOI group",
  "crypto gdoi group <group>": "Group Name",
  "crypto map gdoi": "GDOI",
  "crypto map fail-close": "Drop traffic until the group member has registered",
};

const GROUP: Readonly<Record<string, string>> = {
  identity: "Set the identity of the group",
  "identity number": "Set the identity of the group as a number",
  "identity number <number>": "Number",
  server: "Set the server for the group",
  "server local": "Group is locally defined",
  "server address": "Set the address of the server for the group",
  "server address ipv4": "Set the IPv4 address of the server for the group",
  "server address ipv4 <address>": "Group Server Address",
  passive: "Group member accepts clear traffic and encrypts (passive SA)",
};

const SERVER: Readonly<Record<string, string>> = {
  rekey: "Set the group rekey policy",
  "rekey algorithm": "Set the KEK algorithm",
  "rekey algorithm 3des": "Triple DES",
  "rekey algorithm aes": "AES",
  "rekey algorithm 128": "128 bit keys",
  "rekey algorithm 192": "192 bit keys",
  "rekey algorithm 256": "256 bit keys",
  "rekey authentication": "Set the rekey authentication key",
  "rekey authentication mypubkey": "Use a key from the local key pairs",
  "rekey authentication mypubkey rsa": "Use an RSA key",
  "rekey authentication mypubkey rsa <label>": "Keypair label",
  "rekey authentication rsa": "Use an RSA key",
  "rekey authentication <label>": "Keypair label",
  "rekey address": "Set the rekey destination",
  "rekey address ipv4": "Multicast rekey destination by access list",
  "rekey address ipv4 <acl>": "Access list name or number (its first permit names the group)",
  "rekey transport": "Set the rekey transport",
  "rekey transport unicast": "Unicast transport",
  "rekey lifetime": "Set the KEK lifetime",
  "rekey lifetime seconds": "Lifetime in seconds",
  "rekey lifetime seconds <seconds>": "Seconds",
  "rekey lifetime <seconds>": "Seconds",
  "rekey retransmit": "Set the rekey retransmit policy",
  "rekey retransmit <period>": "Retransmit period in seconds",
  "rekey retransmit number": "Number of retransmits",
  "rekey retransmit <count>": "Number of retransmits",
  address: "Set the address of the key server",
  "address ipv4": "IPv4 address",
  "address ipv4 <address>": "Key server address",
  "address ipv4 <ifc>": "Interface whose address is the key server's",
  authorization: "Set the list of members allowed to register",
  "authorization address": "Authorize members by their address",
  "authorization address ipv4": "IPv4 address",
  "authorization address ipv4 <acl>": "Access list name or number",
  sa: "Define a security association",
  "sa receive-only": "Group members only decrypt traffic (receive-only SA)",
  "sa ipsec": "IPsec security association",
  "sa ipsec <number>": "Sequence number",
};

const SA: Readonly<Record<string, string>> = {
  profile: "Set the IPsec profile for the SA",
  "profile <profile>": "IPsec profile name",
  match: "Match values of the SA",
  "match address": "Match the traffic to protect",
  "match address ipv4": "IPv4 access list",
  "match address ipv4 <acl>": "Access list name or number",
  "match address <acl>": "Access list name or number",
  replay: "Set the anti-replay policy",
  "replay time": "Time-based anti-replay",
  "replay time window-size": "Window size",
  "replay time window-size <seconds>": "Window size in seconds",
  "replay time <seconds>": "Window size in seconds",
  "replay counter": "Counter-based anti-replay",
  "replay counter window-size": "Window size",
  ...Object.fromEntries(
    ["64", "128", "256", "512", "1024"].flatMap((n) => [
      [`replay counter window-size ${n}`, `${n} packets`],
      [`replay counter ${n}`, `${n} packets`],
    ]),
  ),
};

const MAP_ENTRY: Readonly<Record<string, string>> = {
  "set group": "Set the crypto group",
  "set group <group>": "Group name",
};

const FAIL_CLOSE: Readonly<Record<string, string>> = {
  match: "Match values",
  "match address": "Traffic that may leave in the clear before registration (deny entries)",
  "match address <acl>": "Access list name or number",
  activate: "Activate fail-close",
};

/** Registers the GETVPN help texts on the router's command table. */
export function describeGdoiCommands(table: object): void {
  describeCommands(table, "exec", EXEC);
  describeCommands(table, "config", CONFIG);
  describeCommands(table, "config-gdoi-group", GROUP);
  describeCommands(table, "gdoi-local-server", SERVER);
  describeCommands(table, "gdoi-sa-ipsec", SA);
  describeCommands(table, "config-crypto-map", MAP_ENTRY);
  describeCommands(table, "crypto-map-fail-close", FAIL_CLOSE);
}
