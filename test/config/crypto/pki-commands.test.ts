// PKI commands: `crypto key generate rsa` prints IOS's lines (seed 002's
// exactly) and needs a domain name without a label; the key comes from the
// router's seeded source; `show crypto key mypubkey rsa` prints IOS's block
// with the SubjectPublicKeyInfo as hex words; trustpoints enroll a
// self-signed certificate node:crypto accepts; pubkey-chain keys are typed
// in hex; running-config round-trips (the key pairs excepted, as on IOS);
// bad lines are reported with their line and the rest loads.

import { describe, expect, test } from "bun:test";
import { createPublicKey, X509Certificate } from "node:crypto";
import { hexWordLines } from "../../../src/config/crypto/pki-text.ts";
import { rsaPublicJwk } from "../../../src/protocols/pki/rsa-sign.ts";
import { cryptoRouter } from "./crypto-router.ts";

function configured(...lines: string[]) {
  const r = cryptoRouter("R1");
  r.ctx.nowNs = 5e9;
  r.run("configure terminal");
  const outputs = lines.map((l) => r.run(l));
  return { r, outputs };
}

describe("crypto key generate rsa", () => {
  test("seed 002's command prints seed 002's lines", () => {
    const { outputs } = configured("crypto key generate rsa general-keys label GETVPN-R4-KS modulus 1024 exportable");
    expect(outputs[0]).toBe(
      "The name for the keys will be: GETVPN-R4-KS\n% The key modulus size is 1024 bits\n% Generating 1024 bit RSA keys, keys will be exportable...[OK]\n",
    );
  });
  test("without a label: the FQDN, which needs a domain name (and a hostname other than Router)", () => {
    const { r, outputs } = configured(
      "crypto key generate rsa modulus 512",
      "ip domain-name lab.local",
      "crypto key generate rsa modulus 512",
      "hostname Router",
      "crypto key generate rsa modulus 512",
    );
    expect(outputs[0]).toContain("% Please define a domain-name first.");
    expect(outputs[2]).toStartWith("The name for the keys will be: R1.lab.local\n");
    expect(outputs[4]).toContain("% Please define a hostname other than Router.");
    expect(r.device.crypto.pki.keys.get("R1.lab.local")?.length).toBe(1);
  });
  test("without a modulus: IOS's question answered with its default, 512", () => {
    const { r, outputs } = configured("ip domain name lab.local", "crypto key generate rsa");
    expect(outputs[1]).toContain(
      "How many bits in the modulus [512]: \n% Generating 512 bit RSA keys, keys will be non-exportable...[OK]",
    );
    expect(r.device.crypto.pki.keys.signingPair("R1.lab.local")!.key.bits).toBe(512);
  });
  test("usage-keys make a signature and an encryption pair; a second generate replaces", () => {
    const { r, outputs } = configured(
      "crypto key generate rsa usage-keys label U modulus 512",
      "crypto key generate rsa label U modulus 768",
    );
    expect(outputs[0].match(/% Generating 512 bit RSA keys/g)?.length).toBe(2);
    expect(outputs[1]).toContain("% You already have RSA keys defined named U.");
    expect(r.device.crypto.pki.keys.get("U")!.map((p) => p.usage)).toEqual(["general"]);
    expect(r.device.crypto.pki.keys.get("U")![0]!.key.bits).toBe(768);
  });
  test("the same seed gives the same key", () => {
    const a = configured("crypto key generate rsa label K modulus 1024").r.device.crypto.pki.keys.get("K")![0]!.key.n;
    const b = configured("crypto key generate rsa label K modulus 1024").r.device.crypto.pki.keys.get("K")![0]!.key.n;
    expect(b).toBe(a);
  });
  test("a modulus out of 360..4096 is refused at the number", () => {
    const { outputs } = configured("crypto key generate rsa label K modulus 4097");
    expect(outputs[0]).toContain("% Invalid input detected");
  });
  test("zeroize removes the keys and the certificates made with them", () => {
    const { r, outputs } = configured(
      "crypto key generate rsa label K modulus 512",
      "crypto key generate rsa label L modulus 512",
      "crypto pki trustpoint TP",
      " enrollment selfsigned",
      " rsakeypair K",
      "exit",
      "crypto pki enroll TP",
      "crypto key zeroize rsa K",
      "crypto key zeroize rsa NOPE",
      "crypto key zeroize rsa",
    );
    expect(outputs[7]).toContain("% Keys to be removed are named 'K'.");
    expect(r.device.crypto.pki.trustpoints.get("TP")!.chain).toEqual([]);
    expect(outputs[8]).toContain("% No RSA keys named NOPE found.");
    expect(outputs[9]).toContain("% All keys will be removed.");
    expect(r.device.crypto.pki.keys.all()).toEqual([]);
  });
});

