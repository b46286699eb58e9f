/**
 * The unsaved edits of a service's settings editor (hours, distribution, routing rules). While
 * the user has changed something, redraws of the service card leave the editor alone — a redraw
 * would drop the edits and take the focus out of a field being typed — until they are saved.
 */
import type { ServiceView } from "../../../protocol/callsign/services.js";

export interface UnsavedEdits {
  /** Something was changed since the last save: `update` keeps the editor as it is. */
  readonly dirty: boolean;
  /** Called on every edit. */
  changed: () => void;
  /**
   * Takes what `busy` resolves to: the saved service ends the edits and goes to `onChange`;
   * undefined (the save failed, its error is shown) keeps them.
   */
  saved: (view: ServiceView | undefined) => void;
}

/**
 * @example
 * const edits = unsavedEdits(onChange);
 * input.addEventListener("input", edits.changed);
 * void busy(form, errors, () => services.setRoutes(serviceId, routes)).then(edits.saved);
 */
export function unsavedEdits(onChange: (service: ServiceView) => void): UnsavedEdits {
  let dirty = false;
  return {
    get dirty() {
      return dirty;
    },
    changed: () => {
      dirty = true;
    },
    saved: (view) => {
      if (!view) return;
      dirty = false;
      onChange(view);
    },
  };
}
