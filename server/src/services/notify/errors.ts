/**
 * Why an e-mail could not be sent, in the terms the job engine acts on: `retryable` says whether
 * another attempt can succeed, and the permanent kind is an `UnrecoverableJobError`, so a job
 * that lets it propagate fails at once instead of spending its attempts.
 */
import { UnrecoverableJobError } from "../../jobs/types.js";

/**
 * The relay refused the message for good (a 5xx reply such as 550 "no such user"), or the
 * message or the relay settings are unusable. Retrying sends the same message and gets the same
 * answer.
 */
export class EmailRejectedError extends UnrecoverableJobError {
  readonly retryable = false;

  constructor(
    message: string,
    /** The relay's SMTP reply code, when the relay answered. */
    readonly smtpCode?: number,
  ) {
    super(message);
    this.name = "EmailRejectedError";
  }
}

/**
 * The relay could not take the message now: a 4xx reply (451 "try again later"), a refused,
 * dropped or timed-out connection. A later attempt may succeed.
 */
export class EmailUnavailableError extends Error {
  readonly retryable = true;

  constructor(
    message: string,
    /** The relay's SMTP reply code, when the relay answered. */
    readonly smtpCode?: number,
  ) {
    super(message);
    this.name = "EmailUnavailableError";
  }
}
