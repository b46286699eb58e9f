/**
 * A provider's identity (spec/federation.md "Server identity"): an Ed25519 key and a
 * self-signed X.509 certificate for its server name, made and read with `@peculiar/x509`. A
 * certificate is known by its fingerprint — SHA-256 over its DER bytes — which the provider pins
 * in its DNS; a peer's certificate counts only when it names the peer, is within its validity
 * and its fingerprint is pinned (several may be, while keys are rotated with an overlap).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from "node:crypto";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ED25519 = { name: "Ed25519" };

export interface ServerIdentity {
  serverName: string;
  certificatePem: string;
  privateKey: KeyObject;
  /** `sha256:<hex>` of the certificate's DER bytes. */
  fingerprint: string;
  /** The key ID in signatures: `<server name>/<fingerprint>`. */
  keyId: string;
  notBefore: Date;
  notAfter: Date;
}

export interface PeerCertificate {
  serverNames: string[];
  fingerprint: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

export const keyIdOf = (serverName: string, fingerprint: string) => `${serverName}/${fingerprint}`;

/** A new key and a certificate for `serverName`, valid from `now` for `validDays`. */
export async function createIdentity(
  serverName: string,
  validDays = 365,
  now = new Date(),
): Promise<ServerIdentity> {
  const keys = (await webcrypto.subtle.generateKey(ED25519, true, ["sign", "verify"])) as CryptoKeyPair;
  const notAfter = new Date(now.getTime() + validDays * 86_400_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString("hex"),
    name: `CN=${serverName}`,
    notBefore: now,
    notAfter,
    keys,
    signingAlgorithm: ED25519,
    extensions: [
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: serverName }]),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const fingerprint = await fingerprintOf(cert);
  return {
    serverName,
    certificatePem: cert.toString("pem"),
    privateKey: createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }),
    fingerprint,
    keyId: keyIdOf(serverName, fingerprint),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

/** Reads a certificate (PEM); throws when it is not a self-signed Ed25519 certificate. */
export async function readCertificate(pem: string): Promise<PeerCertificate> {
  const cert = new x509.X509Certificate(pem);
  if (cert.publicKey.algorithm.name !== ED25519.name) throw new Error("not an Ed25519 certificate");
  if (!(await cert.verify({ signatureOnly: true })))
    throw new Error("the certificate's signature does not verify");
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const serverNames = (san?.names.items ?? [])
    .filter((n) => n.type === "dns")
    .map((n) => n.value.toLowerCase());
  return {
    serverNames,
    fingerprint: await fingerprintOf(cert),
    publicKey: createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: "der", type: "spki" }),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

/** Why `cert` does not identify `serverName` now, given its pinned fingerprints; undefined if it does. */
export function certificateProblem(
  cert: PeerCertificate,
  serverName: string,
  pinned: string[],
  now = new Date(),
): string | undefined {
  if (!cert.serverNames.includes(serverName.toLowerCase()))
    return `the certificate does not name ${serverName}`;
  if (now < cert.notBefore || now > cert.notAfter) return "the certificate is not valid now";
  if (!pinned.includes(cert.fingerprint)) return `the certificate is not pinned in ${serverName}'s DNS`;
  return undefined;
}

async function fingerprintOf(cert: x509.X509Certificate): Promise<string> {
  return `sha256:${Buffer.from(await cert.getThumbprint("SHA-256")).toString("hex")}`;
}
