/**
 * Job keys: the one string under which an engine stores a job, built from its name and the
 * caller's job id so that ids are scoped by name. BullMQ rejects custom ids that contain ':'
 * (its key separator) or that read as integers, so the parts are escaped: '%', ':' and '|'
 * become '%25', '%3A' and '%7C', and the parts are joined with '|'. The encoding is injective
 * and readable: `("ring-timeout", "call:42")` → `ring-timeout|call%3A42`.
 */

const escape = (part: string) =>
  part.replace(/[%:|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);

const unescape = (part: string) =>
  part.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

export function jobKey(name: string, jobId: string): string {
  return `${escape(name)}|${escape(jobId)}`;
}

export function parseJobKey(key: string): { name: string; jobId: string } {
  const bar = key.indexOf("|");
  if (bar < 0) throw new Error(`not a job key: ${key}`);
  return { name: unescape(key.slice(0, bar)), jobId: unescape(key.slice(bar + 1)) };
}
