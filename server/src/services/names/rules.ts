/** The handle rules of protocol/names, as the name service applies them to names. */
import { HandleError } from "../../../../protocol/names/handle-error.js";
import { parseName } from "../../../../protocol/names/grammar.js";
import { isReserved } from "../../../../protocol/names/reserved.js";
import { nameKey } from "../../../../protocol/names/skeleton.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { NameRules } from "./name-service.js";

export const nameRules: NameRules = {
  parse(input) {
    try {
      const name = parseName(input);
      return { name, skeleton: nameKey(name) };
    } catch (err) {
      if (err instanceof HandleError) {
        throw new ProtocolError("IO_CALLSIGN_INVALID_NAME", err.message, { reason: err.reason });
      }
      throw err;
    }
  },
  isReserved,
};
