/** Route paths of the Callsign extension API, under `CallsignPrefix`, and the call links. */
export const CallsignPrefix = "/_callsign/client/v1";

export const CallsignRoutes = {
  handle: "/handles/:handle",
  captcha: "/captcha",
  calls: "/calls",
  call: "/calls/:callId",
  callCancel: "/calls/:callId/cancel",
  callReply: "/calls/:callId/reply",
  callDecline: "/calls/:callId/decline",
  callTake: "/calls/:callId/take",
  callEnd: "/calls/:callId/end",
  callSms: "/calls/:callId/sms",
  callCallBack: "/calls/:callId/call-back",
  queue: "/queue",
  inbox: "/inbox",
  inboxRead: "/inbox/read",
  inboxOptions: "/inbox/options",
  smsReply: "/sms/:smsId/reply",
  smsCallBack: "/sms/:smsId/call-back",
  names: "/names",
  name: "/names/:name",
  namePay: "/names/:name/pay",
  nameRenew: "/names/:name/renew",
  nameClaim: "/names/:name/claim",
  domains: "/domains",
  domain: "/domains/:domain",
  domainCheck: "/domains/:domain/check",
  directory: "/directory",
  customers: "/customers",
  customer: "/customers/:customerId",
  customerTeam: "/customers/:customerId/team",
  customerTeamMember: "/customers/:customerId/team/:userId",
  customerServices: "/customers/:customerId/services",
  service: "/services/:serviceId",
  serviceHours: "/services/:serviceId/hours",
  serviceDistribution: "/services/:serviceId/distribution",
  serviceRoutes: "/services/:serviceId/routes",
  serviceSubscription: "/services/:serviceId/subscription",
  serviceInvoices: "/services/:serviceId/invoices",
  invoiceRefund: "/invoices/:invoiceId/refund",
  customerLedger: "/customers/:customerId/ledger",
  plans: "/plans",
  serviceTransfer: "/services/:serviceId/transfer",
  serviceTransferTargets: "/services/:serviceId/transfer-targets",
  serviceTransfers: "/service-transfers",
  serviceTransferAccept: "/service-transfers/:offerId/accept",
  serviceTransferDecline: "/service-transfers/:offerId/decline",
  serviceTransferCancel: "/service-transfers/:offerId/cancel",
  customerWidgets: "/customers/:customerId/widgets",
  widget: "/widgets/:widgetId",
  serviceInbox: "/services/:serviceId/inbox",
  serviceInboxRead: "/services/:serviceId/inbox/read",
  serviceInboxOptions: "/services/:serviceId/inbox/options",
  serviceOperators: "/services/:serviceId/operators",
  serviceOperator: "/services/:serviceId/operators/:email",
  serviceOnline: "/services/:serviceId/online",
  serviceAddresses: "/services/:serviceId/addresses",
  serviceAddress: "/services/:serviceId/addresses/:address",
  operating: "/operating",
  callTransfer: "/calls/:callId/transfer",
  tags: "/tags",
  tag: "/tags/:name",
} as const;

/** The site widget's script and the status it polls: public, absolute paths. */
export const WidgetRoutes = {
  script: "/_callsign/widget/v1/widget.js",
  status: "/_callsign/widget/v1/widgets/:widgetId/status",
} as const;

/** Where payment providers deliver their signed webhooks (absolute; `:provider` is its name). */
export const PaymentRoutes = { webhook: "/_callsign/payments/v1/webhook/:provider" } as const;

/** Call links: an HTML page for browsers, JSON (`HandleView`) for `Accept: application/json`. */
export const CallLinkRoutes = { handle: "/call/:handle", tag: "/call/:handle/:tag" } as const;

/** The path of a call link. */
export function callLink(handle: string, tag?: string): string {
  return `/call/${encodeURIComponent(handle)}${tag ? `/${encodeURIComponent(tag)}` : ""}`;
}
