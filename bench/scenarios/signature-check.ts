/**
 * The CPU one signed federation request costs, alone (bench/lib/signature-cost.ts): a
 * microbenchmark for a busy machine, several rounds, the best kept.
 * `npx tsx bench/scenarios/signature-check.ts [n]`
 */
import { SIGNATURE_KEYS, signatureCost } from "../lib/signature-cost.js";

const n = Number(process.argv[2] ?? 2000);
const ROUNDS = 7;

const { cold, best, median } = await signatureCost(n, ROUNDS);
console.log(`CPU µs per request, ${ROUNDS} rounds of ${n} after a cold one (best / median / cold):`);
for (const k of SIGNATURE_KEYS)
  console.log(
    `  ${k.padEnd(15)} ${best[k].toFixed(1).padStart(7)} / ${median[k].toFixed(1)} / ${cold[k].toFixed(1)}`,
  );
const total = best.sign + best.verify;
const crypto = best.ed25519_sign + best.ed25519_verify;
console.log(`  sign + verify   ${total.toFixed(1).padStart(7)} (Ed25519 alone ${crypto.toFixed(1)})`);
