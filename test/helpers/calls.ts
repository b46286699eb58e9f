/** Helpers for call tests: subscribers who are online (they sync), and extension API calls. */
import type { CallView, InboxView } from "../../protocol/callsign/calls.js";
import { CallsignPrefix } from "../../protocol/callsign/routes.js";
import { api, CS, register, type ApiResponse, type Registered } from "./api.js";

let seq = 0;

export interface Subscriber extends Registered {
  number: string;
  email: string;
}

/** Registers an account; `online` makes one /sync so presence counts them online. */
export async function subscriber(
  baseUrl: string,
  opts: { online?: boolean; username?: string } = {},
): Promise<Subscriber> {
  seq += 1;
  const email = `sub${seq}-${Date.now()}@example.test`;
  const res = await register(baseUrl, { email, username: opts.username });
  if (res.status !== 200) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  if (opts.online) await api(baseUrl, "GET", `${CS}/sync?timeout=0`, { token: res.body.access_token });
  return { ...res.body, number: res.body.user_id.slice(1).split(":")[0]!, email };
}

export async function guest(baseUrl: string): Promise<Registered> {
  return (await api<Registered>(baseUrl, "POST", `${CS}/register?kind=guest`, { body: {} })).body;
}

export const ext = <T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<ApiResponse<T & { errcode?: string; error?: string }>> =>
  api(baseUrl, method, CallsignPrefix + path, { token, body: body ?? (method === "GET" ? undefined : {}) });

export async function placeCall(
  baseUrl: string,
  token: string,
  body: Record<string, unknown>,
): Promise<ApiResponse<CallView & { errcode?: string; error?: string; captcha?: never }>> {
  return ext<CallView>(baseUrl, "POST", "/calls", token, body);
}

export const inboxOf = async (baseUrl: string, token: string) =>
  (await ext<InboxView>(baseUrl, "GET", "/inbox", token)).body;
