/**
 * Tariff plans, subscriptions, invoices and the payments ledger of Webcam services
 * (spec/services.md "Plans and subscriptions", "Payments"). Plans are the provider's; each
 * service has one subscription, which starts as a free trial; invoices are paid through the
 * payment provider's checkout and confirmed by its signed webhook; every money movement — plan
 * invoices and name fees alike — is one entry of the ledger.
 */
import { z } from "zod";

export const DistributionMode = {
  /** Every online operator sees the service's queue; any of them takes its head. */
  Shared: "shared",
  /** The call is offered to one free operator at a time, moving on after a time-out. */
  Auto: "auto",
} as const;
export type DistributionModeValue = (typeof DistributionMode)[keyof typeof DistributionMode];

export interface PlanView {
  plan: string;
  monthly_cents: number;
  currency: string;
  /** Distribution modes the plan allows. */
  modes: DistributionModeValue[];
  /** Operators online at once, at most. */
  max_operators: number;
  /** A call's longest duration, from when it is answered. */
  max_call_minutes: number;
}

export const SubscriptionState = {
  /** The free trial: the plan's limits apply, nothing is due until `trial_end`. */
  Trialing: "trialing",
  /** Paid until `period_end`. */
  Active: "active",
  /** The trial or the paid period ended unpaid: the service still runs until `paused_at`. */
  PastDue: "past_due",
  /** Unpaid past the grace: callers are told so and no call rings until an invoice is paid. */
  Paused: "paused",
} as const;
export type SubscriptionStateValue = (typeof SubscriptionState)[keyof typeof SubscriptionState];

export interface SubscriptionEventView {
  from: SubscriptionStateValue | null;
  to: SubscriptionStateValue;
  reason: string;
  at: number;
}

export interface SubscriptionView {
  service_id: string;
  plan: PlanView;
  state: SubscriptionStateValue;
  trial_end: number | null;
  /** End of the paid period (null before the first payment). */
  period_end: number | null;
  /** When a past-due service will be (or was) paused. */
  pause_at: number | null;
  events: SubscriptionEventView[];
}

export const InvoiceState = { Open: "open", Paid: "paid", Refunded: "refunded", Void: "void" } as const;
export type InvoiceStateValue = (typeof InvoiceState)[keyof typeof InvoiceState];

export interface InvoiceView {
  invoice_id: string;
  service_id: string;
  plan: string;
  amount_cents: number;
  currency: string;
  state: InvoiceStateValue;
  /** Where the payer pays (the provider's checkout page) while the invoice is open. */
  checkout_url: string | null;
  created_by: string;
  created_at: number;
  paid_at: number | null;
  refunded_at: number | null;
  /** The paid period this invoice bought (set when paid). */
  period_end: number | null;
}

export interface LedgerEntryView {
  entry_id: string;
  kind: "charge" | "refund";
  /** `name:<name>` or `invoice:<invoiceId>`. */
  purpose: string;
  amount_cents: number;
  currency: string;
  status: "succeeded" | "declined";
  provider: string;
  provider_ref: string | null;
  payer: string;
  created_at: number;
}

export const ChangePlanRequest = z.object({ plan: z.string().trim().min(1).max(64) });

export const DistributionRequest = z.object({
  mode: z.enum([DistributionMode.Shared, DistributionMode.Auto]),
  /** Auto mode: how long an offer rings one operator before moving on. */
  offer_timeout_s: z.number().int().min(5).max(600).default(20),
});

export const billingSchemas = { ChangePlanRequest, DistributionRequest } as const;
