/**
 * Sign up, sign in and guest access through the Callsign client SDK (which completes the
 * user-interactive auth stages, captcha included). Each returns the new session; the caller
 * starts the Matrix client with it.
 */
import { login, registerAccount, registerGuest } from "../../sdk/src/index.js";
import type { LoginResponse } from "../../../protocol/matrix/auth.js";
import type { Session } from "./session.js";

const DEVICE_NAME = "Callsign web";

export interface SignUpForm {
  email: string;
  password: string;
  username?: string;
}

const toSession = (r: LoginResponse, guest: boolean): Session => ({
  userId: r.user_id,
  accessToken: r.access_token,
  deviceId: r.device_id,
  guest,
});

export async function signUp(baseUrl: string, form: SignUpForm): Promise<Session> {
  return toSession(await registerAccount(baseUrl, { ...form, deviceName: DEVICE_NAME }), false);
}

export async function signIn(baseUrl: string, id: string, password: string): Promise<Session> {
  return toSession(await login(baseUrl, id, password, DEVICE_NAME), false);
}

export async function continueAsGuest(baseUrl: string): Promise<Session> {
  return toSession(await registerGuest(baseUrl, DEVICE_NAME), true);
}
