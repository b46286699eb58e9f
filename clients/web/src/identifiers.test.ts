import { expect } from "chai";
import { inviteeUserId, localpart, serverName } from "./identifiers.js";

describe("web client identifiers", () => {
  it("turns a number into a user ID on the own server", () => {
    expect(inviteeUserId("100000002", "@100000001:a.example:8448")).to.equal("@100000002:a.example:8448");
    expect(inviteeUserId("@100000002:b.example", "@100000001:a.example")).to.equal("@100000002:b.example");
    expect(inviteeUserId("bob", "@100000001:a.example")).to.equal(null);
    expect(inviteeUserId("1000000021", "@100000001:a.example")).to.equal(null);
  });

  it("splits user IDs", () => {
    expect(localpart("@guest-abc:a.example")).to.equal("guest-abc");
    expect(serverName("@100000001:a.example:8448")).to.equal("a.example:8448");
  });
});
