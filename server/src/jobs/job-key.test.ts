import { expect } from "chai";
import { jobKey, parseJobKey } from "./job-key.js";

describe("jobKey", () => {
  it("escapes ':' so BullMQ accepts the id, and round-trips", () => {
    const cases: [string, string][] = [
      ["ring-timeout", "call:42"],
      ["a|b", "c|d"],
      ["name", "100%:%3A|"],
      ["n", "123"],
      ["", ""],
    ];
    for (const [name, jobId] of cases) {
      const key = jobKey(name, jobId);
      expect(key).not.to.include(":");
      expect(`${parseInt(key, 10)}`).not.to.equal(key);
      expect(parseJobKey(key)).to.deep.equal({ name, jobId });
    }
    expect(jobKey("ring-timeout", "call:42")).to.equal("ring-timeout|call%3A42");
  });

  it("keeps keys of different (name, id) pairs apart", () => {
    expect(jobKey("a|b", "c")).not.to.equal(jobKey("a", "b|c"));
    expect(jobKey("a", "%3A")).not.to.equal(jobKey("a", ":"));
  });
});
