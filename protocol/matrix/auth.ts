/** Login types, user-interactive auth stages and identifier types. */
export const LoginType = { Password: "m.login.password" } as const;

export const AuthStage = {
  Dummy: "m.login.dummy",
  /** Callsign's proof-of-work captcha; `params` carries the challenge, `auth.response` the solution. */
  Captcha: "io.callsign.captcha",
} as const;

export const IdentifierType = {
  User: "m.id.user",
  ThirdParty: "m.id.thirdparty",
  Number: "io.callsign.id.number",
} as const;

/** The 401 body of a user-interactive auth step. */
export interface UiaResponse {
  flows: { stages: string[] }[];
  params: Record<string, unknown>;
  session: string;
  completed?: string[];
  errcode?: string;
  error?: string;
}

/** Successful register / login. */
export interface LoginResponse {
  user_id: string;
  access_token: string;
  device_id: string;
  home_server: string;
  well_known?: { "m.homeserver": { base_url: string } };
}

/** Account rules shared by the server's checks and the clients' forms. */
export const AccountRules = {
  usernamePattern: /^[a-z][a-z0-9._-]{2,31}$/,
  emailPattern: /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/,
  passwordMinLength: 8,
  numberPattern: /^\d{9}$/,
} as const;
