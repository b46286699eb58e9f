/** What a handle resolves to, as call links and the dial box show it (`HandleView`). */
import type { HandleView } from "../../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { StreamWriter } from "../stream-writer.js";
import { callerRules, captchaNeeded } from "./caller-rules.js";
import { isRemote, remoteRefusal, type HandleResolver, type RemoteHandle } from "./handles.js";
import type { ServiceDesk } from "../webcam/desk.js";
import { partyView } from "./views.js";

/** How handles other providers host are described (federation/src/calls/remote-handles.ts). */
export interface RemoteHandleViews {
  view(to: RemoteHandle, tag?: string): Promise<HandleView>;
}

export class HandleService {
  private remote: RemoteHandleViews | undefined;

  constructor(
    private readonly writer: StreamWriter,
    private readonly desk: ServiceDesk,
    private readonly handles: HandleResolver,
  ) {}

  useRemote(remote: RemoteHandleViews): void {
    this.remote = remote;
  }

  /**
   * Throws IO_CALLSIGN_UNKNOWN_HANDLE, M_NOT_FOUND (unknown tag) or IO_CALLSIGN_TAG_EXPIRED. A
   * handle another provider hosts is described by that provider, unless `here` (a peer asks).
   */
  async view(handle: string, tagName?: string, opts: { here?: boolean } = {}): Promise<HandleView> {
    const found = opts.here ? await this.handles.resolve(handle) : await this.handles.locate(handle);
    if (isRemote(found)) {
      if (!this.remote) throw remoteRefusal(found);
      return this.remote.view(found, tagName);
    }
    const account = found;
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
