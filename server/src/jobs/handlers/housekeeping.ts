/**
 * Housekeeping: removes what has expired (unfinished auth sessions, spent captchas, old
 * to-device transaction IDs, federation transactions received long ago), ends calls whose
 * time-out job was lost and re-schedules federation deliveries whose job was lost. It runs once per interval "bucket": the job ID names the bucket,
 * so however many homeserver processes schedule it, each bucket runs once, and the handler
 * schedules the next bucket before it returns. Every step is a plain DELETE, safe to repeat.
 */
import type { AppContext } from "../../context.js";

export const HOUSEKEEPING = "housekeeping";
export const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

export async function scheduleHousekeeping(ctx: AppContext, now = Date.now()): Promise<void> {
  const bucket = Math.floor(now / HOUSEKEEPING_INTERVAL_MS) + 1;
  await ctx.jobs.add(
    HOUSEKEEPING,
    {},
    { jobId: `bucket-${bucket}`, delayMs: bucket * HOUSEKEEPING_INTERVAL_MS - now },
  );
}

export async function housekeeping(ctx: AppContext): Promise<{ deleted: number }> {
  let deleted = 0;
  for (const sql of [
    `DELETE FROM uia_sessions WHERE created_at < now() - interval '1 hour' RETURNING 1`,
    `DELETE FROM used_captchas WHERE expires_at < now() RETURNING 1`,
    `DELETE FROM to_device_txns WHERE created_at < now() - interval '1 day' RETURNING 1`,
    `DELETE FROM federation_nonces WHERE expires_at < now() RETURNING 1`,
    // Retries of one transaction end long before a week (the back-off is capped at minutes).
    `DELETE FROM federation_received_txns WHERE received_at < now() - interval '7 days' RETURNING 1`,
  ]) {
    deleted += (await ctx.db.query(sql)).length;
  }
  return { deleted };
}

export function defineHousekeeping(ctx: AppContext): void {
  ctx.jobs.define(HOUSEKEEPING, async () => {
    const { deleted } = await housekeeping(ctx);
    if (deleted) ctx.logger.info({ deleted }, "housekeeping removed expired rows");
    const moved = await ctx.names.sweep();
    if (moved) ctx.logger.warn({ moved }, "housekeeping moved names whose deadline job was lost");
    const lapsed = await ctx.subscriptions.sweep();
    if (lapsed) ctx.logger.warn({ lapsed }, "housekeeping moved subscriptions whose deadline job was lost");
    const rooms = await ctx.media.sweep();
    if (rooms) ctx.logger.warn({ rooms }, "housekeeping destroyed media rooms of calls that ended");
    const ended = await ctx.callTimers.sweep();
    if (ended) ctx.logger.warn({ ended }, "housekeeping ended calls whose time-out job was lost");
    // A job that is pending already is not added twice: only lost ones are made again.
    await ctx.delivery.resume();
    await scheduleHousekeeping(ctx);
  });
}
