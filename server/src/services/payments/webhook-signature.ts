/**
 * Signing of payment webhooks: `Callsign-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">`, the scheme the large card processors use. The receiver checks the HMAC in
 * constant time and refuses a timestamp outside the tolerance, so a captured delivery cannot be
 * replayed later; event IDs (kept by the receiver) stop replays inside the window.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "callsign-signature";
/** How far a webhook's timestamp may be from the receiver's clock. */
export const SIGNATURE_TOLERANCE_S = 300;

const mac = (secret: string, t: number, body: Buffer | string) =>
  createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");

export function signWebhook(secret: string, body: Buffer | string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/** Why a signature is refused, or undefined when it is good. */
export function webhookSignatureProblem(
  secret: string,
  header: string | undefined,
  body: Buffer,
  now = Date.now(),
): string | undefined {
  if (!header) return "no signature";
  const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || !/^[0-9a-f]{64}$/.test(parts.v1)) return "malformed signature";
  if (Math.abs(now / 1000 - t) > SIGNATURE_TOLERANCE_S) return "signature timestamp outside the tolerance";
  const expected = Buffer.from(mac(secret, t, body), "hex");
  if (!timingSafeEqual(expected, Buffer.from(parts.v1, "hex"))) return "signature does not match";
  return undefined;
}
