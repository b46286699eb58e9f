/**
 * Tags: named presets for calls to the user (a topic, whether guests and one-click calls may
 * ring) with an expiry date and their own call link to hand out.
 */
import type { TagView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi } from "../../sdk/src/index.js";
import { copyButton } from "./copy-button.js";
import { busy, field, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";

const DEFAULT_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TagsView {
  element: HTMLElement;
  refresh: () => void;
}

export function createTagsView(api: CallsignApi, errors: ErrorLine, baseUrl: string): TagsView {
  const list = h("ul", { class: "tags", testid: "tags" });
  const form = h(
    "form",
    { class: "tag-form", testid: "tag-form" },
    h(
      "label",
      {},
      h("span", {}, "Name"),
      h("input", {
        name: "name",
        required: true,
        maxlength: "32",
        placeholder: "support",
        title: "a-z, 0-9 and -",
        testid: "tag-name",
      }),
    ),
    h(
      "label",
      {},
      h("span", {}, "Topic (optional)"),
      h("input", { name: "topic", maxlength: "500", testid: "tag-topic" }),
    ),
    h(
      "label",
      {},
      h("span", {}, "Expires on"),
      h("input", { name: "expires", type: "date", required: true, testid: "tag-expires" }),
    ),
    h(
      "label",
      { class: "toggle" },
      h("input", { type: "checkbox", name: "anonymous", checked: true, testid: "tag-anonymous" }),
      h("span", {}, "Guests may call"),
    ),
    h(
      "label",
      { class: "toggle" },
      h("input", { type: "checkbox", name: "one_click", checked: true, testid: "tag-one-click" }),
      h("span", {}, "One-click calls (no topic needed)"),
    ),
    h("button", { type: "submit", class: "primary", testid: "tag-create" }, "Create tag"),
  );
  const expires = form.querySelector<HTMLInputElement>('input[name="expires"]')!;
  const resetForm = () => {
    form.reset();
    expires.value = new Date(Date.now() + DEFAULT_DAYS * DAY_MS).toISOString().slice(0, 10);
  };
  resetForm();

  const render = (tags: TagView[]) => {
    if (tags.length === 0)
      return replaceChildren(list, h("li", { class: "empty", testid: "tags-empty" }, "No tags yet."));
    replaceChildren(list, ...tags.map((tag) => tagItem(tag, api, errors, baseUrl, refresh)));
  };
  const refresh = () => {
    api.tags().then(
      ({ tags }) => render(tags),
      (error: unknown) => errors.show(error),
    );
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const topic = field(form, "topic");
    const data = new FormData(form);
    // The end of the chosen day, in the user's time zone.
    const expiresAt = new Date(`${field(form, "expires")}T23:59:59`).getTime();
    const tag = {
      name: field(form, "name"),
      ...(topic && { topic }),
      anonymous: data.has("anonymous"),
      one_click: data.has("one_click"),
      expires_at: expiresAt,
    };
    void busy(form, errors, () => api.createTag(tag)).then((created) => {
      if (!created) return;
      resetForm();
      refresh();
    });
  });

  return {
    element: h(
      "section",
      { class: "card", testid: "tags-section" },
      h("h2", {}, "Tags"),
      list,
      h("h3", {}, "New tag"),
      form,
    ),
    refresh,
  };
}

function tagItem(
  tag: TagView,
  api: CallsignApi,
  errors: ErrorLine,
  baseUrl: string,
  refresh: () => void,
): HTMLElement {
  const url = new URL(tag.link, baseUrl).toString();
  const link = h("a", { href: url, class: "tag-link", testid: "tag-link" }, url);
  const copy = copyButton(url, link, "tag-copy", "Copy link");
  const remove = h("button", { type: "button", class: "small", testid: "tag-delete" }, "Delete");
  remove.addEventListener("click", () => {
    void busy(remove, errors, () => api.deleteTag(tag.name)).then(refresh);
  });
  const rules = [
    tag.anonymous ? "guests may call" : "no guests",
    tag.one_click ? "one-click" : "topic required",
  ];
  const expiry = new Date(tag.expires_at);
  return h(
    "li",
    { class: tag.expired ? "tag expired" : "tag", "data-tag": tag.name, testid: "tag-item" },
    h("strong", { testid: "tag-item-name" }, tag.name),
    tag.topic && h("span", { class: "tag-topic" }, tag.topic),
    h("span", { class: "muted" }, rules.join(", ")),
    h(
      "span",
      { class: "muted", testid: "tag-expiry" },
      tag.expired ? "Expired" : `Expires ${expiry.toLocaleDateString()}`,
    ),
    link,
    h("div", { class: "row" }, copy, remove),
  );
}
