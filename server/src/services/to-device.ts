/** Send-to-device messages: queued per device until its next `/sync` acknowledges them. */
import { randomBytes } from "node:crypto";
import { ProtocolError } from "../../../protocol/errors.js";
import { AccountsRepo, DevicesRepo } from "../storage/repositories/accounts.js";
import { ToDeviceRepo } from "../storage/repositories/user-streams.js";
import type { Requester } from "./accounts.js";
import type { StreamWriter } from "./stream-writer.js";

export class ToDeviceService {
  constructor(
    private readonly writer: StreamWriter,
    private readonly serverName: string,
  ) {}

  async send(
    r: Requester,
    type: string,
    txnId: string,
    messages: Record<string, Record<string, Record<string, unknown>>>,
  ): Promise<void> {
    await this.writer.write(async (tx) => {
      const repo = new ToDeviceRepo(tx);
      if (!(await repo.claimTxn(r.userId, r.deviceId, txnId))) return;
      for (const [userId, byDevice] of Object.entries(messages)) {
        if (!userId.endsWith(`:${this.serverName}`)) {
          throw new ProtocolError(
            "M_FORBIDDEN",
            `Cannot reach ${userId}: federation of to-device messages is not supported`,
          );
        }
        if (!(await new AccountsRepo(tx.manager).byUserId(userId))) continue;
        const all = await new DevicesRepo(tx.manager).deviceIds(userId);
        for (const [deviceId, content] of Object.entries(byDevice)) {
          const targets = deviceId === "*" ? all : all.filter((d) => d === deviceId);
          for (const d of targets) {
            const pos = await tx.nextPosition();
            await repo.insert(pos, userId, d, {
              sender: r.userId,
              type,
              content,
              messageId: randomBytes(8).toString("hex"),
            });
          }
          if (targets.length) tx.notify(userId);
        }
      }
    });
  }
}
