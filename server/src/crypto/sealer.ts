/**
 * Secrets kept in the database sealed (AES-256-GCM) under a key derived from the server secret
 * and a purpose, so one leaked table is not enough, and keys of different purposes never mix.
 * The sealed form is base64 of IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export class Sealer {
  private readonly key: Buffer;

  /** @param purpose what the secrets are for, e.g. "callsign server keys"; part of the key. */
  constructor(secret: string, purpose: string) {
    this.key = createHash("sha256").update(`${purpose}\n${secret}`).digest();
  }

  seal(plain: Buffer | string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString("base64");
  }

  /** Throws when the sealed value was altered or sealed under another key. */
  open(sealed: string): Buffer {
    const bytes = Buffer.from(sealed, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  }
}
