/** JSON calls against a homeserver, for tests that check exact statuses and bodies. */
import { rawRequest } from "./http.js";

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
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await rawRequest(baseUrl, { method, path, token: opts.token, body });
  return { status: res.status, body: (res.json ?? res.text) as T, headers: res.headers };
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
