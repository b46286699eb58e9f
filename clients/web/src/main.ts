/**
 * Callsign's reference web client. The homeserver serves this page, so the page's own origin is
 * the homeserver's base URL. The session lives in localStorage; a reload resumes it. The same
 * page answers call links (`/call/<handle>[/<tag>]`): signed out, it shows the callee and calls
 * as a guest; signed in, the link appears above the dial box.
 */
import { ClientEvent, createClient, HttpApiEvent, SyncState, type MatrixClient } from "matrix-js-sdk";
import type { CallView } from "../../../protocol/callsign/calls.js";
import { CallsignApi } from "../../sdk/src/index.js";
import { continueAsGuest } from "./auth.js";
import { renderAuthView } from "./auth-view.js";
import { parseCallLink } from "./call-links.js";
import { renderCallLinkView } from "./call-link-view.js";
import { h, replaceChildren } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { renderHomeView, type HomeView } from "./home-view.js";
import { clearSession, loadSession, saveSession, type Session } from "./session.js";

const INITIAL_SYNC_LIMIT = 30;

const baseUrl = window.location.origin;
const app = requireElement("app");
const header = requireElement("account");
const errors = new ErrorLine(requireElement("error"));
const link = parseCallLink(window.location.pathname);

let active: { client: MatrixClient; home?: HomeView } | null = null;

function showSignedOut(): void {
  replaceChildren(header);
  if (link) return showCallLink();
  replaceChildren(app, renderAuthView({ baseUrl, errors, onSession: (session) => void start(session) }));
}

/** A call link, signed out: calling registers a guest (once) and places the call with it. */
function showCallLink(): void {
  if (!link) return;
  let guest: Session | null = null;
  const view = renderCallLinkView({
    target: link,
    errors,
    lookup: new CallsignApi(baseUrl),
    asGuest: true,
    callerApi: async () => {
      if (!guest) {
        guest = await continueAsGuest(baseUrl);
        // Kept even if the call is refused, so that trying again does not make another guest.
        saveSession(guest);
      }
      return new CallsignApi(baseUrl, guest.accessToken);
    },
    onCall: (call) => {
      if (guest) void start(guest, call);
    },
    onSignIn: () =>
      replaceChildren(app, renderAuthView({ baseUrl, errors, onSession: (session) => void start(session) })),
  });
  replaceChildren(app, h("main", { class: "link-page", testid: "call-link-page" }, view));
}

async function start(session: Session, call?: CallView): Promise<void> {
  saveSession(session);
  errors.clear();
  const client = createClient({
    baseUrl,
    userId: session.userId,
    accessToken: session.accessToken,
    deviceId: session.deviceId || undefined,
  });
  client.setGuest(session.guest);
  active = { client };
  // The token was revoked or expired: drop the session and show the sign-in screen.
  client.on(HttpApiEvent.SessionLoggedOut, (error) => {
    stop(client);
    errors.show(error);
  });
  replaceChildren(app, h("p", { class: "loading", testid: "loading" }, "Connecting…"));
  try {
    await client.startClient({ initialSyncLimit: INITIAL_SYNC_LIMIT });
    await waitUntilPrepared(client);
  } catch (error) {
    stop(client);
    errors.show(error);
    return;
  }
  if (active?.client !== client) return;
  errors.clear();
  const home = renderHomeView({
    baseUrl,
    client,
    session,
    errors,
    header,
    link,
    call,
    onSignOut: () => void signOut(client),
  });
  active.home = home;
  replaceChildren(app, home.element);
}

/** Resolves at the first PREPARED sync; shows sync errors meanwhile (the SDK keeps retrying). */
function waitUntilPrepared(client: MatrixClient): Promise<void> {
  return new Promise((resolve) => {
    if (client.getSyncState() === SyncState.Prepared) return resolve();
    const onSync = (state: SyncState, _previous: SyncState | null, data?: { error?: Error }) => {
      if (state === SyncState.Error && data?.error) errors.show(data.error);
      if (state !== SyncState.Prepared) return;
      client.off(ClientEvent.Sync, onSync);
      resolve();
    };
    client.on(ClientEvent.Sync, onSync);
  });
}

async function signOut(client: MatrixClient): Promise<void> {
  let failure: unknown = null;
  try {
    // Stop syncing first: the server counts a syncing client as online.
    client.stopClient();
    // Best effort: without a syncing client the server lets the presence lapse anyway.
    await client.setPresence({ presence: "offline" }).catch(() => undefined);
    await client.logout(true);
  } catch (error) {
    // Signing out locally matters more than telling the server; still say why it failed.
    failure = error;
  }
  stop(client);
  if (failure) errors.show(failure);
}

function stop(client: MatrixClient): void {
  client.stopClient();
  client.removeAllListeners();
  if (active?.client !== client) return;
  active.home?.dispose();
  active = null;
  clearSession();
  showSignedOut();
}

function requireElement(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no #${id}`);
  return element;
}

const saved = loadSession();
if (saved) void start(saved);
else showSignedOut();
