/**
 * Route paths of the Matrix client-server subset. Paths marked `client` are served under every
 * prefix in `ClientPrefixes`; the rest are absolute. Express path syntax (`:param`, `{/:opt}`).
 */
export const ClientPrefixes = ["/_matrix/client/v3", "/_matrix/client/r0"] as const;

export const AbsoluteRoutes = {
  versions: "/_matrix/client/versions",
  wellKnownClient: "/.well-known/matrix/client",
} as const;

export const ClientRoutes = {
  register: "/register",
  registerAvailable: "/register/available",
  login: "/login",
  logout: "/logout",
  logoutAll: "/logout/all",
  whoami: "/account/whoami",
  capabilities: "/capabilities",
  pushRules: "/pushrules/",
  filterCreate: "/user/:userId/filter",
  filterGet: "/user/:userId/filter/:filterId",
  accountData: "/user/:userId/account_data/:type",
  roomAccountData: "/user/:userId/rooms/:roomId/account_data/:type",
  sync: "/sync",
  createRoom: "/createRoom",
  joinedRooms: "/joined_rooms",
  joinByIdOrAlias: "/join/:roomIdOrAlias",
  roomJoin: "/rooms/:roomId/join",
  roomInvite: "/rooms/:roomId/invite",
  roomLeave: "/rooms/:roomId/leave",
  roomForget: "/rooms/:roomId/forget",
  roomKick: "/rooms/:roomId/kick",
  roomBan: "/rooms/:roomId/ban",
  roomUnban: "/rooms/:roomId/unban",
  roomSend: "/rooms/:roomId/send/:eventType/:txnId",
  roomState: "/rooms/:roomId/state",
  roomStateEvent: "/rooms/:roomId/state/:eventType{/:stateKey}",
  roomMessages: "/rooms/:roomId/messages",
  roomMembers: "/rooms/:roomId/members",
  roomJoinedMembers: "/rooms/:roomId/joined_members",
  roomEvent: "/rooms/:roomId/event/:eventId",
  roomReceipt: "/rooms/:roomId/receipt/:receiptType/:eventId",
  roomReadMarkers: "/rooms/:roomId/read_markers",
  roomTyping: "/rooms/:roomId/typing/:userId",
  profile: "/profile/:userId",
  profileDisplayName: "/profile/:userId/displayname",
  profileAvatarUrl: "/profile/:userId/avatar_url",
  sendToDevice: "/sendToDevice/:eventType/:txnId",
  turnServer: "/voip/turnServer",
  devices: "/devices",
} as const;

/** Matrix spec versions advertised by `/versions`. */
export const SupportedVersions = [
  "v1.1",
  "v1.2",
  "v1.3",
  "v1.4",
  "v1.5",
  "v1.6",
  "v1.7",
  "v1.8",
  "v1.9",
  "v1.10",
  "v1.11",
];

/** Matrix presence, which Callsign uses to decide whether a callee is online. */
export const PresenceRoutes = { status: "/presence/:userId/status" } as const;
