// Public surface of packet capture: pcap writers for Ethernet and serial links,
// the key material devices export, and its rendering as Wireshark key tables.

export * from "./crypto-keys.ts";
export * from "./pcap-writer.ts";
export * from "./wireshark-keys.ts";
