/** Raw HTTP calls against a homeserver, for tests that check exact statuses and bodies. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(opts.token && { Authorization: `Bearer ${opts.token}` }),
      ...((opts.body !== undefined || opts.rawBody !== undefined) && { "Content-Type": "application/json" }),
    },
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the caller's assertion shows the text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export const CS = "/_matrix/client/v3";

export interface Registered {
  user_id: string;
  access_token: string;
  device_id: string;
}

/** Registers through the two user-interactive auth steps; returns the final response. */
export async function register(
  baseUrl: string,
  fields: { email: string; password?: string; username?: string },
): Promise<ApiResponse<Registered & { errcode?: string }>> {
  const body = { password: "correct horse battery", ...fields };
  const first = await api<{ session?: string }>(baseUrl, "POST", `${CS}/register`, { body });
  if (first.status !== 401 || !first.body.session) return first as never;
  return api(baseUrl, "POST", `${CS}/register`, {
    body: { ...body, auth: { type: "m.login.dummy", session: first.body.session } },
  });
}
