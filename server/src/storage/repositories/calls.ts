/** Calls and SMS rows. */
import type { PbxStateValue } from "../../../../protocol/callsign/calls.js";
import type { CallStateValue } from "../../../../protocol/callsign/calls.js";
import type { Sql } from "../database.js";

export interface CallRow {
  callId: string;
  roomId: string;
  callerId: string;
  /** The account called: a person, or a service (then `operatorId` is who answered). */
  calleeId: string;
  operatorId: string | null;
  /** How many times the call was transferred (each one a row in call_hops). */
  hops: number;
  /** Automatic distribution: the operator the call is offered to now, and the offer's number. */
  offeredTo: string | null;
  offerSeq: number;
  target: string;
  topic: string | null;
  tag: string | null;
  state: CallStateValue;
  position: number | null;
  video: boolean;
  reply: string | null;
  reason: string | null;
  smsId: string | null;
  callbackKind: "call" | "sms" | null;
  callbackId: string | null;
  queueSeq: number;
  createdAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  calleeReadAt: Date | null;
  /** Where the call stands on the service's PBX (spec/services.md "Bridging to your PBX"). */
  pbx: PbxStateValue | null;
  /** The SIP address of the PBX extension that placed the call, for a call from a company's PBX. */
  fromPbx: string | null;
  /** Seconds the answered call may last (its plan's maximum); null: no limit, or not answered. */
  limitS: number | null;
}

const CALL_COLUMNS: [keyof CallRow, string][] = [
  ["callId", "call_id"],
  ["roomId", "room_id"],
  ["callerId", "caller_id"],
  ["calleeId", "callee_id"],
  ["operatorId", "operator_id"],
  ["hops", "hops"],
  ["offeredTo", "offered_to"],
  ["offerSeq", "offer_seq"],
  ["target", "target"],
  ["topic", "topic"],
  ["tag", "tag"],
  ["state", "state"],
  ["position", "position"],
  ["video", "video"],
  ["reply", "reply"],
  ["reason", "reason"],
  ["smsId", "sms_id"],
  ["callbackKind", "callback_kind"],
  ["callbackId", "callback_id"],
  ["queueSeq", "queue_seq"],
  ["createdAt", "created_at"],
  ["answeredAt", "answered_at"],
  ["endedAt", "ended_at"],
  ["calleeReadAt", "callee_read_at"],
  ["pbx", "pbx"],
  ["fromPbx", "from_pbx"],
  ["limitS", "limit_s"],
];
const column = Object.fromEntries(CALL_COLUMNS) as Record<keyof CallRow, string>;
const SELECT_CALL = `SELECT ${CALL_COLUMNS.map(([, c]) => c).join(", ")} FROM calls`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toCall(r: any): CallRow {
  const row = Object.fromEntries(CALL_COLUMNS.map(([k, c]) => [k, r[c]])) as unknown as CallRow;
  row.queueSeq = Number(r.queue_seq);
  return row;
}

/** States in which a call still occupies the line between its two parties. */
export const ACTIVE_STATES: CallStateValue[] = ["queued", "offline", "answered"];

export class CallsRepo {
  constructor(private readonly sql: Sql) {}

