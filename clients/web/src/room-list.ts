/** The sidebar: "new chat" by number or user ID, and the list of rooms and invites. */
import { Preset, type MatrixClient } from "matrix-js-sdk";
import { field, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { inviteeUserId } from "./identifiers.js";
import { inviterName, isInvite, lastMessagePreview, roomTitle, visibleRooms } from "./rooms.js";

export interface RoomListOptions {
  client: MatrixClient;
  errors: ErrorLine;
  onSelect: (roomId: string) => void;
}

export interface RoomList {
  element: HTMLElement;
  render: (selectedRoomId: string | null) => void;
}

export function createRoomList(options: RoomListOptions): RoomList {
  const { client, errors, onSelect } = options;
  const userId = client.getSafeUserId();

  const newChat = h(
    "form",
    { class: "new-chat", testid: "new-chat-form" },
    h("label", { for: "new-chat-input" }, "New chat"),
    h(
      "div",
      { class: "row" },
      h("input", {
        id: "new-chat-input",
        name: "invitee",
        placeholder: "Number or user ID",
        required: true,
        testid: "new-chat-input",
      }),
      h("button", { type: "submit", class: "primary", testid: "new-chat-submit" }, "Start"),
    ),
  );
  newChat.addEventListener("submit", (event) => {
    event.preventDefault();
    errors.clear();
    const invitee = inviteeUserId(field(newChat, "invitee"), userId);
    if (!invitee) {
      errors.show(new Error("Enter a 9-digit number or a user ID such as @100000001:example.org."));
      return;
    }
    client
      .createRoom({ invite: [invitee], is_direct: true, preset: Preset.TrustedPrivateChat })
      .then(({ room_id }) => {
        newChat.reset();
        onSelect(room_id);
      })
      .catch((error: unknown) => errors.show(error));
  });

  const list = h("ul", { class: "room-list", testid: "room-list" });

  const render = (selectedRoomId: string | null) => {
    const rooms = visibleRooms(client.getRooms());
    if (rooms.length === 0) {
      replaceChildren(list, h("li", { class: "empty", testid: "room-list-empty" }, "No chats yet."));
      return;
    }
    replaceChildren(
      list,
      ...rooms.map((room) => {
        const invite = isInvite(room);
        const accept =
          invite &&
          h("button", { type: "button", class: "primary small", testid: "invite-accept" }, "Accept");
        if (accept) {
          accept.addEventListener("click", (event) => {
            event.stopPropagation();
            accept.disabled = true;
            errors.clear();
            client
              .joinRoom(room.roomId)
              .then(() => onSelect(room.roomId))
              .catch((error: unknown) => {
                accept.disabled = false;
                errors.show(error);
              });
          });
        }
        const item = h(
          "li",
          {
            class: invite ? "room invite" : "room",
            "aria-current": room.roomId === selectedRoomId ? "true" : undefined,
            "data-room-id": room.roomId,
            testid: "room-item",
          },
          h(
            "span",
            { class: "room-name", testid: "room-name" },
            invite ? inviterName(room) : roomTitle(room),
          ),
          h("span", { class: "room-preview" }, invite ? "Invited you to chat" : lastMessagePreview(room)),
          accept,
        );
        item.addEventListener("click", () => onSelect(room.roomId));
        return item;
      }),
    );
  };

  return { element: h("aside", { class: "sidebar" }, newChat, list), render };
}
