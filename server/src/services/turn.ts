/**
 * TURN credentials in coturn's shared-secret scheme ("TURN REST API"): the user name is
 * `<expiry unix time>:<user ID>`, the password base64(HMAC-SHA1(secret, user name)), so coturn
 * checks them without asking us.
 */
import { createHmac } from "node:crypto";
import type { Config } from "../config/config.js";

export interface TurnCredentials {
  username: string;
  password: string;
  uris: string[];
  ttl: number;
}

export class TurnService {
  constructor(private readonly turn: Config["turn"]) {}

  get configured(): boolean {
    return this.turn.uris.length > 0 && Boolean(this.turn.secret);
  }

  credentials(userId: string, now = Date.now()): TurnCredentials | undefined {
    if (!this.configured) return undefined;
    const username = `${Math.floor(now / 1000) + this.turn.ttlSeconds}:${userId}`;
    const password = createHmac("sha1", this.turn.secret!).update(username).digest("base64");
    return { username, password, uris: this.turn.uris, ttl: this.turn.ttlSeconds };
  }
}
