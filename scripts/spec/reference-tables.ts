/**
 * The reference tables of the spec that are not request schemas or endpoints: error codes, login
 * and identifier types, UIA stages, account rules, event types and versions (from `protocol/`),
 * and the section that lists every request schema's table.
 */
import { ErrorCodes } from "../../protocol/errors.js";
import { AccountRules, AuthStage, IdentifierType, LoginType } from "../../protocol/matrix/auth.js";
import {
  EventType,
  NotifyingEventTypes,
  RoomVersions,
  StrippedStateTypes,
} from "../../protocol/matrix/event-types.js";
import { ClientPrefixes, SupportedVersions } from "../../protocol/matrix/routes.js";
import type { JsonSchema } from "./json-schema.js";
import { code, table } from "./markdown.js";
import { constraintsOf, renderSchemaTable, typeOf } from "./schema-tables.js";
import type { Docs } from "./tsdoc.js";

/** Every error code with its HTTP status and meaning. */
export function errorsSection(): string {
  return table(
    ["errcode", "HTTP status", "meaning"],
    Object.entries(ErrorCodes).map(([errcode, e]) => [code(errcode), String(e.status), e.description]),
  );
}

/** Every login type and its constant. */
export function loginTypesSection(): string {
  return table(
    ["login type", "constant"],
    Object.entries(LoginType).map(([k, v]) => [code(v), code(`LoginType.${k}`)]),
  );
}

/**
 * Every identifier type with the fields of its variant of `LoginRequest.identifier`; throws when
 * an `IdentifierType` has no such variant.
 */
export function identifiersSection(json: Record<string, JsonSchema>): string {
  const identifier = json.LoginRequest?.properties?.identifier;
  const variants = identifier?.oneOf ?? identifier?.anyOf ?? [];
  return table(
    ["identifier type", "constant", "fields"],
    Object.entries(IdentifierType).map(([k, v]) => {
      const variant = variants.find((s) => s.properties?.type?.const === v);
      if (!variant) throw new Error(`IdentifierType.${k} (${v}) is not a variant of LoginRequest.identifier`);
      const fields = Object.entries(variant.properties ?? {})
        .filter(([name]) => name !== "type")
        .map(([name, s]) => {
          const c = constraintsOf(s);
          return `${code(name)} (${[typeOf(s), ...c].join(", ")})`;
        });
      return [code(v), code(`IdentifierType.${k}`), fields.join("; ")];
    }),
  );
}

/** Every user-interactive authentication stage, with its TSDoc from `protocol/matrix/auth.ts`. */
export function uiaStagesSection(docs: Docs): string {
  return table(
    ["stage", "constant", "notes"],
    Object.entries(AuthStage).map(([k, v]) => [
      code(v),
      code(`AuthStage.${k}`),
      docs.get(`AuthStage.${k}`) ?? "",
    ]),
  );
}

/** The account rules (lengths, patterns) and their values. */
export function accountRulesSection(): string {
  return table(
    ["rule", "value"],
    Object.entries(AccountRules).map(([k, v]) => [
      code(`AccountRules.${k}`),
      v instanceof RegExp ? code(v.source) : code(v),
    ]),
  );
}

/** Every event type, and whether it counts as unread and appears in `invite_state`. */
export function eventTypesSection(): string {
  return table(
    ["event type", "constant", "counts as unread", "in `invite_state`"],
    Object.entries(EventType).map(([k, v]) => [
      code(v),
      code(`EventType.${k}`),
      NotifyingEventTypes.includes(v) ? "yes" : "",
      StrippedStateTypes.includes(v) ? "yes" : "",
    ]),
  );
}

/** The client prefixes, advertised Matrix versions and room versions. */
export function versionsSection(): string {
  return table(
    ["what", "value"],
    [
      ["Matrix client-server prefixes", ClientPrefixes.map(code).join(", ")],
      [
        "Matrix versions advertised by `GET /_matrix/client/versions`",
        SupportedVersions.map(code).join(", "),
      ],
      [
        "Room versions (default first)",
        [RoomVersions.default, ...RoomVersions.available.filter((v) => v !== RoomVersions.default)]
          .map(code)
          .join(", "),
      ],
    ],
  );
}

/** A heading, description and field table per request schema. */
export function schemasSection(json: Record<string, JsonSchema>): string {
  return Object.entries(json)
    .map(([name, s]) =>
      [`#### ${name}`, ...(s.description ? [s.description] : []), renderSchemaTable(s)].join("\n\n"),
    )
    .join("\n\n");
}
