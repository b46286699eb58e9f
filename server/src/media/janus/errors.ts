/**
 * Errors of the Janus facade. The call service turns them into its own protocol error; Janus's
 * words never reach a client (they may name rooms, handles or secrets' checks).
 */

/** Janus refused or did not answer a request. `code` is Janus's error code when it gave one. */
export class JanusError extends Error {
  constructor(
    message: string,
    readonly instance: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = "JanusError";
  }

  /** Wraps what janode rejected with: core errors read "<code> <reason>", plugin errors carry `_code`. */
  static from(error: unknown, instance: string, what: string): JanusError {
    if (error instanceof JanusError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const pluginCode = (error as { _code?: unknown })?._code;
    const code =
      typeof pluginCode === "number" ? pluginCode : Number(/^(\d+) /.exec(message)?.[1]) || undefined;
    return new JanusError(`${what} on Janus ${instance}: ${message}`, instance, code);
  }
}

/** No instance is up (or the one holding the room went down): nothing to retry against now. */
export class JanusUnavailableError extends JanusError {
  constructor(message: string, instance = "") {
    super(message, instance);
    this.name = "JanusUnavailableError";
  }
}

/** The videoroom plugin's "no such room" (JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM). */
export const VIDEOROOM_NO_SUCH_ROOM = 426;

/**
 * Awaits a janode request, failing with a JanusError after `timeoutMs`: janode only rejects
 * pending requests when the connection drops, and a stalled Janus must not stall a call.
 */
export async function janusRequest<T>(
  instance: string,
  what: string,
  timeoutMs: number,
  request: Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new JanusError(`${what} on Janus ${instance}: no answer in ${timeoutMs} ms`, instance)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([request, timeout]);
  } catch (error) {
    throw JanusError.from(error, instance, what);
  } finally {
    clearTimeout(timer);
  }
}
