/**
 * What a peer's transaction does here (spec/federation-delivery.md "Receiving"): each item is
 * applied by the handler registered for its kind. A transaction is applied once — its
 * (origin, ID) is recorded in the same database transaction as the items' effects, so a retry
 * after a lost answer finds it and applies nothing — and item by item, each under a savepoint:
 * a handler's ProtocolError drops that item alone (and is reported in the answer), an unknown
 * kind is skipped, and any other error fails the whole transaction (500: the sender retries).
 */
import { ProtocolError } from "../../../protocol/errors.js";
import {
  ItemKind,
  ItemOutcome,
  type ItemResult,
  type SendTransactionResponse,
  type TransactionItem,
} from "../../../protocol/federation/delivery.js";
import type { StreamWriter, WriteTx } from "../../../server/src/services/stream-writer.js";
import { FederationReceivedRepo } from "../../../server/src/storage/repositories/federation-received.js";
import { withSavepoint } from "../../../server/src/storage/savepoint.js";

/**
 * Applies one item from `origin` (a verified peer) inside the receiving transaction. Throw a
 * ProtocolError to refuse the item (its writes are undone, the others kept); any other error
 * fails the transaction, which the sender then retries. Work that must follow the commit goes
 * through `tx.afterCommit` (it also runs when this item was refused: keep it harmless then).
 */
export type InboundItemHandler = (
  tx: WriteTx,
  origin: string,
  payload: Record<string, unknown>,
) => Promise<void>;

export class InboundItems {
  private readonly handlers = new Map<string, InboundItemHandler>();

  constructor(private readonly writer: StreamWriter) {}

  /** Sets the handler of one item kind (once per kind, before peers send it). */
  register(kind: string, handler: InboundItemHandler): void {
    if (!ItemKind.safeParse(kind).success) throw new Error(`not an item kind: ${kind}`);
    if (this.handlers.has(kind)) throw new Error(`items of kind ${kind} have a handler already`);
    this.handlers.set(kind, handler);
  }

  /** Applies a transaction received from `origin`, once; answers what became of each item. */
  receive(origin: string, txnId: string, items: TransactionItem[]): Promise<SendTransactionResponse> {
    return this.writer.write(async (tx) => {
      if (!(await new FederationReceivedRepo(tx).first(origin, txnId)))
        return { results: [], duplicate: true };
      const results: ItemResult[] = [];
      for (const item of items) results.push(await this.apply(tx, origin, item));
      return { results };
    });
  }

  private async apply(tx: WriteTx, origin: string, item: TransactionItem): Promise<ItemResult> {
    const handler = this.handlers.get(item.kind);
    if (!handler) {
      return {
        outcome: ItemOutcome.Skipped,
        errcode: "M_UNRECOGNIZED",
        error: `Unknown item kind ${item.kind}`,
      };
    }
    try {
      await withSavepoint(tx, "federation_item", () => handler(tx, origin, item.payload));
      return { outcome: ItemOutcome.Applied };
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      return { outcome: ItemOutcome.Refused, errcode: err.errcode, error: err.message };
    }
  }
}
