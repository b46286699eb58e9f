/**
 * User-interactive authentication (Matrix UIA): a guarded request without a completed flow is
 * answered 401 with the flows, a session and the params of each stage; the client completes
 * stages one request at a time, quoting the session. Sessions live in the database so any
 * homeserver process can continue them.
 */
import { randomBytes } from "node:crypto";
import { ProtocolError } from "../../../protocol/errors.js";
import { AuthStage, type UiaResponse } from "../../../protocol/matrix/auth.js";
import type { Sql } from "../storage/database.js";
import { CaptchaService } from "./captcha.js";

export interface AuthInput {
  type?: string;
  session?: string;
  response?: string;
}

export class UiaService {
  constructor(
    private readonly sql: Sql,
    private readonly captcha: CaptchaService,
  ) {}

  /**
   * Resolves when `auth` completes one of `flows`; otherwise throws the 401 the client needs
   * (a `ProtocolError` whose extra fields carry flows, params and session).
   */
  async require(flows: string[][], auth: AuthInput | undefined): Promise<void> {
    let session = auth?.session;
    let completed: string[] = [];
    if (session) {
      const [row] = await this.sql.query(
        `SELECT completed FROM uia_sessions WHERE session_id = $1 AND created_at > now() - interval '1 hour'`,
        [session],
      );
      if (!row) throw new ProtocolError("M_UNAUTHORIZED", "Unknown or expired auth session");
      completed = row.completed as string[];
    } else {
      session = randomBytes(16).toString("base64url");
      await this.sql.query(`INSERT INTO uia_sessions (session_id) VALUES ($1)`, [session]);
    }

    let stageError: ProtocolError | undefined;
    if (auth?.type) {
      const next = flows.find((f) => f.slice(0, completed.length).every((s, i) => s === completed[i]))?.[
        completed.length
      ];
      if (auth.type !== next) {
        stageError = new ProtocolError("M_UNAUTHORIZED", `Stage ${auth.type} is not expected now`);
      } else if (await this.check(auth)) {
        completed = [...completed, auth.type];
        await this.sql.query(`UPDATE uia_sessions SET completed = $2 WHERE session_id = $1`, [
          session,
          JSON.stringify(completed),
        ]);
      } else {
        stageError = new ProtocolError("M_CAPTCHA_INVALID", "The captcha answer is wrong, expired or used");
      }
    }

    if (flows.some((f) => f.length === completed.length && f.every((s, i) => s === completed[i]))) {
      await this.sql.query(`DELETE FROM uia_sessions WHERE session_id = $1`, [session]);
      return;
    }
    const body: Omit<UiaResponse, "session"> & { session: string } = {
      flows: flows.map((stages) => ({ stages })),
      params: this.params(flows),
      session,
      completed,
    };
    throw new ProtocolError(
      stageError?.errcode ?? "M_UNAUTHORIZED",
      stageError?.message ?? "Additional authentication is required",
      body as unknown as Record<string, unknown>,
      401,
    );
  }

  private params(flows: string[][]): Record<string, unknown> {
    const params: Record<string, unknown> = {};
    if (flows.some((f) => f.includes(AuthStage.Captcha))) params[AuthStage.Captcha] = this.captcha.create();
    return params;
  }

  private async check(auth: AuthInput): Promise<boolean> {
    switch (auth.type) {
      case AuthStage.Dummy:
        return true;
      case AuthStage.Captcha: {
        const solution = CaptchaService.decode(auth.response);
        return solution ? this.captcha.verify(solution) : false;
      }
      default:
        return false;
    }
  }
}
