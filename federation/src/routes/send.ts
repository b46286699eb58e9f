// PUT /_callsign/federation/v1/send/{txnId} — a transaction of queued items from a peer provider.
import {
  SendTransactionRequest,
  TransactionId,
  type SendTransactionResponse,
} from "../../../protocol/federation/delivery.js";
import { FederationApiRoutes } from "../../../protocol/federation/routes.js";
import { parse, route } from "../../../server/src/http/route.js";

export const federationSend = route({
  method: "put",
  path: FederationApiRoutes.send,
  scope: "federation",
  auth: "server",
  handler: async ({ params, body, origin }, ctx): Promise<SendTransactionResponse> => {
    const txnId = parse(TransactionId, params.txnId, "txnId");
    const { items } = parse(SendTransactionRequest, body);
    return ctx.inboundItems.receive(origin, txnId, items);
  },
});
