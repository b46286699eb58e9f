/** The signed-out screen: sign up, sign in, or continue as a guest. */
import { AccountRules } from "../../../protocol/matrix/auth.js";
import { continueAsGuest, signIn, signUp } from "./auth.js";
import { field, h } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import type { Session } from "./session.js";

export interface AuthViewOptions {
  baseUrl: string;
  errors: ErrorLine;
  onSession: (session: Session) => void;
}

type Tab = "signin" | "signup";

export function renderAuthView(options: AuthViewOptions): HTMLElement {
  const { baseUrl, errors, onSession } = options;

  const run = (form: HTMLFormElement | HTMLButtonElement, action: () => Promise<Session>) => {
    const controls = form instanceof HTMLFormElement ? [...form.elements] : [form];
    for (const control of controls) control.setAttribute("disabled", "");
    errors.clear();
    action()
      .then(onSession)
      .catch((error: unknown) => errors.show(error))
      .finally(() => {
        for (const control of controls) control.removeAttribute("disabled");
      });
  };

  const signUpForm = h(
    "form",
    { class: "card", testid: "signup-form" },
    h("h2", {}, "Create an account"),
    labelled(
      "E-mail",
      h("input", {
        name: "email",
        type: "email",
        autocomplete: "email",
        required: true,
        testid: "signup-email",
      }),
    ),
    labelled(
      "Password",
      h("input", {
        name: "password",
        type: "password",
        autocomplete: "new-password",
        minlength: String(AccountRules.passwordMinLength),
        required: true,
        testid: "signup-password",
      }),
    ),
    labelled(
      "User name (optional)",
      h("input", { name: "username", autocomplete: "username", testid: "signup-username" }),
    ),
    h("button", { type: "submit", class: "primary", testid: "signup-submit" }, "Sign up"),
  );
  signUpForm.addEventListener("submit", (event) => {
    event.preventDefault();
    // Read the fields before `run` disables them: disabled controls are left out of FormData.
    const username = field(signUpForm, "username");
    const form = { email: field(signUpForm, "email"), password: field(signUpForm, "password", false) };
    run(signUpForm, () => signUp(baseUrl, { ...form, ...(username ? { username } : {}) }));
  });

  const signInForm = h(
    "form",
    { class: "card", testid: "signin-form" },
    h("h2", {}, "Sign in"),
    labelled(
      "E-mail, number or user name",
      h("input", { name: "id", autocomplete: "username", required: true, testid: "signin-id" }),
    ),
    labelled(
      "Password",
      h("input", {
        name: "password",
        type: "password",
        autocomplete: "current-password",
        required: true,
        testid: "signin-password",
      }),
    ),
    h("button", { type: "submit", class: "primary", testid: "signin-submit" }, "Sign in"),
  );
  signInForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = field(signInForm, "id");
    const password = field(signInForm, "password", false);
    run(signInForm, () => signIn(baseUrl, id, password));
  });

  const guestButton = h(
    "button",
    { type: "button", class: "link", testid: "guest-button" },
    "Continue as guest",
  );
  guestButton.addEventListener("click", () => run(guestButton, () => continueAsGuest(baseUrl)));

  const tabs = {
    signin: h("button", { type: "button", role: "tab", testid: "tab-signin" }, "Sign in"),
    signup: h("button", { type: "button", role: "tab", testid: "tab-signup" }, "Sign up"),
  };
  const select = (tab: Tab) => {
    signInForm.hidden = tab !== "signin";
    signUpForm.hidden = tab !== "signup";
    tabs.signin.setAttribute("aria-selected", String(tab === "signin"));
    tabs.signup.setAttribute("aria-selected", String(tab === "signup"));
    errors.clear();
  };
  tabs.signin.addEventListener("click", () => select("signin"));
  tabs.signup.addEventListener("click", () => select("signup"));
  select("signin");

  return h(
    "main",
    { class: "auth", testid: "auth-screen" },
    h("p", { class: "tagline" }, "Call people and companies by name."),
    h("div", { class: "tabs", role: "tablist" }, tabs.signin, tabs.signup),
    signInForm,
    signUpForm,
    guestButton,
  );
}

function labelled(text: string, input: HTMLInputElement): HTMLLabelElement {
  return h("label", {}, h("span", {}, text), input);
}
