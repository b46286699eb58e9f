/**
 * Tags: named presets for calls to a subscriber (topic, anonymous and one-click options) with
 * an expiry and their own call link. Expiry is a job at the tag's time; placing a call also
 * checks the time, so an expired tag never rings even before the job has run.
 */
import type { TagView } from "../../../../protocol/callsign/calls.js";
import type { CreateTagRequest } from "../../../../protocol/callsign/requests.js";
import { callLink } from "../../../../protocol/callsign/routes.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { JobEngine } from "../../jobs/types.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { TagsRepo, type TagRow } from "../../storage/repositories/subscribers.js";
import type { Requester } from "../accounts.js";
import type { StreamWriter } from "../stream-writer.js";
import { CallJobs, type TagExpiryJob } from "./job-names.js";

export class TagService {
  constructor(
    private readonly writer: StreamWriter,
    private readonly jobs: JobEngine,
  ) {}

  private async owner(r: Requester) {
    const a = await new AccountsRepo(this.writer.manager).byUserId(r.userId);
    if (!a || a.kind !== "user" || !a.number)
      throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests have no tags");
    return a;
  }

  private view(t: TagRow, number: string): TagView {
    return {
      name: t.name,
      topic: t.topic,
      anonymous: t.anonymous,
      one_click: t.oneClick,
      expires_at: t.expiresAt.getTime(),
      expired: t.expired || t.expiresAt.getTime() <= Date.now(),
      link: callLink(number, t.name),
    };
  }

  async list(r: Requester): Promise<TagView[]> {
    const a = await this.owner(r);
    return (await this.writer.read((sql) => new TagsRepo(sql).list(r.userId))).map((t) =>
      this.view(t, a.number!),
    );
  }

  async create(r: Requester, req: CreateTagRequest): Promise<TagView> {
    const a = await this.owner(r);
    if (req.expires_at <= Date.now())
      throw new ProtocolError("M_INVALID_PARAM", "expires_at must be in the future");
    const row = {
      ownerId: r.userId,
      name: req.name,
      topic: req.topic ?? null,
      anonymous: req.anonymous,
      oneClick: req.one_click,
      expiresAt: new Date(req.expires_at),
    };
    const created = await this.writer.read((sql) => new TagsRepo(sql).insert(row));
    if (!created) throw new ProtocolError("IO_CALLSIGN_NAME_TAKEN", `You already have a tag ${req.name}`);
    await this.jobs.add<TagExpiryJob>(
      CallJobs.TagExpiry,
      { ownerId: r.userId, name: req.name },
      { jobId: `${r.userId}|${req.name}|${req.expires_at}`, delayMs: req.expires_at - Date.now() },
    );
    return this.view({ ...row, expired: false }, a.number!);
  }

  async remove(r: Requester, name: string): Promise<void> {
    await this.owner(r);
    if (!(await this.writer.read((sql) => new TagsRepo(sql).delete(r.userId, name)))) {
      throw new ProtocolError("M_NOT_FOUND", `No tag ${name}`);
    }
  }

  /** The job. Safe to repeat: only a tag whose time has come is marked, once. */
  async expire(job: TagExpiryJob): Promise<void> {
    await this.writer.read((sql) => new TagsRepo(sql).expire(job.ownerId, job.name));
  }
}
