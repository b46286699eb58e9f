/**
 * Push rules. Callsign does not push to phones yet (browser notifications come with F29), but
 * Matrix clients need the server-default rule set to decide what counts as a notification; this
 * is the spec's default set, with `.m.rule.master` off.
 */
interface PushRule {
  rule_id: string;
  default: true;
  enabled: boolean;
  conditions?: Record<string, unknown>[];
  pattern?: string;
  actions: unknown[];
}

const notify = (sound?: string) => ["notify", ...(sound ? [{ set_tweak: "sound", value: sound }] : [])];

export function defaultPushRules(userId: string): Record<string, PushRule[]> {
  const localpart = userId.slice(1).split(":")[0]!;
  return {
    override: [
      { rule_id: ".m.rule.master", default: true, enabled: false, conditions: [], actions: [] },
      {
        rule_id: ".m.rule.suppress_notices",
        default: true,
        enabled: true,
        conditions: [{ kind: "event_match", key: "content.msgtype", pattern: "m.notice" }],
        actions: [],
      },
      {
        rule_id: ".m.rule.invite_for_me",
        default: true,
        enabled: true,
        conditions: [
          { kind: "event_match", key: "type", pattern: "m.room.member" },
          { kind: "event_match", key: "content.membership", pattern: "invite" },
          { kind: "event_match", key: "state_key", pattern: userId },
        ],
        actions: notify("default"),
      },
      {
        rule_id: ".m.rule.member_event",
        default: true,
        enabled: true,
        conditions: [{ kind: "event_match", key: "type", pattern: "m.room.member" }],
        actions: [],
      },
    ],
    content: [
      {
        rule_id: ".m.rule.contains_user_name",
        default: true,
        enabled: true,
        pattern: localpart,
        actions: [...notify("default"), { set_tweak: "highlight" }],
      },
    ],
    room: [],
    sender: [],
    underride: [
      {
        rule_id: ".m.rule.call",
        default: true,
        enabled: true,
        conditions: [{ kind: "event_match", key: "type", pattern: "m.call.invite" }],
        actions: notify("ring"),
      },
      {
        rule_id: ".m.rule.room_one_to_one",
        default: true,
        enabled: true,
        conditions: [
          { kind: "room_member_count", is: "2" },
          { kind: "event_match", key: "type", pattern: "m.room.message" },
        ],
        actions: notify("default"),
      },
      {
        rule_id: ".m.rule.message",
        default: true,
        enabled: true,
        conditions: [{ kind: "event_match", key: "type", pattern: "m.room.message" }],
        actions: notify(),
      },
    ],
  };
}
