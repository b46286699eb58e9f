/**
 * Push rules. Callsign does not push to phones yet (browser notifications come with F29), but
 * Matrix clients need the server-default rule set to decide what counts as a notification and
 * what highlights. This is the Matrix specification's default set (v1.11), in its order, with
 * `.m.rule.master` off.
 */
type Action = string | { set_tweak: string; value?: unknown };

interface PushRule {
  rule_id: string;
  default: true;
  enabled: boolean;
  conditions?: Record<string, unknown>[];
  pattern?: string;
  actions: Action[];
}

const sound = (value: string): Action => ({ set_tweak: "sound", value });
const highlight: Action = { set_tweak: "highlight" };
const match = (key: string, pattern: string) => ({ kind: "event_match", key, pattern });
const rule = (rule_id: string, conditions: Record<string, unknown>[], actions: Action[]): PushRule => ({
  rule_id,
  default: true,
  enabled: true,
  conditions,
  actions,
});

export function defaultPushRules(userId: string): Record<string, PushRule[]> {
  const localpart = userId.slice(1).split(":")[0]!;
  return {
    override: [
      { ...rule(".m.rule.master", [], []), enabled: false },
      rule(".m.rule.suppress_notices", [match("content.msgtype", "m.notice")], []),
      rule(
        ".m.rule.invite_for_me",
        [match("type", "m.room.member"), match("content.membership", "invite"), match("state_key", userId)],
        ["notify", sound("default")],
      ),
      rule(".m.rule.member_event", [match("type", "m.room.member")], []),
      rule(
        ".m.rule.is_user_mention",
        [{ kind: "event_property_contains", key: "content.m\\.mentions.user_ids", value: userId }],
        ["notify", sound("default"), highlight],
      ),
      rule(
        ".m.rule.contains_display_name",
        [{ kind: "contains_display_name" }],
        ["notify", sound("default"), highlight],
      ),
      rule(
        ".m.rule.is_room_mention",
        [
          { kind: "event_property_is", key: "content.m\\.mentions.room", value: true },
          { kind: "sender_notification_permission", key: "room" },
        ],
        ["notify", highlight],
      ),
      rule(
        ".m.rule.roomnotif",
        [{ kind: "sender_notification_permission", key: "room" }, match("content.body", "@room")],
        ["notify", highlight],
      ),
      rule(
        ".m.rule.tombstone",
        [match("type", "m.room.tombstone"), match("state_key", "")],
        ["notify", highlight],
      ),
      rule(".m.rule.reaction", [match("type", "m.reaction")], []),
      rule(".m.rule.room.server_acl", [match("type", "m.room.server_acl"), match("state_key", "")], []),
      rule(
        ".m.rule.suppress_edits",
        [{ kind: "event_property_is", key: "content.m\\.relates_to.rel_type", value: "m.replace" }],
        [],
      ),
    ],
    content: [
      {
        rule_id: ".m.rule.contains_user_name",
        default: true,
        enabled: true,
        pattern: localpart,
        actions: ["notify", sound("default"), highlight],
      },
    ],
    room: [],
    sender: [],
    underride: [
      rule(".m.rule.call", [match("type", "m.call.invite")], ["notify", sound("ring")]),
      rule(
        ".m.rule.encrypted_room_one_to_one",
        [{ kind: "room_member_count", is: "2" }, match("type", "m.room.encrypted")],
        ["notify", sound("default")],
      ),
      rule(
        ".m.rule.room_one_to_one",
        [{ kind: "room_member_count", is: "2" }, match("type", "m.room.message")],
        ["notify", sound("default")],
      ),
      rule(".m.rule.message", [match("type", "m.room.message")], ["notify"]),
      rule(".m.rule.encrypted", [match("type", "m.room.encrypted")], ["notify"]),
    ],
  };
}
