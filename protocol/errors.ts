/**
 * Error codes of every Callsign wire API, with the HTTP status each one is answered with.
 *
 * Matrix codes keep their Matrix meaning so that a stock matrix-js-sdk understands them;
 * Callsign's own codes use the `IO_CALLSIGN_` prefix. `spec/client-api.md` renders this table.
 */
export const ErrorCodes = {
  M_FORBIDDEN: { status: 403, description: "The request is not permitted for this user." },
  M_UNKNOWN_TOKEN: { status: 401, description: "The access token is not recognised." },
  M_MISSING_TOKEN: { status: 401, description: "No access token was supplied." },
  M_BAD_JSON: { status: 400, description: "The body is JSON but does not match the schema." },
  M_NOT_JSON: { status: 400, description: "The body is not valid JSON." },
  M_NOT_FOUND: { status: 404, description: "No resource was found for this request." },
  M_LIMIT_EXCEEDED: { status: 429, description: "Too many requests; retry after `retry_after_ms`." },
  M_UNRECOGNIZED: { status: 404, description: "The endpoint or method is not implemented." },
  M_UNKNOWN: { status: 400, description: "An unknown error." },
  M_UNAUTHORIZED: { status: 401, description: "Authentication failed or is incomplete." },
  M_USER_IN_USE: { status: 400, description: "The user name is taken." },
  M_INVALID_USERNAME: { status: 400, description: "The user name is not valid." },
  M_THREEPID_IN_USE: { status: 400, description: "The e-mail address is already registered." },
  M_INVALID_PARAM: { status: 400, description: "A parameter has an invalid value." },
  M_MISSING_PARAM: { status: 400, description: "A required parameter is missing." },
  M_TOO_LARGE: { status: 413, description: "The request or event is too large." },
  M_EXCLUSIVE: { status: 400, description: "The user name is reserved by the server." },
  M_GUEST_ACCESS_FORBIDDEN: { status: 403, description: "Guests may not do this." },
  M_WEAK_PASSWORD: { status: 400, description: "The password is too weak." },
  M_USER_DEACTIVATED: { status: 403, description: "The account has been deactivated." },
  M_UNSUPPORTED_ROOM_VERSION: { status: 400, description: "The room version is not supported." },
  M_BAD_STATE: { status: 400, description: "The room or membership is not in a state that allows this." },
  M_CAPTCHA_INVALID: { status: 401, description: "The captcha answer is wrong, expired or used." },
  IO_CALLSIGN_UNKNOWN_HANDLE: { status: 404, description: "No subscriber answers to this handle." },
  IO_CALLSIGN_CALLS_OFF: { status: 403, description: "The subscriber has switched incoming calls off." },
  IO_CALLSIGN_ANONYMOUS_REFUSED: {
    status: 403,
    description: "The subscriber does not take calls from guests.",
  },
  IO_CALLSIGN_TOPIC_REQUIRED: { status: 400, description: "The subscriber takes calls only with a topic." },
  IO_CALLSIGN_CAPTCHA_REQUIRED: {
    status: 401,
    description: "A guest's call without a topic needs a solved captcha; `captcha` carries the challenge.",
  },
  IO_CALLSIGN_ALREADY_TAKEN: {
    status: 409,
    description: "Another operator took the call first.",
  },
  IO_CALLSIGN_NOT_ONLINE: {
    status: 403,
    description: "Go online for the service before taking, answering or transferring its calls.",
  },
  IO_CALLSIGN_PLAN_LIMIT: {
    status: 403,
    description: "The service's plan does not allow this (more operators online, a distribution mode).",
  },
  IO_CALLSIGN_SERVICE_PAUSED: {
    status: 403,
    description: "The service is paused: its subscription is unpaid, so it takes no calls.",
  },
  IO_CALLSIGN_BAD_SIGNATURE: {
    status: 400,
    description: "A payment webhook without a valid, fresh signature of the provider.",
  },
  IO_CALLSIGN_NOT_OFFERED: {
    status: 409,
    description: "Automatic distribution offered the call to another operator.",
  },
  IO_CALLSIGN_FEDERATION_UNAUTHORIZED: {
    status: 401,
    description: "A server-server request without a valid, fresh signature of a pinned key of its provider.",
  },
  IO_CALLSIGN_PEER_BLOCKED: {
    status: 403,
    description:
      "This provider does not talk to that provider (the operator blocked it, or it is not allow-listed).",
  },
  IO_CALLSIGN_PEER_FAILED: {
    status: 502,
    description: "Another provider could not be reached or answered with an error.",
  },
  IO_CALLSIGN_NOT_HEAD: { status: 409, description: "Only the first call in the queue can be taken." },
  IO_CALLSIGN_MEDIA_UNAVAILABLE: {
    status: 503,
    description: "No media gateway answers now; the call's media cannot start (retry shortly).",
  },
  IO_CALLSIGN_BAD_TRANSITION: {
    status: 409,
    description: "The call is not in a state that allows this; `state` says which it is in.",
  },
  IO_CALLSIGN_ALREADY_CALLING: {
    status: 409,
    description:
      "The caller already has an active call (waiting or answered) with this subscriber; `call_id` names it.",
  },
  IO_CALLSIGN_NAME_TAKEN: { status: 409, description: "The name is already in use." },
  IO_CALLSIGN_INVALID_NAME: {
    status: 400,
    description: "The name breaks the handle grammar; `reason` says how.",
  },
  IO_CALLSIGN_NAME_RESERVED: { status: 403, description: "The name is reserved by the provider." },
  IO_CALLSIGN_NAME_CONFUSABLE: {
    status: 409,
    description: "The name looks like one that is held (same UTS #39 skeleton); `conflicts_with` names it.",
  },
  IO_CALLSIGN_PAYMENT_REQUIRED: {
    status: 402,
    description: "The name costs money: reserve and pay for it first.",
  },
  IO_CALLSIGN_PAYMENT_DECLINED: { status: 402, description: "The payment provider declined the payment." },
  IO_CALLSIGN_BRAND_CHECK_FAILED: {
    status: 503,
    description: "Whether the name is a brand could not be checked (DNS did not answer); try again.",
  },
  IO_CALLSIGN_DNS_FAILED: {
    status: 503,
    description: "DNS could not tell (time-out, SERVFAIL, REFUSED); nothing was decided; try again.",
  },
  IO_CALLSIGN_NAME_CLAIMED: {
    status: 403,
    description: "A verified owner of the matching domain has claimed the name: it ends with its paid term.",
  },
  IO_CALLSIGN_NOT_VERIFIED_OWNER: {
    status: 403,
    description: "Claiming a held brand name needs a verified claim of the matching domain.",
  },
  IO_CALLSIGN_REMOTE_HANDLE: {
    status: 404,
    description:
      "The handle is hosted by another provider (`provider`); calls across providers come with federation.",
  },
  IO_CALLSIGN_TAG_EXPIRED: { status: 410, description: "The tag's link has expired and no longer rings." },
  IO_CALLSIGN_NOT_SUBSCRIBER: {
    status: 400,
    description: "The other side is a guest: there is nobody to call back or reply to.",
  },
  IO_CALLSIGN_UNAVAILABLE: {
    status: 503,
    description: "A backing service (database, Redis) is unavailable; retry later.",
  },
  IO_CALLSIGN_INTERNAL: { status: 500, description: "An internal error; details are in the server log." },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** The JSON body of every error response: `{ errcode, error, ...extra }`. */
export interface ErrorBody {
  errcode: ErrorCode;
  error: string;
  retry_after_ms?: number;
  [extra: string]: unknown;
}

/**
 * The one error type of Callsign: thrown by services, rendered by the HTTP error handler,
 * and produced by the client SDK when it parses an error response.
 *
 * @example
 * throw new ProtocolError("M_NOT_FOUND", "Unknown room");
 * throw new ProtocolError("M_LIMIT_EXCEEDED", "Slow down", { retry_after_ms: 1200 });
 */
export class ProtocolError extends Error {
  readonly errcode: ErrorCode;
  readonly status: number;
  readonly extra: Record<string, unknown>;

  constructor(errcode: ErrorCode, message: string, extra: Record<string, unknown> = {}, status?: number) {
    super(message);
    this.name = "ProtocolError";
    this.errcode = errcode;
    this.status = status ?? ErrorCodes[errcode].status;
    this.extra = extra;
  }

  toBody(): ErrorBody {
    return { errcode: this.errcode, error: this.message, ...this.extra };
  }
}
