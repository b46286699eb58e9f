/**
 * The CPU one signed federation request costs: `signRequest` and `verifyRequest` per request (a
 * call placement's size, keys at hand), and raw Ed25519 sign and verify of the same signature
 * bases, so what the signature code adds to the crypto shows. Several rounds after a cold one
 * (JIT, caches): the best is the least disturbed by other work on a busy machine.
 */
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { signatureBase } from "../../federation/src/signing/federation-signature.js";
import { signRequest, verifyRequest } from "../../federation/src/signing/request-signature.js";

export type SignatureRound = { sign: number; verify: number; ed25519_sign: number; ed25519_verify: number };
export const SIGNATURE_KEYS = ["sign", "verify", "ed25519_sign", "ed25519_verify"] as const;

export interface SignatureCost {
  cold: SignatureRound;
  best: SignatureRound;
  median: SignatureRound;
}

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const key = { keyId: "b.example.test/sha256:" + "ab".repeat(32), privateKey };
const body = Buffer.from(
  JSON.stringify({ handle: "desk@b.example.test", topic: "Benchmark", caller: "@1:a" }),
);
const url = "https://b.example.test/_callsign/federation/v1/calls";

/** CPU µs per call of `op`, over n calls. */
async function cpuPer(n: number, op: (i: number) => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await op(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

async function round(n: number): Promise<SignatureRound> {
  const signed: Record<string, string>[] = [];
  const signUs = await cpuPer(n, async () => {
    signed.push(await signRequest({ method: "POST", url, headers: {}, body }, key));
  });
  const seen = new Set<string>();
  const opts = {
    keyFor: async () => publicKey,
    firstUse: async (_k: string, nonce: string) => !seen.has(nonce) && !!seen.add(nonce),
  };
  // As a receiver has them: from the wire, in flat strings (V8 keeps a string built by
  // concatenation as a tree, which the first read of a character flattens: a cost the sender's
  // HTTP client pays when it writes the headers, not the receiver).
  const received = signed.map((h) => JSON.parse(JSON.stringify(h)) as Record<string, string>);
  const verifyUs = await cpuPer(n, (i) =>
    verifyRequest({ method: "POST", url, headers: received[i]!, body }, opts),
  );
  // The crypto alone, over the same signature bases (Ed25519 verification takes longer for some
  // signatures than others, so one base repeated would not be a fair floor).
  const bases = signed.map((h) => {
    const params = h["signature-input"]!.slice(h["signature-input"]!.indexOf("=") + 1);
    return Buffer.from(signatureBase("POST", url, h["content-digest"]!, params));
  });
  const sigs = bases.map((b) => sign(null, b, privateKey));
  const rawSignUs = await cpuPer(n, (i) => sign(null, bases[i]!, privateKey));
  const rawVerifyUs = await cpuPer(n, (i) => verify(null, bases[i]!, publicKey, sigs[i]!));
  return { sign: signUs, verify: verifyUs, ed25519_sign: rawSignUs, ed25519_verify: rawVerifyUs };
}

/** A cold round of `n` requests, then `rounds` more: per-key best and median. */
export async function signatureCost(n: number, rounds: number): Promise<SignatureCost> {
  const cold = await round(n);
  const done: SignatureRound[] = [];
  for (let r = 0; r < rounds; r++) done.push(await round(n));
  const pick = (f: (values: number[]) => number) =>
    Object.fromEntries(SIGNATURE_KEYS.map((k) => [k, f(done.map((r) => r[k]))])) as SignatureRound;
  return {
    cold,
    best: pick((v) => Math.min(...v)),
    median: pick((v) => v.sort((a, b) => a - b)[v.length >> 1]!),
  };
}
