/**
 * The rules a caller meets at a subscriber: their inbox options, with a tag's preset applied
 * when the call comes through a tag. Placing a call and showing a handle read them from here,
 * so what the handle view promises is what placement enforces.
 */
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Sql } from "../../storage/database.js";
import { InboxOptionsRepo, TagsRepo, type TagRow } from "../../storage/repositories/subscribers.js";

export interface CallerRules {
  calls: boolean;
  anonymous: boolean;
  oneClick: boolean;
  /** A guest's call without a topic needs a captcha. */
  captcha: boolean;
  tag: TagRow | null;
}

/** Throws M_NOT_FOUND for an unknown tag and IO_CALLSIGN_TAG_EXPIRED for an expired one. */
export async function callerRules(sql: Sql, calleeId: string, tagName?: string): Promise<CallerRules> {
  const opts = await new InboxOptionsRepo(sql).get(calleeId);
  const rules: CallerRules = {
    calls: opts.calls,
    anonymous: opts.anonymous,
    oneClick: opts.one_click,
    captcha: opts.captcha,
    tag: null,
  };
  if (!tagName) return rules;
  const tag = await new TagsRepo(sql).get(calleeId, tagName);
  if (!tag) throw new ProtocolError("M_NOT_FOUND", `No link ${tagName}`);
  if (tag.expired || tag.expiresAt.getTime() <= Date.now()) {
    throw new ProtocolError("IO_CALLSIGN_TAG_EXPIRED", `The link ${tagName} has expired`);
  }
  return { ...rules, anonymous: tag.anonymous, oneClick: tag.oneClick, tag };
}

/** Whether a guest calling with `topic` must solve a captcha first. */
export const captchaNeeded = (rules: CallerRules, topic: string | null) =>
  rules.captcha && rules.anonymous && rules.oneClick && !topic;