describe("show crypto key mypubkey rsa", () => {
  test("IOS's block: date on the router's clock, name, type, storage, usage, exportability, the DER as hex words", () => {
    const { r } = configured(
      "crypto key generate rsa general-keys label GETVPN-R4-KS modulus 1024 exportable",
      "crypto key generate rsa label OTHER modulus 512",
      "end",
    );
    const out = r.run("show crypto key mypubkey rsa GETVPN-R4-KS");
    const lines = out.split("\n");
    expect(lines.slice(0, 7)).toEqual([
      "% Key pair was generated at: 00:00:05 UTC Mar 1 1993",
      "Key name: GETVPN-R4-KS",
      "Key type: RSA KEYS",
      " Storage Device: not specified",
      " Usage: General Purpose Key",
      " Key is exportable.",
      " Key Data:",
    ]);
    // A 1024-bit key's SubjectPublicKeyInfo is 162 bytes: 5 lines, the last ending `... 0001` as on IOS.
    expect(lines[7]).toStartWith("  30819F30 0D06092A 864886F7 0D010101 05000381 8D003081 89028181 00");
    expect(lines[7]).toEndWith(" ");
    expect(lines[11]).toMatch(/^ {2}([0-9A-F]{8} ){7}[0-9A-F]{2}020301 0001$/);
    expect(lines.length).toBe(13);
    const der = Buffer.from(lines.slice(7, 12).join("").replace(/\s+/g, ""), "hex");
    const pair = r.device.crypto.pki.keys.get("GETVPN-R4-KS")![0]!;
    expect(createPublicKey({ key: der, format: "der", type: "spki" }).export({ format: "jwk" }).n).toBe(
      rsaPublicJwk(pair.key).n,
    );
    expect(r.run("show crypto key mypubkey rsa")).toContain(
      "Key name: OTHER\nKey type: RSA KEYS\n Storage Device: not specified\n Usage: General Purpose Key\n Key is not exportable.",
    );
  });
  test("hex words: 8 a line, a short last word joins the last line", () => {
    expect(hexWordLines(new Uint8Array(34).fill(0xab), "  ", true)).toEqual([
      `  ${"ABABABAB ".repeat(7)}ABABABAB ABAB`,
    ]);
    expect(hexWordLines(new Uint8Array(36).fill(1), "  ", true)).toEqual([`  ${"01010101 ".repeat(8)}`, "  01010101"]);
    expect(hexWordLines(new Uint8Array(2), "")).toEqual(["0000"]);
    expect(hexWordLines(new Uint8Array(0), "")).toEqual([]);
  });
});

const TRUSTPOINT = [
  "ip domain name lab.local",
  "crypto key generate rsa label R1-KEY modulus 1024",
  "crypto pki trustpoint TP",
  " enrollment selfsigned",
  " subject-name CN=R1,OU=LAB",
  " revocation-check none",
  " rsakeypair R1-KEY",
  "exit",
];

