/**
 * Delivery between providers (spec/federation-delivery.md): a sending provider queues items for
 * a peer and sends them in transactions, `PUT /send/{txnId}`, at most one in flight per peer, in
 * the order they were queued; the receiver applies each transaction once, in one database
 * transaction, item by item.
 */
import { z } from "zod";
import type { ErrorCode } from "../errors.js";

/** Items in one transaction at most. */
export const MAX_ITEMS_PER_TRANSACTION = 50;

/**
 * Largest payload of one item, in bytes of JSON. A sender refuses a larger one when it is
 * queued, so a transaction never outgrows what a receiver accepts.
 */
export const MAX_ITEM_BYTES = 16_384;

/**
 * Largest transaction body a sender composes, in bytes of JSON: under the 64 KiB request body a
 * receiver MUST accept on this endpoint.
 */
export const MAX_TRANSACTION_BYTES = 60_000;

/** A transaction ID: chosen by the sender, unique among its transactions to one receiver. */
export const TransactionId = z
  .string()
  .regex(/^[A-Za-z0-9._~-]{1,64}$/, "a transaction ID is 1–64 characters of A–Z a–z 0–9 . _ ~ -");

/** What an item is: the receiver applies it with the handler registered for its kind. */
export const ItemKind = z.string().regex(/^[a-z][a-z0-9._-]{0,63}$/, "an item kind is like `call.invite`");

/** One item of a transaction. */
export const TransactionItem = z.object({
  kind: ItemKind,
  /** The item itself, as its kind defines it. */
  payload: z.record(z.string(), z.unknown()),
});

/** The body of `PUT /_callsign/federation/v1/send/{txnId}`: items in the order they are applied. */
export const SendTransactionRequest = z.object({
  /** Applied in this order; each `{kind, payload}`, the payload a JSON object as its kind defines it. */
  items: z.array(TransactionItem).min(1).max(MAX_ITEMS_PER_TRANSACTION),
});
export type SendTransactionRequest = z.infer<typeof SendTransactionRequest>;
export type TransactionItem = z.infer<typeof TransactionItem>;

/** What became of one item of a transaction. */
export const ItemOutcome = {
  /** Applied: its effects are committed. */
  Applied: "applied",
  /** Its handler refused it (`errcode`, `error`): nothing of it was kept; the others were applied. */
  Refused: "refused",
  /** No handler for its kind here: ignored (`errcode` is `M_UNRECOGNIZED`). */
  Skipped: "skipped",
} as const;
export type ItemOutcomeValue = (typeof ItemOutcome)[keyof typeof ItemOutcome];

export interface ItemResult {
  outcome: ItemOutcomeValue;
  errcode?: ErrorCode;
  error?: string;
}

/** The answer to a transaction (200). */
export interface SendTransactionResponse {
  /** One per item, in the order of `items`; empty for a duplicate. */
  results: ItemResult[];
  /** The transaction was received before: nothing was applied again. */
  duplicate?: true;
}

export const deliverySchemas = { SendTransactionRequest } as const;
