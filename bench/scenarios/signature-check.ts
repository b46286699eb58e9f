/**
 * The CPU one signed federation request costs, alone: `signRequest` and `verifyRequest` per
 * request (a call placement's size, keys at hand, as federated-call-setup measures them), and
 * raw Ed25519 sign and verify of the same signature base for comparison, so what the signature
 * code adds to the crypto shows. A microbenchmark for a busy machine: several rounds, the best
 * kept (the least disturbed by other work). `npx tsx bench/scenarios/signature-check.ts [n]`
 */
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { signatureBase } from "../../federation/src/signing/federation-signature.js";
import { signRequest, verifyRequest } from "../../federation/src/signing/request-signature.js";

const n = Number(process.argv[2] ?? 2000);
const ROUNDS = 7;

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const key = { keyId: "b.example.test/sha256:" + "ab".repeat(32), privateKey };
const body = Buffer.from(
  JSON.stringify({ handle: "desk@b.example.test", topic: "Benchmark", caller: "@1:a" }),
);
const url = "https://b.example.test/_callsign/federation/v1/calls";

/** CPU µs per call of `op`, over n calls. */
async function cpuPer(op: (i: number) => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await op(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

async function round(): Promise<Record<string, number>> {
  const signed: Record<string, string>[] = [];
  const signUs = await cpuPer(async () => {
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
  const verifyUs = await cpuPer((i) =>
    verifyRequest({ method: "POST", url, headers: received[i]!, body }, opts),
  );
  // The crypto alone, over the same signature bases (Ed25519 verification takes longer for some
  // signatures than others, so one base repeated would not be a fair floor).
  const bases = signed.map((h) => {
    const params = h["signature-input"]!.slice(h["signature-input"]!.indexOf("=") + 1);
    return Buffer.from(signatureBase("POST", url, h["content-digest"]!, params));
  });
  const sigs = bases.map((b) => sign(null, b, privateKey));
  const rawSignUs = await cpuPer((i) => sign(null, bases[i]!, privateKey));
  const rawVerifyUs = await cpuPer((i) => verify(null, bases[i]!, publicKey, sigs[i]!));
  return { sign: signUs, verify: verifyUs, ed25519_sign: rawSignUs, ed25519_verify: rawVerifyUs };
}

// The first round is cold (JIT, caches), as federated-call-setup's single measurement is.
const cold = await round();
const rounds: Record<string, number>[] = [];
for (let r = 0; r < ROUNDS; r++) rounds.push(await round());
const best = (k: string) => Math.min(...rounds.map((r) => r[k]!));
const median = (k: string) => rounds.map((r) => r[k]!).sort((a, b) => a - b)[ROUNDS >> 1]!;
console.log(`CPU µs per request, ${ROUNDS} rounds of ${n} after a cold one (best / median / cold):`);
for (const k of ["sign", "verify", "ed25519_sign", "ed25519_verify"])
  console.log(
    `  ${k.padEnd(15)} ${best(k).toFixed(1).padStart(7)} / ${median(k).toFixed(1)} / ${cold[k]!.toFixed(1)}`,
  );
const total = best("sign") + best("verify");
const crypto = best("ed25519_sign") + best("ed25519_verify");
console.log(`  sign + verify   ${total.toFixed(1).padStart(7)} (Ed25519 alone ${crypto.toFixed(1)})`);
