/**
 * Handles other providers host, as their provider describes them (spec/federation.md
 * "Resolution"): asked with a signed request and kept for a short while, so a dial box or a
 * call link does not ask the peer on every keystroke, while "online" stays fresh enough.
 */
import type { HandleView } from "../../../protocol/callsign/calls.js";
import { FederationApiRoutes, type RemoteHandleView } from "../../../protocol/federation/routes.js";
import { fillRoute } from "../../../protocol/ids.js";
import type { RemoteHandleViews } from "../../../server/src/services/calls/handle-service.js";
import type { RemoteHandle } from "../../../server/src/services/calls/handles.js";
import type { FederationClient } from "../outbound/client.js";

/** How long a peer's answer about a handle is reused. */
export const REMOTE_HANDLE_TTL_MS = 15_000;
const MAX_ENTRIES = 10_000;

export class RemoteHandles implements RemoteHandleViews {
  private readonly cache = new Map<string, { view: HandleView; until: number }>();

  constructor(private readonly client: FederationClient) {}

  async view(to: RemoteHandle, tag?: string): Promise<HandleView> {
    const key = `${to.provider}\n${to.handle}\n${tag ?? ""}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.view;
    const path =
      fillRoute(FederationApiRoutes.handle, { handle: to.handle }) +
      (tag ? `?tag=${encodeURIComponent(tag)}` : "");
    const peer = await this.client.request<RemoteHandleView>(to.provider, "GET", path);
    // The peer speaks for its own parties only; how they are dialled from here is ours to say.
    const view: HandleView = {
      ...peer,
      handle: to.handle,
      user: { ...peer.user, provider: to.provider, handle: to.handle },
    };
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { view, until: Date.now() + REMOTE_HANDLE_TTL_MS });
    return view;
  }
}
