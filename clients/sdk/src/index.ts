/**
 * The Callsign client SDK: typed calls for what Matrix has no word for. Chat, rooms and sync go
 * through a stock `matrix-js-sdk` client created with the access token these calls return.
 */
export { login, loginIdentifier, numberOf, registerAccount, registerGuest, type SignUp } from "./auth.js";
export {
  CallsignApi,
  type CreateTag,
  type InboxOptionsUpdate,
  type MarkRead,
  type PlaceCall,
} from "./calls.js";
export { NamesApi, type NameClaimView, type PayName, type ReserveName } from "./names.js";
export {
  ServicesApi,
  type CreateCustomer,
  type CreateService,
  type Distribution,
  type OfferService,
  type RoutingRule,
  type Transfer,
  type UpdateService,
} from "./services.js";
export { BillingApi, type ChangePlan } from "./billing.js";
export { MediaApi, type Trickle } from "./media.js";
export { WidgetsApi, type CreateWidget, type UpdateWidget } from "./widgets.js";
export { routePath } from "./route-path.js";
export { solveCaptcha, type CaptchaChallenge } from "./captcha.js";
export { requestJson } from "./http.js";
export { ProtocolError } from "../../../protocol/errors.js";
