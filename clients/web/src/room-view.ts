/** The selected room: its title, the text message timeline, and the composer. */
import { MsgType, type MatrixClient, type MatrixEvent, type Room } from "matrix-js-sdk";
import { field, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { inviterName, isInvite, roomTitle, textMessages } from "./rooms.js";

export interface RoomView {
  element: HTMLElement;
  /** Draws the room; `readOnly` hides the composer (a finished call's chat). */
  render: (room: Room | null, options?: { readOnly?: boolean }) => void;
}

/** How close to the bottom (px) still counts as "reading the newest message". */
const STICKY_SCROLL_PX = 48;

export function createRoomView(client: MatrixClient, errors: ErrorLine): RoomView {
  const title = h("h2", { class: "room-title", testid: "room-title" });
  const timeline = h("ol", { class: "timeline", testid: "timeline" });
  const input = h("input", {
    name: "body",
    placeholder: "Write a message",
    "aria-label": "Message",
    autocomplete: "off",
    required: true,
    testid: "composer-input",
  });
  const composer = h(
    "form",
    { class: "composer", testid: "composer" },
    input,
    h("button", { type: "submit", class: "primary", testid: "composer-send" }, "Send"),
  );
  let current: Room | null = null;

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = field(composer, "body");
    if (!current || !body) return;
    errors.clear();
    composer.reset();
    client
      .sendMessage(current.roomId, { msgtype: MsgType.Text, body })
      .catch((error: unknown) => errors.show(error));
  });

  const render = (room: Room | null, options: { readOnly?: boolean } = {}) => {
    const switched = room?.roomId !== current?.roomId;
    current = room;
    composer.hidden = !room || isInvite(room) || options.readOnly === true;
    title.hidden = !room;
    if (!room) {
      replaceChildren(timeline, h("li", { class: "empty" }, "Choose a chat, or start a new one."));
      return;
    }
    title.textContent = roomTitle(room);
    if (isInvite(room)) {
      const text = `${inviterName(room)} invited you to chat. Accept the invitation to reply.`;
      replaceChildren(timeline, h("li", { class: "empty" }, text));
      return;
    }
    const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < STICKY_SCROLL_PX;
    const messages = textMessages(room);
    if (messages.length === 0) {
      replaceChildren(timeline, h("li", { class: "empty" }, "No messages yet. Say hello!"));
    } else {
      replaceChildren(timeline, ...messages.map((event) => messageItem(event, client.getUserId())));
    }
    if (switched || atBottom) timeline.scrollTop = timeline.scrollHeight;
    if (switched) input.focus();
  };

  return { element: h("section", { class: "room-pane" }, title, timeline, composer), render };
}

function messageItem(event: MatrixEvent, ownUserId: string | null): HTMLLIElement {
  const senderId = event.getSender() ?? "";
  const date = event.getDate();
  return h(
    "li",
    {
      class: senderId === ownUserId ? "message own" : "message",
      "data-event-id": event.getId() ?? undefined,
      "data-pending": event.status ? "true" : undefined,
      testid: "message",
    },
    h(
      "div",
      { class: "meta" },
      h(
        "span",
        { class: "sender", testid: "message-sender", title: senderId },
        event.sender?.name ?? senderId,
      ),
      date &&
        h(
          "time",
          { datetime: date.toISOString(), title: date.toLocaleString(), testid: "message-time" },
          date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
        ),
    ),
    h("p", { class: "body", testid: "message-body" }, String(event.getContent().body)),
  );
}
