/**
 * Routing by topic (spec/services.md "Distribution"): a service's rules, in order, send a call
 * whose topic contains one of a rule's keywords — as whole words, compared case-insensitively
 * after NFKC — to another service of the same customer ("online reception" forwarding to its
 * departments). The first rule that matches wins.
 */
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import type { Sql } from "../../storage/database.js";
import { ServicesRepo, type ServiceRow } from "../../storage/repositories/services.js";

/** Lower-case words of `text`, one space around each: " buy 10 seats ". */
export const words = (text: string) =>
  ` ${text
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(" ")} `;

/** The service a call to `serviceId` with `topic` goes to, and the keyword that sent it there. */
export async function routeFor(
  sql: Sql,
  serviceId: string,
  topic: string | null,
): Promise<{ target: ServiceRow; keyword: string } | undefined> {
  if (!topic) return undefined;
  const text = words(topic);
  const repo = new ServicesRepo(sql);
  for (const rule of await new ServiceRoutingRepo(sql).routes(serviceId)) {
    const keyword = rule.keywords.find((k) => text.includes(words(k)));
    if (keyword) {
      const target = await repo.get(rule.targetId);
      if (target) return { target, keyword };
    }
  }
  return undefined;
}
