/** Solving Callsign's proof-of-work captcha (UIA stage `io.callsign.captcha`) in any JS runtime. */

export interface CaptchaChallenge {
  algorithm: string;
  salt: string;
  challenge: string;
  maxnumber: number;
  signature: string;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Finds `n ≤ maxnumber` with `sha256(salt + n) === challenge` and returns the UIA `response`
 * value (base64 of the JSON solution). Takes about `maxnumber / 2` hashes.
 *
 * @example
 * const response = await solveCaptcha(uia.params["io.callsign.captcha"]);
 * await register({ auth: { type: "io.callsign.captcha", session: uia.session, response } });
 */
export async function solveCaptcha(c: CaptchaChallenge): Promise<string> {
  if (c.algorithm !== "SHA-256") throw new Error(`Unsupported captcha algorithm ${c.algorithm}`);
  for (let n = 0; n <= c.maxnumber; n++) {
    if ((await sha256Hex(c.salt + n)) === c.challenge) {
      const solution = JSON.stringify({
        salt: c.salt,
        number: n,
        challenge: c.challenge,
        signature: c.signature,
      });
      return btoa(solution);
    }
  }
  throw new Error("The captcha has no solution");
}
