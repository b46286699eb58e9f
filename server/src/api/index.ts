/** The route table: every endpoint the homeserver serves. */
import type { Auth, RouteDef } from "../http/route.js";
import * as accountData from "./matrix/account-data.js";
import { capabilities } from "./matrix/capabilities.js";
import { createRoom } from "./matrix/create-room.js";
import { devices } from "./matrix/devices.js";
import { event } from "./matrix/event.js";
import { filterCreate } from "./matrix/filter-create.js";
import { filterGet } from "./matrix/filter-get.js";
import { joinedRooms } from "./matrix/joined-rooms.js";
import { loginFlows } from "./matrix/login-flows.js";
import { login } from "./matrix/login.js";
import { logout, logoutAll } from "./matrix/logout.js";
import * as membersRoutes from "./matrix/members.js";
import * as membership from "./matrix/membership.js";
import { messages } from "./matrix/messages.js";
import * as profile from "./matrix/profile.js";
import { pushRules } from "./matrix/push-rules.js";
import * as receipts from "./matrix/receipts.js";
import { registerAvailable } from "./matrix/register-available.js";
import { register } from "./matrix/register.js";
import { sendToDevice } from "./matrix/send-to-device.js";
import { send } from "./matrix/send.js";
import * as state from "./matrix/state.js";
import { sync } from "./matrix/sync.js";
import { turnServer } from "./matrix/turn-server.js";
import { typing } from "./matrix/typing.js";
import { versions } from "./matrix/versions.js";
import { wellKnownClient } from "./matrix/well-known.js";
import { whoami } from "./matrix/whoami.js";
import { health } from "./ops/health.js";
import * as callActions from "./callsign/call-actions.js";
import * as callBack from "./callsign/call-back.js";
import * as calls from "./callsign/calls.js";
import { captcha } from "./callsign/captcha.js";
import { handle } from "./callsign/handle.js";
import * as inbox from "./callsign/inbox.js";
import { queue } from "./callsign/queue.js";
import * as tags from "./callsign/tags.js";
import * as names from "./callsign/names.js";
import * as domains from "./callsign/domains.js";
import { nameClaim } from "./callsign/name-claim.js";
import { directory } from "./callsign/directory.js";
import * as customers from "./callsign/customers.js";
import * as services from "./callsign/services.js";
import * as operators from "./callsign/operators.js";
import * as serviceInbox from "./callsign/service-inbox.js";
import * as billing from "./callsign/billing.js";
import * as widgets from "./callsign/widgets.js";
import * as serviceTransfers from "./callsign/service-transfers.js";
import * as federationWellKnown from "../../../federation/src/routes/well-known.js";
import * as federationHandles from "../../../federation/src/routes/handles.js";
import * as federationSend from "../../../federation/src/routes/send.js";
import * as federationCalls from "../../../federation/src/routes/calls.js";
import * as media from "./callsign/media.js";
import * as sipTrunk from "./callsign/sip-trunk.js";
import * as widgetStatus from "./widget/status.js";
import * as widgetScript from "./widget/script.js";
import * as paymentWebhook from "./payments/webhook.js";
import * as sandboxCheckout from "./payments/sandbox-checkout.js";
import * as presence from "./matrix/presence.js";
import { metrics } from "./ops/metrics.js";

export const routes: RouteDef<Auth>[] = [
  versions,
  wellKnownClient,
  register,
  registerAvailable,
  loginFlows,
  login,
  logoutAll,
  logout,
  whoami,
  capabilities,
  pushRules,
  filterCreate,
  filterGet,
  ...Object.values(accountData),
  sync,
  createRoom,
  joinedRooms,
  ...Object.values(membership),
  send,
  ...Object.values(state),
  messages,
  ...Object.values(membersRoutes),
  event,
  ...Object.values(receipts),
  typing,
  ...Object.values(profile),
  sendToDevice,
  turnServer,
  devices,
  ...Object.values(presence),
  handle,
  captcha,
  ...Object.values(calls),
  ...Object.values(callActions),
  queue,
  ...Object.values(inbox),
  ...Object.values(callBack),
  ...Object.values(tags),
  ...Object.values(names),
  ...Object.values(domains),
  nameClaim,
  directory,
  ...Object.values(customers),
  ...Object.values(services),
  ...Object.values(operators),
  ...Object.values(serviceInbox),
  ...Object.values(billing),
  ...Object.values(widgets),
  ...Object.values(serviceTransfers),
  ...Object.values(federationWellKnown),
  ...Object.values(federationHandles),
  ...Object.values(federationSend),
  ...Object.values(federationCalls),
  ...Object.values(media),
  ...Object.values(sipTrunk),
  ...Object.values(widgetStatus),
  ...Object.values(widgetScript),
  ...Object.values(paymentWebhook),
  ...Object.values(sandboxCheckout),
  health,
  metrics,
] as RouteDef<Auth>[];
