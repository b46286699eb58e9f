import { ProtocolError, type ErrorCode } from "../../../protocol/errors.js";

/** A JSON request to a homeserver; an error answer becomes a `ProtocolError` with its fields. */
export async function requestJson<T>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  accessToken?: string,
): Promise<T> {
  const res = await fetch(baseUrl.replace(/\/+$/, "") + path, {
    method,
    headers: {
      ...(body !== undefined && { "Content-Type": "application/json" }),
      ...(accessToken && { Authorization: `Bearer ${accessToken}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new ProtocolError(
      "M_UNKNOWN",
      `The server answered ${res.status} with a body that is not JSON`,
      {},
      res.status,
    );
  }
  if (!res.ok) {
    const { errcode, error, ...extra } = json;
    throw new ProtocolError(
      (typeof errcode === "string" ? errcode : "M_UNKNOWN") as ErrorCode,
      typeof error === "string" ? error : `HTTP ${res.status}`,
      extra,
      res.status,
    );
  }
  return json as T;
}