describe("trustpoints and self-signed enrollment", () => {
  test("enroll prints IOS's questions with their default answers and makes a certificate node:crypto accepts", () => {
    const { r, outputs } = configured(...TRUSTPOINT, "crypto pki enroll TP");
    expect(outputs.at(-1)).toBe(
      "% Include the router serial number in the subject name? [yes/no]: no\n% Include an IP address in the subject name? [no]: no\n" +
        "Generate Self Signed Router Certificate? [yes/no]: yes\n\nRouter Self Signed Certificate successfully created\n",
    );
    const c = r.device.crypto.pki.trustpoints.get("TP")!.chain[0]!;
    expect(c.kind).toBe("self-signed");
    const x = new X509Certificate(c.cert.der);
    expect(x.subject).toBe("CN=R1\nOU=LAB\nunstructuredName=R1.lab.local");
    expect(x.ca).toBe(true);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(new Date(x.validFrom).getTime()).toBe(Date.UTC(1993, 2, 1, 0, 0, 5));
    expect(x.publicKey.export({ format: "jwk" }).n).toBe(
      rsaPublicJwk(r.device.crypto.pki.keys.get("R1-KEY")![0]!.key).n,
    );
  });
  test("show crypto pki certificates and trustpoints in IOS's layout", () => {
    const { r } = configured(...TRUSTPOINT, "crypto pki enroll TP", "end");
    expect(r.run("show crypto pki certificates TP")).toBe(
      [
        "Router Self-Signed Certificate",
        "  Status: Available",
        "  Certificate Serial Number (hex): 01",
        "  Certificate Usage: General Purpose",
        "  Issuer:",
        "    hostname=R1.lab.local",
        "    ou=LAB",
        "    cn=R1",
        "  Subject:",
        "    Name: R1.lab.local",
        "    hostname=R1.lab.local",
        "    ou=LAB",
        "    cn=R1",
        "  Validity Date:",
        "    start date: 00:00:05 UTC Mar 1 1993",
        "    end   date: 00:00:00 UTC Jan 1 2020",
        "  Associated Trustpoints: TP",
        "  Storage: nvram:R1#1.cer",
        "",
        "",
      ].join("\n"),
    );
    expect(r.run("show crypto pki trustpoints")).toBe(
      "Trustpoint TP:\n    Subject Name:\n    hostname=R1.lab.local\n    ou=LAB\n    cn=R1\n          Serial Number (hex): 01\n    Certificate configured.\n\n\n",
    );
  });
  test("fqdn none leaves the hostname out; enrolling without a key makes one; enrolling again replaces with the next serial", () => {
    const { r, outputs } = configured(
      "crypto pki trustpoint T2",
      " enrollment selfsigned",
      " fqdn none",
      " subject-name CN=X",
      " rsakeypair NEWKEY 768",
      "exit",
      "crypto pki enroll T2",
      "crypto pki enroll T2",
    );
    expect(outputs[6]).toStartWith(
      "% Generating 768 bit RSA keys, keys will be non-exportable...[OK]\n% The fully-qualified domain name will not be included in the certificate\n",
    );
    const chain = r.device.crypto.pki.trustpoints.get("T2")!.chain;
    expect(chain.length).toBe(1);
    expect(chain[0]!.serialText).toBe("02");
    expect(new X509Certificate(chain[0]!.cert.der).subject).toBe("CN=X");
  });
  test("ip-address puts ipaddress= in the certificate and IOS does not ask for one", () => {
    const { r, outputs } = configured(
      ...TRUSTPOINT.slice(0, -1),
      " ip-address 10.0.12.1",
      "exit",
      "crypto pki enroll TP",
    );
    expect(outputs.at(-1)).not.toContain("Include an IP address");
    expect(new X509Certificate(r.device.crypto.pki.trustpoints.get("TP")!.chain[0]!.cert.der).subject).toContain(
      "unstructuredAddress=10.0.12.1",
    );
    expect(r.runningConfig()).toContain(" subject-name CN=R1,OU=LAB\n ip-address 10.0.12.1\n revocation-check none\n");
  });
  test("enrolling a trustpoint that is not self-signed, or none, is refused", () => {
    const { outputs } = configured(
      "crypto pki enroll NONE",
      "crypto pki trustpoint T3",
      " enrollment terminal",
      "exit",
      "crypto pki enroll T3",
    );
    expect(outputs[0]).toContain("% Could not find trustpoint NONE.");
    expect(outputs[4]).toContain("only `enrollment selfsigned`");
  });
});

describe("crypto key pubkey-chain rsa", () => {
  const peerKeyHex = () => {
    const peer = configured("crypto key generate rsa label PEER modulus 512").r;
    return hexWordLines(peer.device.crypto.pki.keys.get("PEER")![0]!.publicDer, " ");
  };
  test("modes, the key-string prompt, and the shows", () => {
    const hex = peerKeyHex();
    const { r, outputs } = configured(
      "crypto key pubkey-chain rsa",
      "addressed-key 10.0.12.2",
      "key-string",
      ...hex,
      "quit",
      "exit",
      "named-key R2.lab signature",
      "address 10.0.12.2",
      "key-string",
      ...hex,
      "quit",
      "end",
    );
    expect(outputs[2]).toBe("Enter a public key as a hexidecimal number ....\n");
    const entries = r.device.crypto.pki.pubkeyChain;
    expect(entries.map((e) => [e.kind, e.name, e.usage, e.key !== null])).toEqual([
      ["addressed", "10.0.12.2", "general", true],
      ["named", "R2.lab", "signature", true],
    ]);
    expect(r.run("show crypto key pubkey-chain rsa")).toBe(
      "Codes: M - Manually configured, C - Extracted from certificate\n\n" +
        "Code Usage        IP-Address/VRF           Keyring    Name\n" +
        "M    General      10.0.12.2                default\n" +
        "M    Signature    10.0.12.2                default    R2.lab\n",
    );
    const one = r.run("show crypto key pubkey-chain rsa name R2.lab");
    expect(one).toStartWith(
      "Key name: R2.lab\nKey address: 10.0.12.2\n Usage: Signature Key\n Source: Manually entered\n Data:\n  305C300D",
    );
  });
  test("prompts of the sub-modes", () => {
    const { r } = configured("crypto key pubkey-chain rsa");
    expect(r.session.prompt).toBe("R1(config-pubkey-chain)#");
    r.run("addressed-key 10.0.12.2");
    expect(r.session.prompt).toBe("R1(config-pubkey-key)#");
    r.run("key-string");
    expect(r.session.prompt).toBe("R1(config-pubkey)#");
    r.run("quit");
    expect(r.session.prompt).toBe("R1(config-pubkey-key)#");
  });
});

