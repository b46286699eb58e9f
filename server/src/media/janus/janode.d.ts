/**
 * Types for the parts of janode (Meetecho's Janus adapter, plain JavaScript without
 * declarations) that the facade uses, read from janode 1.8.0's source: Connection → Session →
 * Handle, each an EventEmitter; every request a transaction that teardown rejects.
 * Kept to what we call, so a janode upgrade that changes them shows up here.
 */
declare module "janode" {
  import type { EventEmitter } from "node:events";

  export interface JanodeServerAddress {
    url: string;
    /** Sent as `apisecret`, or as `admin_secret` on an admin connection. */
    apisecret?: string;
    token?: string;
  }

  export interface JanodeConfig {
    address: JanodeServerAddress | JanodeServerAddress[];
    /** Seconds between attempts. Default 10. */
    retry_time_secs?: number;
    /** Attempts after the first. Default 5. */
    max_retries?: number;
    is_admin?: boolean;
    ws_options?: Record<string, unknown>;
  }

  /** A Janus message as received, e.g. `{ janus: "success", sessions: [...] }`. */
  export type JanusMessage = Record<string, unknown> & { janus: string };

  export interface JanodePluginDescriptor<H> {
    id: string;
    Handle: new (...args: never[]) => H;
    EVENT: Record<string, string>;
  }

  export interface JanodeHandle extends EventEmitter {
    readonly id: number;
    detach(): Promise<void>;
    hangup(): Promise<JanusMessage>;
    trickle(candidate: JanodeCandidate | JanodeCandidate[] | null): Promise<JanusMessage>;
    trickleComplete(): Promise<JanusMessage>;
  }

  export interface JanodeCandidate {
    candidate?: string;
    sdpMid?: string | null;
    sdpMLineIndex?: number | null;
    completed?: boolean;
  }

  export interface JanodeSession extends EventEmitter {
    readonly id: number;
    attach<H extends JanodeHandle>(plugin: JanodePluginDescriptor<H>): Promise<H>;
    destroy(): Promise<void>;
  }

  export interface JanodeConnection extends EventEmitter {
    readonly id: number;
    create(keepAliveSecs?: number): Promise<JanodeSession>;
    getInfo(): Promise<JanusMessage>;
    close(): Promise<void>;
    /** Admin connections only. */
    listSessions(): Promise<JanusMessage & { sessions: number[] }>;
    /** Admin connections only. */
    listHandles(sessionId: number): Promise<JanusMessage & { handles: number[] }>;
  }

  const Janode: {
    connect(config: JanodeConfig): Promise<JanodeConnection>;
    Logger: { setLevel(level: "none" | "error" | "warning" | "info" | "verbose" | "debug"): string };
    EVENT: {
      CONNECTION_CLOSED: string;
      CONNECTION_ERROR: string;
      SESSION_DESTROYED: string;
      HANDLE_DETACHED: string;
      HANDLE_HANGUP: string;
      HANDLE_ICE_FAILED: string;
      HANDLE_WEBRTCUP: string;
      HANDLE_TRICKLE: string;
    };
  };
  export default Janode;
}

declare module "janode/plugins/videoroom" {
  import type { JanodeHandle, JanodePluginDescriptor } from "janode";

  export interface Jsep {
    type: "offer" | "answer";
    sdp: string;
  }

  export interface VideoRoomListEntry {
    room: number;
    description: string;
    is_private?: boolean;
    max_publishers: number;
    num_participants: number;
    audiocodec?: string;
    videocodec?: string;
  }

  export interface VideoRoomHandle extends JanodeHandle {
    create(params: {
      room?: number;
      description?: string;
      max_publishers?: number;
      permanent?: boolean;
      is_private?: boolean;
      secret?: string;
      pin?: string;
      admin_key?: string;
      audiocodec?: string;
      videocodec?: string;
    }): Promise<{ room: number; permanent: boolean }>;
    destroy(params: { room: number; secret?: string; permanent?: boolean }): Promise<{ room: number }>;
    list(params?: { admin_key?: string }): Promise<{ list: VideoRoomListEntry[] }>;
    joinConfigurePublisher(params: {
      room: number;
      display?: string;
      audio?: boolean;
      video?: boolean;
      data?: boolean;
      jsep: Jsep;
    }): Promise<{ room: number; feed: number; jsep?: Jsep }>;
    joinSubscriber(params: {
      room: number;
      feed: number;
    }): Promise<{ room: number; feed: number; jsep?: Jsep }>;
    start(params: { jsep: Jsep }): Promise<unknown>;
    leave(): Promise<unknown>;
  }

  const VideoRoomPlugin: JanodePluginDescriptor<VideoRoomHandle> & {
    EVENT: { VIDEOROOM_DESTROYED: string; VIDEOROOM_KICKED: string; VIDEOROOM_ERROR: string };
  };
  export default VideoRoomPlugin;
}

declare module "janode/plugins/sip" {
  import type { JanodeHandle, JanodePluginDescriptor, JanusMessage } from "janode";

  export interface SipJsep {
    type: "offer" | "answer";
    sdp: string;
  }

  export interface SipHandle extends JanodeHandle {
    /** Resolves on Janus's `registered` (at once for a guest or without `send_register`). */
    register(params: {
      type?: "guest" | "helper";
      send_register?: boolean;
      username: string;
      secret?: string;
      display_name?: string;
      proxy?: string;
      outbound_proxy?: string;
    }): Promise<{ username: string; register_sent: boolean }>;
    /** Settles when the call is answered (`accepted`) or fails before; janode gives up after 120 s. */
    call(params: { uri: string; jsep: SipJsep }): Promise<{ call_id: string; jsep?: SipJsep }>;
    accept(params: { jsep: SipJsep }): Promise<unknown>;
    /** Resolves on Janus's `hangingup`; the call's `hangup` event follows. */
    sip_hangup(): Promise<unknown>;
    decline(): Promise<unknown>;
    /**
     * janode's hook for a plugin's messages (what a plugin handle overrides): returns a falsy
     * value for a message it does not know.
     */
    handleMessage(message: JanusMessage): unknown;
    /** Adds `transaction` and `handle_id` to a request about to be sent. */
    decorateRequest(request: { body?: Record<string, unknown> }): void;
  }

  const SipPlugin: JanodePluginDescriptor<SipHandle>;
  export default SipPlugin;
}
