/** Per-user and per-room account data (`m.direct`, `m.fully_read`, push rules, client settings). */
import { ProtocolError } from "../../../protocol/errors.js";
import { AccountDataRepo } from "../storage/repositories/user-streams.js";
import type { Requester } from "./accounts.js";
import type { StreamWriter } from "./stream-writer.js";

export class AccountDataService {
  constructor(private readonly writer: StreamWriter) {}

  private own(r: Requester, userId: string) {
    if (r.userId !== userId)
      throw new ProtocolError("M_FORBIDDEN", "You may only access your own account data");
  }

  async put(r: Requester, userId: string, roomId: string, type: string, content: Record<string, unknown>) {
    this.own(r, userId);
    await this.writer.write(async (tx) => {
      await new AccountDataRepo(tx).put(await tx.nextPosition(), userId, roomId, type, content);
      tx.notify(userId);
    });
  }

  async get(r: Requester, userId: string, roomId: string, type: string): Promise<Record<string, unknown>> {
    this.own(r, userId);
    const content = await this.writer.read((sql) => new AccountDataRepo(sql).get(userId, roomId, type));
    if (!content) throw new ProtocolError("M_NOT_FOUND", `No account data of type ${type}`);
    return content;
  }
}
