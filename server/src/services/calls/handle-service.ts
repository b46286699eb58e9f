/** What a handle resolves to, as call links and the dial box show it (`HandleView`). */
import type { HandleView } from "../../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { StreamWriter } from "../stream-writer.js";
import { callerRules, captchaNeeded } from "./caller-rules.js";
import type { HandleResolver } from "./handles.js";
import type { ServiceDesk } from "../webcam/desk.js";
import { partyView } from "./views.js";

export class HandleService {
  constructor(
    private readonly writer: StreamWriter,
    private readonly desk: ServiceDesk,
    private readonly handles: HandleResolver,
  ) {}

  /** Throws IO_CALLSIGN_UNKNOWN_HANDLE, M_NOT_FOUND (unknown tag) or IO_CALLSIGN_TAG_EXPIRED. */
  async view(handle: string, tagName?: string): Promise<HandleView> {
    const account = await this.handles.resolve(handle);
    if (!account) throw new ProtocolError("IO_CALLSIGN_UNKNOWN_HANDLE", `Nobody answers to ${handle}`);
    const [rules, reach] = await this.writer.read(
      async (sql) =>
        [await callerRules(sql, account.userId, tagName), await this.desk.reach(sql, account)] as const,
    );
    const t = rules.tag;
    return {
      kind: account.kind === "service" ? "service" : "subscriber",
      handle,
      user: partyView(account),
      online: reach.online,
      open: reach.standing?.open ?? true,
      paused: reach.standing?.paused ?? false,
      accepts: {
        calls: rules.calls,
        anonymous: rules.anonymous,
        one_click: rules.oneClick,
        // A tag's topic makes its calls topical: no captcha then (as placement decides).
        captcha_for_guests: captchaNeeded(rules, t?.topic ?? null),
      },
      tag: t && { name: t.name, topic: t.topic, expires_at: t.expiresAt.getTime() },
    };
  }
}
