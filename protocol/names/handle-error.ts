/**
 * Why a handle was refused. Every rule of the handle grammar (spec/names.md) fails with exactly
 * one of these codes, so servers, clients and other implementations agree on the reason and the
 * shared fixtures in `spec/fixtures/handles.json` can name it. A server answers them as
 * `IO_CALLSIGN_INVALID_NAME` (or `M_INVALID_PARAM`) with `reason` set to the code.
 */
export const HandleErrorReasons = {
  empty: "The handle is empty.",
  too_long: "The input is longer than 320 UTF-16 code units.",
  invisible_character:
    "The handle contains a control, format, bidi-control, default-ignorable or white-space character.",
  bad_character: "The handle contains a character this kind of handle does not allow.",
  bad_number: "Only digits, but not a 9-digit number that does not start with 0.",
  name_too_short: "A name has fewer than 3 code points.",
  name_too_long: "A name has more than 32 code points.",
  name_start: "A name does not start with a letter.",
  name_end: "A name ends with a separator ('-' or '_').",
  consecutive_separators: "A name has two separators in a row.",
  bad_mark: "A combining mark that follows no letter, repeats, or makes a dotted i/j look plain.",
  script_not_allowed: "A letter, digit or mark of a script outside the recommended scripts (UTS #31).",
  mixed_script: "Letters of scripts that may not be mixed (UTS #39 stricter than Highly Restrictive).",
  mixed_digits: "Digits of more than one decimal system.",
  bad_address: "More than one '@', or an empty side of it.",
  bad_local: "The part before '@' is not a number, a name or an RFC 5321 dot-string.",
  local_too_long: "The part before '@' is longer than 64 octets.",
  address_too_long: "`local@domain` is longer than 254 octets.",
  empty_label: "A domain has an empty label (leading, trailing or doubled dot).",
  single_label: "A domain after '@' has only one label.",
  label_too_long: "A domain label is longer than 63 octets in its A-label form.",
  bad_label: "A domain label breaks the LDH rules (hyphen at either end, or '--' at positions 3-4).",
  numeric_tld: "The last label of a domain is all digits.",
  domain_too_long: "A domain is longer than 253 octets in its A-label form.",
  idna: "The domain fails UTS #46 processing (the WHATWG URL host parser refuses it).",
} as const;

export type HandleErrorReason = keyof typeof HandleErrorReasons;

/**
 * A handle that breaks the grammar. Pure data, no HTTP status: the caller decides how to
 * answer (a server maps it onto its one protocol error type).
 *
 * @example
 * try { parseHandle("p\u0430ypal") } catch (e) { if (e instanceof HandleError) e.reason } // "mixed_script"
 */
export class HandleError extends Error {
  readonly reason: HandleErrorReason;

  constructor(reason: HandleErrorReason, detail?: string) {
    super(detail ? `${HandleErrorReasons[reason]} (${detail})` : HandleErrorReasons[reason]);
    this.name = "HandleError";
    this.reason = reason;
  }
}
