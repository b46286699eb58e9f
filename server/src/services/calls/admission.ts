/**
 * Admission of a call: the callee's inbox options and a tag's preset decide whether a caller
 * may ring and with which topic; guests meet the anonymous option, the captcha for calls
 * without a topic and per-IP and per-callee rate limits. Checked in the order spec/calls.md
 * gives, so a caller always learns the first thing that stands in the way.
 */
import type { PlaceCallRequest } from "../../../../protocol/callsign/requests.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { RateLimiter } from "../../http/rate-limit.js";
import type { AccountRow } from "../../storage/entities/index.js";
import type { Requester } from "../accounts.js";
import { CaptchaService } from "../captcha.js";
import type { StreamWriter } from "../stream-writer.js";
import { callerRules, captchaNeeded } from "./caller-rules.js";

export interface GuestCallLimits {
  perIp: RateLimiter;
  perTarget: RateLimiter;
}

export class CallAdmission {
  constructor(
    private readonly writer: StreamWriter,
    private readonly captcha: CaptchaService,
    private readonly limits: GuestCallLimits,
  ) {}

  /** Applies the callee's inbox options and the tag's preset; returns the topic and tag to use. */
  async admit(r: Requester, callee: AccountRow, req: PlaceCallRequest, ip: string) {
    const rules = await this.writer.read((sql) => callerRules(sql, callee.userId, req.tag));
    const topic = req.topic ?? rules.tag?.topic ?? null;
    const tag = rules.tag?.name ?? null;
    if (!rules.calls)
      throw new ProtocolError("IO_CALLSIGN_CALLS_OFF", "This subscriber does not take calls now");
    if (r.isGuest && !rules.anonymous) {
      throw new ProtocolError(
        "IO_CALLSIGN_ANONYMOUS_REFUSED",
        "This subscriber takes calls only from registered callers",
      );
    }
    if (!topic && !rules.oneClick)
      throw new ProtocolError("IO_CALLSIGN_TOPIC_REQUIRED", "State a topic to call this subscriber");
    if (r.isGuest && captchaNeeded(rules, topic)) await this.checkCaptcha(req.captcha);
    if (r.isGuest) {
      this.limits.perIp.take(`ip:${ip}`);
      this.limits.perTarget.take(`target:${callee.userId}`);
    }
    return { topic, tag };
  }

  private async checkCaptcha(response: string | undefined): Promise<void> {
    if (!response) {
      throw new ProtocolError("IO_CALLSIGN_CAPTCHA_REQUIRED", "Solve the captcha to call without a topic", {
        captcha: this.captcha.create(),
      });
    }
    const solution = CaptchaService.decode(response);
    if (!solution || !(await this.captcha.verify(solution))) {
      throw new ProtocolError("M_CAPTCHA_INVALID", "The captcha answer is wrong, expired or used");
    }
  }
}
