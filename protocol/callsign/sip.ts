/**
 * A service's SIP trunk (spec/services.md "Bridging to your PBX", BRIEF F22): the SIP address
 * calls to the service are sent to on the company's own PBX, the proxy or registrar to reach it
 * through, the credentials (kept sealed; never shown again), and when the PBX rings — instead of
 * the web operators, or after they have not taken the call for a while. With `accept_calls` the
 * trunk also registers at the PBX, so the PBX's extensions can call Callsign handles through it.
 */
import { z } from "zod";

export const SipRoutes = {
  /** The service's trunk: GET shows it, PUT sets it, DELETE removes it (the management team). */
  trunk: "/services/:serviceId/sip-trunk",
} as const;

/** When the PBX rings. */
export const TrunkMode = {
  /** Every call goes to the PBX; web operators are not rung. */
  Instead: "instead",
  /** Web operators first; a call nobody took within `after_s` goes to the PBX. */
  After: "after",
} as const;
export type TrunkModeValue = (typeof TrunkMode)[keyof typeof TrunkMode];

const sipUri = z
  .string()
  .trim()
  .max(255)
  .regex(/^sips?:[^\s@]+@[^\s@;?]+(;[^\s]*)?$/, "a SIP URI such as sip:desk@pbx.example.com");
const proxyUri = z
  .string()
  .trim()
  .max(255)
  .regex(/^sips?:[^\s@;?]+(;[^\s]*)?$/, "a SIP URI of a host such as sip:pbx.example.com:5060");

export const SipTrunkRequest = z
  .object({
    /** Where calls ring on the PBX: an extension or a hunt group. */
    uri: sipUri,
    /** The PBX's proxy or registrar, when the URI's host is not reachable as it is. */
    proxy: proxyUri.optional(),
    /** Credentials for the PBX (digest authentication); the password is never shown again. */
    username: z.string().trim().min(1).max(128).optional(),
    password: z.string().min(1).max(256).optional(),
    mode: z.enum([TrunkMode.Instead, TrunkMode.After]),
    /** With `after`: seconds the web operators have before the PBX rings. */
    after_s: z.number().int().min(5).max(600).optional(),
    /**
     * Register `sip:<username>@<the PBX's domain>` at the PBX (through `proxy`) and take the calls
     * it sends there: each goes to the Callsign handle its To names. Needs the credentials.
     */
    accept_calls: z.boolean().optional(),
  })
  .refine((t) => (t.mode === TrunkMode.After) === (t.after_s !== undefined), {
    message: "after_s goes with the mode after, and only with it",
    path: ["after_s"],
  })
  .refine((t) => t.password === undefined || t.username !== undefined, {
    message: "a password needs a username",
    path: ["password"],
  })
  .refine((t) => !t.accept_calls || t.username !== undefined, {
    message: "taking calls from the PBX needs the trunk's username and password (it registers)",
    path: ["accept_calls"],
  });
export type SipTrunkRequest = z.infer<typeof SipTrunkRequest>;

export const sipSchemas = { SipTrunkRequest } as const;

/** A service's trunk as the team sees it: everything but the password. */
export interface SipTrunkView {
  service_id: string;
  uri: string;
  proxy: string | null;
  username: string | null;
  /** Whether a password is kept (sealed). */
  has_password: boolean;
  mode: TrunkModeValue;
  after_s: number | null;
  /** Whether the trunk registers at the PBX to take its calls. */
  accept_calls: boolean;
  /** The address the PBX sends calls for Callsign to (registered while `accept_calls`); null without a username. */
  line: string | null;
  updated_at: number;
}
