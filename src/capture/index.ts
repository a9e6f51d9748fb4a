// Public surface of packet capture: pcap writers for Ethernet and serial links.

export * from "./pcap-writer.ts";
