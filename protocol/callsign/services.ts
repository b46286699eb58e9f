/**
 * Webcam services: a customer's virtual office PBX (spec/services.md). A service answers to its
 * service id (a name held through the names registry), its number and the addresses of its
 * customer's verified domains; its operators — listed by e-mail — go online per service and
 * share its queue.
 */
import { z } from "zod";
import type { DistributionModeValue } from "./billing.js";
import type { NameView } from "./names.js";

export const OperatorStatus = {
  /** No account has the e-mail yet: the invitation waits for that person to register. */
  Invited: "invited",
  Active: "active",
} as const;
export type OperatorStatusValue = (typeof OperatorStatus)[keyof typeof OperatorStatus];

export interface OperatorView {
  email: string;
  user_id: string | null;
  display_name: string | null;
  status: OperatorStatusValue;
  /** Online for this service: switched on and the operator's client is connected. */
  online: boolean;
}

export interface ServiceView {
  service_id: string;
  customer_id: string;
  /** The service's account: the callee of its calls. */
  user_id: string;
  number: string;
  /** The service id once its name is active (callers dial it); null while it awaits payment. */
  handle: string | null;
  display_name: string;
  description: string;
  /** The service id's name in the registry (state, price, paid until): for the team. */
  name: NameView | null;
  /** How calls are handed out (spec/services.md "Distribution"). */
  distribution: { mode: DistributionModeValue; offer_timeout_s: number };
  /** Routing rules by topic keywords, in order. */
  routes: { keywords: string[]; service_id: string }[];
  /** When it takes calls; null: always (while operators are online). */
  hours: OperatingHours | null;
  /** Whether it is within its hours now. */
  open: boolean;
  /** `local@domain` (or `domain`) addresses of the customer's verified domains. */
  addresses: string[];
  /** How many operators are online now. */
  online_operators: number;
  /** The team sees every operator; an operator sees only themself. */
  operators: OperatorView[];
  created_at: number;
}

/** A service as one of its operators sees it in their list. */
export interface OperatedServiceView {
  service_id: string;
  customer_id: string;
  /** The service's account: the `callee` of its calls. */
  user_id: string;
  handle: string | null;
  number: string;
  display_name: string;
  /** Whether this operator is online for the service. */
  online: boolean;
  online_operators: number;
  queued: number;
  /** Unread items of the service's inbox. */
  unread: { sms: number; missed: number };
}

/** Where an operator may transfer a call of a service: the customer's services and operators. */
export interface TransferTargetsView {
  services: {
    service_id: string;
    user_id: string;
    display_name: string;
    handle: string | null;
    online: boolean;
  }[];
  operators: { user_id: string; display_name: string | null }[];
}

const displayName = z.string().trim().min(1).max(100);
const description = z.string().trim().max(2000);

export const CreateServiceRequest = z.object({
  /** The service id wanted: a name (spec/names.md), reserved for the service. */
  service_id: z.string().trim().min(1).max(64),
  display_name: displayName,
  description: description.optional(),
});

export const UpdateServiceRequest = z
  .object({ display_name: displayName.optional(), description: description.optional() })
  .refine((u) => u.display_name !== undefined || u.description !== undefined, {
    message: "Give display_name or description",
  });

export const AddOperatorRequest = z.object({ email: z.string().trim().min(3).max(320) });

export const OperatorOnlineRequest = z.object({ online: z.boolean() });

/** `acme.com` or `sales@acme.com`, of a domain the requester holds a verified claim to. */
export const ServiceAddressRequest = z.object({ address: z.string().trim().min(1).max(320) });

export const TransferRequest = z
  .object({
    /** Another service of the same customer... */
    service_id: z.string().max(64).optional(),
    /** ...or one of its operators, by user ID. */
    user_id: z.string().max(255).optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .refine((t) => (t.service_id === undefined) !== (t.user_id === undefined), {
    message: "Give exactly one of service_id and user_id",
  });

/** Days of the week as `OperatingHours.weekly` keys, Monday first. */
export const Weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "a time is HH:MM, 00:00 to 24:00");
/** Opening periods of one day, `[from, to)` in local time, e.g. `[["09:00", "12:30"], ["13:30", "18:00"]]`. */
const periods = z
  .array(z.tuple([clock, clock]).refine(([a, b]) => a < b, { message: "a period ends after it starts" }))
  .max(8);

/** When a service takes calls: a weekly schedule in a time zone, and dates that differ. */
export const OperatingHours = z.object({
  /** An IANA time zone, e.g. `Europe/Lisbon`. */
  time_zone: z.string().refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: "an IANA time zone such as Europe/Lisbon" },
  ),
  /** Periods per weekday; a day left out is closed. */
  weekly: z.partialRecord(z.enum(Weekdays), periods),
  /** Dates (local, `YYYY-MM-DD`) whose periods replace the weekday's; `[]` closes the day. */
  exceptions: z
    .array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date is YYYY-MM-DD"), periods }))
    .max(366)
    .default([]),
});
export type OperatingHours = z.infer<typeof OperatingHours>;

/** Routing by topic: a call whose topic has one of the keywords goes to the service. */
export const RoutesRequest = z.object({
  routes: z
    .array(
      z.object({
        keywords: z.array(z.string().trim().min(1).max(64)).min(1).max(50),
        service_id: z.string().max(64),
      }),
    )
    .max(50),
});

/** Sets the hours, or `null` for always open. */
export const ServiceHoursRequest = z.object({ hours: OperatingHours.nullable() });

/** Offers a service (and its id) to the account a handle names, for one of their customers. */
export const OfferServiceRequest = z.object({
  to: z.string().trim().min(1).max(320),
  note: z.string().trim().max(1000).optional(),
});

/** Accepts a service into one of the requester's customers (they must own it). */
export const AcceptServiceRequest = z.object({ customer_id: z.string().max(64) });

export const ServiceTransferState = {
  Offered: "offered",
  Accepted: "accepted",
  Declined: "declined",
  Cancelled: "cancelled",
  /** Shown for an offer nobody decided within its week (it can no longer be accepted). */
  Expired: "expired",
} as const;
export type ServiceTransferStateValue = (typeof ServiceTransferState)[keyof typeof ServiceTransferState];

export interface ServiceTransferView {
  offer_id: string;
  service_id: string;
  /** The service's name and handle, as the receiving side sees them. */
  display_name: string;
  handle: string | null;
  from_customer: { customer_id: string; name: string };
  to_user: string;
  to_customer: string | null;
  state: ServiceTransferStateValue;
  note: string | null;
  offered_by: string;
  offered_at: number;
  /** An offer not decided by then can no longer be accepted. */
  expires_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

export const servicesSchemas = {
  CreateServiceRequest,
  UpdateServiceRequest,
  AddOperatorRequest,
  OperatorOnlineRequest,
  ServiceAddressRequest,
  TransferRequest,
  ServiceHoursRequest,
  RoutesRequest,
  OfferServiceRequest,
  AcceptServiceRequest,
} as const;
