/** What a handle resolves to, as call links and the dial box show it (`HandleView`). */
import type { HandleView } from "../../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { InboxOptionsRepo, TagsRepo } from "../../storage/repositories/subscribers.js";
import type { StreamWriter } from "../stream-writer.js";
import type { HandleResolver } from "./handles.js";
import type { PresenceService } from "./presence.js";
import { partyView } from "./views.js";

export class HandleService {
  constructor(
    private readonly writer: StreamWriter,
    private readonly presence: PresenceService,
    private readonly handles: HandleResolver,
  ) {}

  /** Throws IO_CALLSIGN_UNKNOWN_HANDLE, M_NOT_FOUND (unknown tag) or IO_CALLSIGN_TAG_EXPIRED. */
  async view(handle: string, tagName?: string): Promise<HandleView> {
    const account = await this.handles.resolve(handle);
    if (!account) throw new ProtocolError("IO_CALLSIGN_UNKNOWN_HANDLE", `Nobody answers to ${handle}`);
    const opts = await this.writer.read((sql) => new InboxOptionsRepo(sql).get(account.userId));
    let tag: HandleView["tag"] = null;
    let { anonymous, one_click } = opts;
    if (tagName) {
      const t = await this.writer.read((sql) => new TagsRepo(sql).get(account.userId, tagName));
      if (!t) throw new ProtocolError("M_NOT_FOUND", `${handle} has no link ${tagName}`);
      if (t.expired || t.expiresAt.getTime() <= Date.now()) {
        throw new ProtocolError("IO_CALLSIGN_TAG_EXPIRED", `The link ${tagName} has expired`);
      }
      tag = { name: t.name, topic: t.topic, expires_at: t.expiresAt.getTime() };
      ({ anonymous, one_click } = { anonymous: t.anonymous, one_click: t.oneClick });
    }
    return {
      kind: "subscriber",
      handle,
      user: partyView(account),
      online: await this.presence.isOnline(account.userId),
      accepts: {
        calls: opts.calls,
        anonymous,
        one_click,
        // A tag's topic makes its calls topical: no captcha then (as placement decides).
        captcha_for_guests: opts.captcha && anonymous && one_click && !tag?.topic,
      },
      tag,
    };
  }
}
