/**
 * Media wiring (spec/media.md): the Janus pool when gateways are configured, call media on it,
 * the bridge to companies' PBXs over their SIP trunks, and what follows a call's changes (its
 * room closes with the call, a leaving operator's handles go, a lost gateway ends its calls).
 */
import type { Config } from "../config/config.js";
import { Sealer } from "../crypto/sealer.js";
import type { CallMachine } from "../services/calls/call-machine.js";
import type { CallService } from "../services/calls/call-service.js";
import type { RoomService } from "../services/rooms/room-service.js";
import type { StreamWriter } from "../services/stream-writer.js";
import type { ServiceRegistry } from "../services/webcam/service-registry.js";
import { SipTrunks } from "../services/webcam/sip-trunks.js";
import { trunkPlan } from "../services/webcam/trunk-plan.js";
import type { Database } from "../storage/database.js";
import { watchGateway } from "./gateway-watch.js";
import { JanusPool } from "./janus/pool.js";
import { MediaEvents } from "./media-events.js";
import { MediaRooms } from "./media-rooms.js";
import { MediaService } from "./media-service.js";
import { PbxBridge } from "./pbx-bridge.js";
import { PbxLines } from "./pbx-lines.js";
import { RedisLease, soleProcess } from "../services/lease.js";

/** How long the process registering the PBX lines keeps that duty without renewing it. */
const LINES_LEASE_MS = 90_000;

export interface MediaDeps {
  config: Config;
  db: Database;
  writer: StreamWriter;
  rooms: RoomService;
  machine: CallMachine;
  calls: CallService;
  services: ServiceRegistry;
  secret: string;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export async function openMedia(d: MediaDeps) {
  const janus = d.config.janus.length
    ? await JanusPool.open({ instances: d.config.janus, logger: d.log })
    : undefined;
  const media = new MediaService(
    d.writer,
    janus,
    new MediaEvents(d.rooms),
    d.log,
    new MediaRooms(d.writer, janus, d.secret),
  );
  d.machine.observe({
    ended: (id) => media.closed(id),
    left: (call, userId) => media.left(call, userId),
    takenOnWeb: (id) => media.takenOnWeb(id),
  });
  if (janus) watchGateway(janus, media, d.machine, d.log);
  const sipTrunks = new SipTrunks(d.db, d.services, new Sealer(d.secret, "callsign sip trunks"));
  let pbxLines: PbxLines | undefined;
  if (janus) {
    const lease = d.config.redis.url
      ? new RedisLease(d.config.redis.url, `${d.config.redis.prefix}:pbx-lines`, LINES_LEASE_MS)
      : soleProcess;
    pbxLines = new PbxLines(janus, sipTrunks, d.calls, d.machine, lease, d.log);
    media.useBridge(
      new PbxBridge(janus, sipTrunks, d.machine, d.config.calls.ringTimeoutMs, d.log),
      pbxLines,
    );
    sipTrunks.onChange = () => pbxLines!.sync();
    pbxLines.start();
  }
  d.calls.useTrunks(trunkPlan);
  return { janus, media, sipTrunks, pbxLines };
}
