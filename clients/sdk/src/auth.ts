/**
 * Callsign account calls that a stock Matrix SDK has no words for: registration with an
 * e-mail address through user-interactive auth, guest registration with the proof-of-work
 * captcha, and login by e-mail, number or user name from one text field.
 */
import { ProtocolError } from "../../../protocol/errors.js";
import {
  AccountRules,
  AuthStage,
  IdentifierType,
  LoginType,
  type LoginResponse,
  type UiaResponse,
} from "../../../protocol/matrix/auth.js";
import type { RegisterRequest, UserIdentifier } from "../../../protocol/matrix/requests.js";
import { ClientPrefixes, ClientRoutes } from "../../../protocol/matrix/routes.js";
import { solveCaptcha, type CaptchaChallenge } from "./captcha.js";
import { requestJson } from "./http.js";

const CS = ClientPrefixes[0];

export interface SignUp {
  email: string;
  password: string;
  /** Optional user name; every account gets a 9-digit number anyway. */
  username?: string;
  deviceName?: string;
}

/**
 * Runs a user-interactive-auth request to completion: each 401 step is answered by completing
 * the next stage of the first flow this client can do (`m.login.dummy`, `io.callsign.captcha`).
 */
async function withUia<T>(send: (auth?: Record<string, unknown>) => Promise<T>): Promise<T> {
  let auth: Record<string, unknown> | undefined;
  for (let step = 0; step < 5; step++) {
    try {
      return await send(auth);
    } catch (err) {
      if (!(err instanceof ProtocolError) || err.status !== 401 || typeof err.extra.session !== "string")
        throw err;
      if (auth && err.errcode !== "M_UNAUTHORIZED") throw err; // a stage was answered and refused
      const uia = { ...err.extra } as unknown as UiaResponse;
      const done = uia.completed ?? [];
      const flow = uia.flows.find((f) =>
        f.stages.every((s) => s === AuthStage.Dummy || s === AuthStage.Captcha),
      );
      const stage = flow?.stages[done.length];
      if (!stage) throw err;
      auth =
        stage === AuthStage.Captcha
          ? {
              type: stage,
              session: uia.session,
              response: await solveCaptcha(uia.params[AuthStage.Captcha] as CaptchaChallenge),
            }
          : { type: stage, session: uia.session };
    }
  }
  throw new ProtocolError("M_UNAUTHORIZED", "Too many authentication steps");
}

/** Registers an account and logs it in. Rejects with a `ProtocolError` (e.g. `M_USER_IN_USE`). */
export function registerAccount(baseUrl: string, s: SignUp): Promise<LoginResponse> {
  const body: RegisterRequest = {
    email: s.email,
    password: s.password,
    ...(s.username && { username: s.username }),
    ...(s.deviceName && { initial_device_display_name: s.deviceName }),
  };
  return withUia((auth) =>
    requestJson<LoginResponse>(baseUrl, "POST", CS + ClientRoutes.register, auth ? { ...body, auth } : body),
  );
}

/** Registers a guest (solving the captcha when the server asks for it). */
export function registerGuest(baseUrl: string, deviceName?: string): Promise<LoginResponse> {
  const body = deviceName ? { initial_device_display_name: deviceName } : {};
  return withUia((auth) =>
    requestJson<LoginResponse>(
      baseUrl,
      "POST",
      `${CS}${ClientRoutes.register}?kind=guest`,
      auth ? { ...body, auth } : body,
    ),
  );
}

/**
 * The login identifier for what a person typed: an e-mail address, a 9-digit number, or a user
 * name (a full Matrix user ID is passed through as a user).
 *
 * @example loginIdentifier("100000001") // { type: "io.callsign.id.number", number: "100000001" }
 */
export function loginIdentifier(text: string): UserIdentifier {
  const id = text.trim();
  if (AccountRules.numberPattern.test(id)) return { type: IdentifierType.Number, number: id };
  if (!id.startsWith("@") && AccountRules.emailPattern.test(id)) {
    return { type: IdentifierType.ThirdParty, medium: "email", address: id };
  }
  return { type: IdentifierType.User, user: id };
}

export function login(
  baseUrl: string,
  id: string,
  password: string,
  deviceName?: string,
): Promise<LoginResponse> {
  return requestJson<LoginResponse>(baseUrl, "POST", CS + ClientRoutes.login, {
    type: LoginType.Password,
    identifier: loginIdentifier(id),
    password,
    ...(deviceName && { initial_device_display_name: deviceName }),
  });
}

/** The 9-digit number in a Callsign user ID, or undefined for guests and other servers' IDs. */
export function numberOf(userId: string): string | undefined {
  const local = /^@([^:]+):/.exec(userId)?.[1];
  return local && AccountRules.numberPattern.test(local) ? local : undefined;
}