describe("running-config", () => {
  test("trustpoint, certificate chain and pubkey-chain print as IOS prints them and load back (the key pairs stay out)", () => {
    const hex = hexWordLines(
      configured("crypto key generate rsa label PEER modulus 512").r.device.crypto.pki.keys.get("PEER")![0]!.publicDer,
      "",
    );
    const { r } = configured(
      ...TRUSTPOINT,
      "crypto pki enroll TP",
      "crypto key pubkey-chain rsa",
      "addressed-key 10.0.12.2",
      "key-string",
      ...hex,
      "quit",
      "end",
    );
    const text = r.runningConfig();
    expect(text).toContain(
      "no ip domain lookup\nip domain name lab.local\nip cef\n!\ncrypto pki trustpoint TP\n enrollment selfsigned\n subject-name CN=R1,OU=LAB\n revocation-check none\n rsakeypair R1-KEY\n!\ncrypto pki certificate chain TP\n certificate self-signed 01\n  30820",
    );
    expect(text).toContain(
      "  \tquit\n!\ncrypto key pubkey-chain rsa\n addressed-key 10.0.12.2\n  address 10.0.12.2\n  key-string\n  305C300D",
    );
    expect(text).toMatch(/\n {2}quit\n!\n/);
    expect(text).not.toContain("crypto key generate");
    const copy = cryptoRouter("R1");
    expect(copy.load(text)).toEqual([]);
    expect(copy.runningConfig()).toBe(text);
    const cert = copy.device.crypto.pki.trustpoints.get("TP")!.chain[0]!;
    expect(
      Buffer.from(cert.cert.der).equals(Buffer.from(r.device.crypto.pki.trustpoints.get("TP")!.chain[0]!.cert.der)),
    ).toBe(true);
    expect(copy.device.crypto.pki.keys.all()).toEqual([]);
    // The next self-signed certificate of the copy does not reuse serial 01.
    expect(copy.device.crypto.pki.nextSelfSignedSerial).toBe(2);
  });
});

describe("bad input", () => {
  test("each bad line is reported with the line; the rest loads", () => {
    const r = cryptoRouter("R1");
    const errors = r.load(
      [
        "crypto key generate rsa modulus 1024",
        "crypto pki trustpoint TP",
        " subject-name this is not a name",
        " enrollment selfsigned",
        "crypto pki certificate chain NOSUCH",
        "crypto key pubkey-chain rsa",
        " addressed-key 10.0.12.2",
        "  key-string",
        "  30819F30 0D06092A GG",
        "  30819F30",
        "  quit",
        "crypto pki certificate chain TP",
        " certificate self-signed 01",
        "  3082 0001",
        "  quit",
        "hostname AFTER",
      ].join("\n"),
    );
    expect(errors).toEqual([
      "crypto key generate rsa modulus 1024\n% Please define a domain-name first.",
      " subject-name this is not a name\n% this is not a name is not a valid subject name\nThe subject name must be in X.500 (LDAP) format",
      "crypto pki certificate chain NOSUCH\n% CA trustpoint for cert chain not known",
      "  30819F30 0D06092A GG\n                    ^\n% Invalid input detected at '^' marker.",
      "  quit\n% Invalid public key (SubjectPublicKeyInfo: element at 0: length 159, 1 bytes left)",
      "  quit\n% Invalid certificate (certificate: element at 0: length with a leading zero octet)",
    ]);
    expect(r.device.hostname).toBe("AFTER");
    expect(r.device.crypto.pki.trustpoints.get("TP")!.enrollment).toBe("selfsigned");
  });
  test("with line numbers, as the lab reports them", () => {
    const r = cryptoRouter("R1");
    const errs = r.session.loadConfig("hostname R1\ncrypto key generate rsa label K modulus 99\n");
    expect(errs.map((e) => e.line)).toEqual([2]);
  });
});
