/**
 * A customer's management team: the owner and the managers. The owner adds managers by any
 * handle of their account (e-mail, number or user name) and removes them; a manager may leave.
 */
import type { CustomerView, TeamMemberView } from "../../../protocol/callsign/customers.js";
import type { ServicesApi } from "../../sdk/src/index.js";
import { localpart } from "./identifiers.js";
import { busy, field, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { roleText } from "./services-text.js";

export interface TeamViewOptions {
  services: ServicesApi;
  errors: ErrorLine;
  userId: string;
  /** The team changed (the view answered), or the user left the customer (null). */
  onChange: (customer: CustomerView | null) => void;
}

export interface TeamView {
  element: HTMLElement;
  update: (customer: CustomerView) => void;
}

export function createTeamView(customerId: string, options: TeamViewOptions): TeamView {
  const { services, errors, userId, onChange } = options;
  const list = h("ul", { class: "plain-list", testid: "team" });
  const form = h(
    "form",
    { class: "inline-form", testid: "manager-form" },
    h("input", {
      name: "handle",
      required: true,
      maxlength: "320",
      placeholder: "E-mail, number or user name",
      "aria-label": "Manager's handle",
      autocomplete: "off",
      testid: "manager-handle",
    }),
    h("button", { type: "submit", class: "small", testid: "manager-add" }, "Add manager"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const handle = field(form, "handle");
    void busy(form, errors, () => services.addManager(customerId, handle)).then((view) => {
      if (!view) return;
      form.reset();
      onChange(view);
    });
  });

  const row = (member: TeamMemberView, ownerView: boolean) => {
    const self = member.user_id === userId;
    const removable = member.role !== "owner" && (ownerView || self);
    const remove =
      removable &&
      h(
        "button",
        { type: "button", class: "small", testid: "manager-remove" },
        self ? "Leave the team" : "Remove",
      );
    if (remove) {
      remove.addEventListener("click", () => {
        void busy(remove, errors, () => services.removeTeamMember(customerId, member.user_id)).then(
          (done) => {
            if (!done) return;
            if (self) onChange(null);
            else services.customer(customerId).then(onChange, (error: unknown) => errors.show(error));
          },
        );
      });
    }
    return h(
      "li",
      { class: "plain-item", "data-user-id": member.user_id, testid: "team-member" },
      h(
        "span",
        { class: "grow", title: member.user_id },
        member.display_name || localpart(member.user_id),
        self && h("span", { class: "muted" }, " (you)"),
      ),
      h("span", { class: `pill role-${member.role}`, testid: "team-role" }, roleText(member.role)),
      remove,
    );
  };

  return {
    element: h(
      "section",
      { class: "service-section", testid: "team-section" },
      h("h3", {}, "Management team"),
      list,
      form,
    ),
    update: (customer) => {
      const ownerView = customer.team.some((m) => m.user_id === userId && m.role === "owner");
      form.hidden = !ownerView;
      replaceChildren(list, ...customer.team.map((m) => row(m, ownerView)));
    },
  };
}
