/**
 * Sign up, sign in and guest access. Each returns the new session; the caller starts the client.
 * Registration uses Matrix user-interactive auth: the first call answers 401 with a `session`,
 * the second completes the `m.login.dummy` stage.
 */
import { createClient, MatrixError, type RegisterRequest, type RegisterResponse } from "matrix-js-sdk";
import { loginIdentifier } from "./identifiers.js";
import type { Session } from "./session.js";

const DUMMY_AUTH = "m.login.dummy";
const PASSWORD_LOGIN = "m.login.password";
const DEVICE_NAME = "Callsign web";

export interface SignUpForm {
  email: string;
  password: string;
  username?: string;
}

/** Callsign's register body: the Matrix fields plus the `email` extension field. */
type CallsignRegisterRequest = RegisterRequest & { email: string; initial_device_display_name?: string };

export async function signUp(baseUrl: string, form: SignUpForm): Promise<Session> {
  const client = createClient({ baseUrl });
  const body: CallsignRegisterRequest = {
    email: form.email,
    password: form.password,
    initial_device_display_name: DEVICE_NAME,
    ...(form.username ? { username: form.username } : {}),
  };
  let response: RegisterResponse;
  try {
    response = await client.registerRequest(body);
  } catch (error) {
    const session = uiaSession(error);
    if (session === undefined) throw error;
    response = await client.registerRequest({ ...body, auth: { type: DUMMY_AUTH, session } });
  }
  return toSession(response, false);
}

export async function signIn(baseUrl: string, id: string, password: string): Promise<Session> {
  const client = createClient({ baseUrl });
  const response = await client.loginRequest({
    type: PASSWORD_LOGIN,
    identifier: loginIdentifier(id),
    password,
    initial_device_display_name: DEVICE_NAME,
  });
  return {
    userId: response.user_id,
    accessToken: response.access_token,
    deviceId: response.device_id,
    guest: false,
  };
}

export async function continueAsGuest(baseUrl: string): Promise<Session> {
  const client = createClient({ baseUrl });
  return toSession(await client.registerGuest({ body: {} }), true);
}

/** The UIA session of a 401 "more auth needed" answer, or undefined for any other error. */
function uiaSession(error: unknown): string | undefined {
  if (!(error instanceof MatrixError) || error.httpStatus !== 401) return undefined;
  const session = error.data.session;
  return typeof session === "string" ? session : undefined;
}

function toSession(response: RegisterResponse, guest: boolean): Session {
  if (!response.access_token || !response.device_id) {
    throw new Error("The server registered the account but returned no access token.");
  }
  return { userId: response.user_id, accessToken: response.access_token, deviceId: response.device_id, guest };
}