  async insert(c: CallRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO calls (${CALL_COLUMNS.map(([, col]) => col).join(", ")})
       VALUES (${CALL_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`,
      CALL_COLUMNS.map(([k]) => c[k]),
    );
  }

  async get(callId: string, forUpdate = false): Promise<CallRow | undefined> {
    const [r] = await this.sql.query(`${SELECT_CALL} WHERE call_id = $1${forUpdate ? " FOR UPDATE" : ""}`, [
      callId,
    ]);
    return r ? toCall(r) : undefined;
  }

  /** Applies `patch` if the call is still in state `from`; false when another change won. */
  async update(callId: string, from: CallStateValue, patch: Partial<CallRow>): Promise<boolean> {
    const entries = Object.entries(patch) as [keyof CallRow, unknown][];
    const sets = entries.map(([k], i) => `${column[k]} = $${i + 3}`).join(", ");
    const rows = await this.sql.query(
      `UPDATE calls SET ${sets} WHERE call_id = $1 AND state = $2 RETURNING call_id`,
      [callId, from, ...entries.map(([, v]) => v)],
    );
    return rows.length === 1;
  }

  async setPosition(callId: string, position: number | null): Promise<void> {
    await this.sql.query(`UPDATE calls SET position = $2 WHERE call_id = $1`, [callId, position]);
  }

  /** The first call waiting in `calleeId`'s queue. */
  /** Locks a caller–callee pair until the transaction ends (an advisory lock on their names). */
  async lockPair(callerId: string, calleeId: string): Promise<void> {
    await this.sql.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [callerId, calleeId]);
  }

  async headOf(calleeId: string): Promise<CallRow | undefined> {
    const [r] = await this.sql.query(
      `${SELECT_CALL} WHERE callee_id = $1 AND state = 'queued' ORDER BY queue_seq LIMIT 1`,
      [calleeId],
    );
    return r ? toCall(r) : undefined;
  }

  /** How many calls wait in `calleeId`'s queue ahead of the arrival `queueSeq`. */
  async countAhead(calleeId: string, queueSeq: number): Promise<number> {
    const [r] = await this.sql.query(
      `SELECT count(*) AS n FROM calls WHERE callee_id = $1 AND state = 'queued' AND queue_seq < $2`,
      [calleeId, queueSeq],
    );
    return Number(r.n);
  }

  /** The callee's queue, first in first out. */
  async queueOf(calleeId: string): Promise<CallRow[]> {
    const rows = await this.sql.query(
      `${SELECT_CALL} WHERE callee_id = $1 AND state = 'queued' ORDER BY queue_seq`,
      [calleeId],
    );
    return rows.map(toCall);
  }

  /**
   * What an operator sees: their own queue and the queues of the service accounts they are
   * online for, merged by arrival.
   */
  async mergedQueueOf(userId: string, shared: string[], auto: string[]): Promise<CallRow[]> {
    const rows = await this.sql.query(
      `${SELECT_CALL} WHERE state = 'queued'
         AND (callee_id = ANY($1) OR (callee_id = ANY($2) AND offered_to = $3))
       ORDER BY queue_seq`,
      [[userId, ...shared], auto, userId],
    );
    return rows.map(toCall);
  }

  /** Automatic distribution: the service's queued calls not offered to anyone (nor sent to its PBX), first first. */
  async unoffered(calleeId: string): Promise<CallRow[]> {
    const rows = await this.sql.query(
      `${SELECT_CALL} WHERE callee_id = $1 AND state = 'queued' AND offered_to IS NULL AND pbx IS NULL
       ORDER BY queue_seq`,
      [calleeId],
    );
    return rows.map(toCall);
  }

  /** Offers the call to `userId` (or withdraws the offer: null); each offer gets a new number. */
  async setOffer(callId: string, userId: string | null): Promise<number> {
    const [r] = await this.sql.query(
      `UPDATE calls SET offered_to = $2, offer_seq = offer_seq + 1 WHERE call_id = $1 RETURNING offer_seq`,
      [callId, userId],
    );
    return r.offer_seq as number;
  }

  /** The callee's calls that still wait for an answer (queued or offline), by arrival. */
  async waitingFor(calleeId: string): Promise<CallRow[]> {
    const rows = await this.sql.query(
      `${SELECT_CALL} WHERE callee_id = $1 AND state IN ('queued', 'offline') ORDER BY queue_seq`,
      [calleeId],
    );
    return rows.map(toCall);
  }

  async activeBetween(callerId: string, calleeId: string): Promise<CallRow | undefined> {
    const [r] = await this.sql.query(
      `${SELECT_CALL} WHERE caller_id = $1 AND callee_id = $2 AND state = ANY($3) ORDER BY queue_seq DESC LIMIT 1`,
      [callerId, calleeId, ACTIVE_STATES],
    );
    return r ? toCall(r) : undefined;
  }

  /** Queued calls placed (or last transferred) before `queuedBefore`, offline ones before `offlineBefore`. */
  async overdue(queuedBefore: Date, offlineBefore: Date): Promise<CallRow[]> {
    const rows = await this.sql.query(
      `${SELECT_CALL} c WHERE (state = 'queued' OR state = 'offline')
         AND COALESCE((SELECT max(at) FROM call_hops h WHERE h.call_id = c.call_id), created_at)
           < CASE state WHEN 'queued' THEN $1::timestamptz ELSE $2::timestamptz END
       ORDER BY created_at LIMIT 1000`,
      [queuedBefore, offlineBefore],
    );
    return rows.map(toCall);
  }

  async missedOf(calleeId: string, limit = 100): Promise<CallRow[]> {
    const rows = await this.sql.query(
      `${SELECT_CALL} WHERE callee_id = $1 AND state = 'missed' ORDER BY ended_at DESC LIMIT $2`,
      [calleeId, limit],
    );
    return rows.map(toCall);
  }

  async unreadMissed(calleeId: string): Promise<number> {
    const [r] = await this.sql.query(
      `SELECT count(*) AS n FROM calls WHERE callee_id = $1 AND state = 'missed' AND callee_read_at IS NULL`,
      [calleeId],
    );
    return Number(r.n);
  }

  async markRead(calleeId: string, callIds: string[]): Promise<number> {
    const rows = await this.sql.query(
      `UPDATE calls SET callee_read_at = now()
       WHERE callee_id = $1 AND call_id = ANY($2) AND state = 'missed' AND callee_read_at IS NULL RETURNING 1`,
      [calleeId, callIds],
    );
    return rows.length;
  }
}

export interface SmsRow {
  smsId: string;
  fromId: string;
  toId: string;
  topic: string | null;
  text: string;
  callId: string | null;
  replyTo: string | null;
  callBack: boolean;
  createdAt: Date;
  readAt: Date | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toSms = (r: any): SmsRow => ({
  smsId: r.sms_id,
  fromId: r.from_id,
  toId: r.to_id,
  topic: r.topic,
  text: r.text,
  callId: r.call_id,
  replyTo: r.reply_to,
  callBack: r.call_back,
  createdAt: r.created_at,
  readAt: r.read_at,
});

export class SmsRepo {
  constructor(private readonly sql: Sql) {}

  async insert(s: Omit<SmsRow, "createdAt" | "readAt">): Promise<SmsRow> {
    const [r] = await this.sql.query(
      `INSERT INTO sms (sms_id, from_id, to_id, topic, text, call_id, reply_to, call_back)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [s.smsId, s.fromId, s.toId, s.topic, s.text, s.callId, s.replyTo, s.callBack],
    );
    return toSms(r);
  }

  async get(smsId: string): Promise<SmsRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM sms WHERE sms_id = $1`, [smsId]);
    return r ? toSms(r) : undefined;
  }

  async to(userId: string, limit = 100): Promise<SmsRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM sms WHERE to_id = $1 ORDER BY created_at DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map(toSms);
  }

  async unread(userId: string): Promise<number> {
    const [r] = await this.sql.query(`SELECT count(*) AS n FROM sms WHERE to_id = $1 AND read_at IS NULL`, [
      userId,
    ]);
    return Number(r.n);
  }

  async markRead(userId: string, smsIds: string[]): Promise<number> {
    const rows = await this.sql.query(
      `UPDATE sms SET read_at = now() WHERE to_id = $1 AND sms_id = ANY($2) AND read_at IS NULL RETURNING 1`,
      [userId, smsIds],
    );
    return rows.length;
  }
}
