/** The account bar: the account's number (or guest id), its display name, and sign out. */
import type { MatrixClient } from "matrix-js-sdk";
import { field, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { localpart } from "./identifiers.js";

export interface AccountViewOptions {
  client: MatrixClient;
  userId: string;
  guest: boolean;
  errors: ErrorLine;
  onSignOut: () => void;
}

export function renderAccountView(options: AccountViewOptions): HTMLElement {
  const { client, userId, guest, errors, onSignOut } = options;

  const nameText = h("span", { class: "display-name", testid: "display-name" });
  const editButton = h("button", { type: "button", class: "link", testid: "display-name-edit" }, "Edit");
  const viewRow = h("span", { class: "profile-view" }, nameText, editButton);
  const input = h("input", { name: "displayname", maxlength: "100", testid: "display-name-input" });
  const editForm = h(
    "form",
    { class: "profile-edit", hidden: true, testid: "display-name-form" },
    input,
    h("button", { type: "submit", testid: "display-name-save" }, "Save"),
    h("button", { type: "button", class: "link", testid: "display-name-cancel" }, "Cancel"),
  );

  let displayName = "";
  const showName = (name: string) => {
    displayName = name;
    nameText.textContent = name || "No display name";
    nameText.classList.toggle("muted", !name);
  };
  const setEditing = (editing: boolean) => {
    viewRow.hidden = editing;
    editForm.hidden = !editing;
    if (editing) {
      input.value = displayName;
      input.focus();
    }
  };

  showName("");
  client
    .getProfileInfo(userId)
    .then((profile) => showName(profile.displayname ?? ""))
    .catch(() => showName(""));

  editButton.addEventListener("click", () => setEditing(true));
  editForm.querySelector(".link")?.addEventListener("click", () => setEditing(false));
  editForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = field(editForm, "displayname");
    errors.clear();
    client
      .setDisplayName(name)
      .then(() => {
        showName(name);
        setEditing(false);
      })
      .catch((error: unknown) => errors.show(error));
  });

  const signOutButton = h("button", { type: "button", testid: "sign-out" }, "Sign out");
  signOutButton.addEventListener("click", () => {
    signOutButton.disabled = true;
    onSignOut();
  });

  const identity = h("span", { class: "identity" });
  replaceChildren(
    identity,
    h("span", { class: "label" }, guest ? "Guest" : "Your number"),
    h("strong", { class: "number", testid: "account-number", title: userId }, localpart(userId)),
    h("span", { class: "user-id", testid: "account-user-id" }, userId),
  );

  return h("div", { class: "account", testid: "account" }, identity, viewRow, editForm, signOutButton);
}
