// The crypto map lab of seed 001 (R7 and R8 encrypt R9 <-> R10 traffic; R7
// sources the tunnel from Loopback0 and carries the map on two subinterfaces,
// R8 answers any peer with a wildcard key). Typed as the seed types it:
// abbreviations (`Crypto isa key`, `esp-sha-hm`, `lo0`, `gig1.67`) included.

/** Ports of R7 and R8. */
export const SEED_PORTS = [
  { name: "GigabitEthernet1", kind: "ethernet" as const },
  { name: "GigabitEthernet2", kind: "ethernet" as const },
];

export const R7_CONFIG = `hostname R7
interface Loopback0
 ip address 10.0.0.7 255.255.255.255
interface GigabitEthernet1
 no shutdown
interface gig1.37
 encapsulation dot1Q 37
 ip address 10.0.37.7 255.255.255.0
interface gig1.67
 encapsulation dot1Q 67
 ip address 10.0.67.7 255.255.255.0
interface GigabitEthernet2
 ip address 10.0.79.7 255.255.255.0
!
crypto isakmp policy 10
 authentication pre-share
 encryption aes 192
 group 5
 hash sha384
crypto isakmp key cisco1234 address 10.0.0.8
!
crypto map MAP1 10 ipsec-isakmp
 set peer 10.0.0.8
crypto map MAP1 local-address lo0
!
ip access-list extended R9_TO_R10
 permit ip 10.0.9.0 0.0.0.255 10.0.10.0 0.0.0.255
!
crypto map MAP1 10 ipsec-isakmp
 match address R9_TO_R10
crypto ipsec transform-set ESP_AES_192_SHA1 esp-aes 192 esp-sha-hm
 mode tunnel
crypto map MAP1 10 ipsec-isakmp
 set transform-set ESP_AES_192_SHA1
!
interface gig1.67
 crypto map MAP1
interface gig1.37
 crypto map MAP1
`;

export const R8_CONFIG = `hostname R8
interface Loopback0
 ip address 10.0.0.8 255.255.255.255
interface GigabitEthernet1
 no shutdown
interface GigabitEthernet1.58
 encapsulation dot1Q 58
 ip address 10.0.58.8 255.255.255.0
interface GigabitEthernet2
 ip address 10.0.108.8 255.255.255.0
!
crypto isakmp policy 10
 authentication pre-share
 encryption aes 192
 group 5
 hash sha384
Crypto isa key cisco1234 address 0.0.0.0
!
crypto map MAP1 10 ipsec-isakmp
 set peer 10.0.0.7
ip access-list extended R10_TO_R9
 permit ip 10.0.10.0 0.0.0.255 10.0.9.0 0.0.0.255
crypto map MAP1 10 ipsec-isakmp
 match address R10_TO_R9
crypto ipsec transform-set ESP_AES_192_SHA1 esp-aes 192 esp-sha-hm
 mode tunnel
crypto map MAP1 10 ipsec-isakmp
 set transform-set ESP_AES_192_SHA1
!
interface gig1.58
 crypto map MAP1
`;
