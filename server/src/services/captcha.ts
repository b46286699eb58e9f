/**
 * An offline proof-of-work captcha in the manner of ALTCHA: the server hands out a signed
 * challenge `sha256(salt + n)` for a secret `n` below `maxNumber`; the client finds `n` by
 * trying numbers (about `maxNumber / 2` hashes, a fraction of a second in a browser) and sends
 * it back. Verification is stateless but for one row per solved challenge, which makes every
 * challenge single-use; the salt carries its expiry, covered by the signature.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import type { Sql } from "../storage/database.js";

export interface CaptchaChallenge {
  algorithm: "SHA-256";
  salt: string;
  challenge: string;
  maxnumber: number;
  signature: string;
}

export interface CaptchaSolution {
  salt: string;
  number: number;
  challenge: string;
  signature: string;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export class CaptchaService {
  constructor(
    private readonly secret: string,
    private readonly sql: Sql,
    private readonly maxNumber = 50_000,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  private sign(challenge: string): string {
    return createHmac("sha256", this.secret).update(challenge).digest("hex");
  }

  create(now = Date.now()): CaptchaChallenge {
    const salt = `${randomBytes(12).toString("hex")}.${now + this.ttlMs}`;
    const challenge = sha256(salt + randomInt(this.maxNumber));
    return {
      algorithm: "SHA-256",
      salt,
      challenge,
      maxnumber: this.maxNumber,
      signature: this.sign(challenge),
    };
  }

  /** Solves a challenge by brute force (tests and non-browser clients use it). */
  static solve(c: Pick<CaptchaChallenge, "salt" | "challenge" | "maxnumber">): number {
    for (let n = 0; n <= c.maxnumber; n++) if (sha256(c.salt + n) === c.challenge) return n;
    throw new Error("captcha has no solution");
  }

  /** True once per valid, unexpired, correctly solved challenge. */
  async verify(s: CaptchaSolution, now = Date.now()): Promise<boolean> {
    if (typeof s.salt !== "string" || typeof s.challenge !== "string" || typeof s.signature !== "string")
      return false;
    const expected = Buffer.from(this.sign(s.challenge));
    const given = Buffer.from(s.signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    const expires = Number(s.salt.split(".")[1]);
    if (!Number.isFinite(expires) || expires < now) return false;
    if (!Number.isInteger(s.number) || sha256(s.salt + s.number) !== s.challenge) return false;
    const rows = await this.sql.query(
      `INSERT INTO used_captchas (challenge_id, expires_at) VALUES ($1, to_timestamp($2 / 1000.0))
       ON CONFLICT DO NOTHING RETURNING challenge_id`,
      [s.challenge, expires],
    );
    return rows.length === 1;
  }

  /** Decodes the `response` field of the UIA stage: base64 of the JSON solution. */
  static decode(response: string | undefined): CaptchaSolution | undefined {
    if (!response) return undefined;
    try {
      return JSON.parse(Buffer.from(response, "base64").toString("utf8")) as CaptchaSolution;
    } catch {
      return undefined;
    }
  }

  static encode(s: CaptchaSolution): string {
    return Buffer.from(JSON.stringify(s)).toString("base64");
  }
}
