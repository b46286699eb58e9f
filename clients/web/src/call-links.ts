/**
 * Where a call goes: the handle (number, e-mail or user name) and an optional tag, read from the
 * page's own path (`/call/<handle>/<tag>`) or from what someone typed or pasted into the dial box.
 */
export interface CallTarget {
  handle: string;
  tag?: string;
}

const LINK_PATH = /^\/call\/([^/?#]+)(?:\/([^/?#]+))?\/?$/;

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** The target of a call link path, or null when the path is not one. */
export function parseCallLink(pathname: string): CallTarget | null {
  const match = LINK_PATH.exec(pathname);
  if (!match?.[1]) return null;
  const handle = decode(match[1]);
  const tag = match[2] === undefined ? undefined : decode(match[2]);
  if (!handle || tag === null) return null;
  return tag ? { handle, tag } : { handle };
}

/**
 * The target of what was typed into the dial box: a call link (full URL or path) gives its
 * handle and tag; anything else is taken as a handle. Null for empty input.
 */
export function parseDialInput(text: string): CallTarget | null {
  const input = text.trim();
  if (!input) return null;
  let path: string | null = null;
  if (input.startsWith("/call/")) path = input;
  else if (/^https?:\/\//i.test(input)) {
    try {
      path = new URL(input).pathname;
    } catch {
      path = null;
    }
  }
  if (path !== null) return parseCallLink(path);
  return { handle: input };
}
