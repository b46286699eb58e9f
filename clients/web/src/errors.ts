import { MatrixError } from "matrix-js-sdk";
import { ProtocolError } from "../../../protocol/errors.js";

/** The line of text shown to the user for a failed request: `errcode: error` for Matrix errors. */
export function describeError(error: unknown): string {
  if (error instanceof MatrixError) {
    const message = typeof error.data.error === "string" ? error.data.error : error.message;
    return error.errcode ? `${error.errcode}: ${message}` : message;
  }
  if (error instanceof ProtocolError) return `${error.errcode}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The visible error line shared by every screen. */
export class ErrorLine {
  constructor(private readonly element: HTMLElement) {}

  show(error: unknown): void {
    this.element.textContent = describeError(error);
    this.element.hidden = false;
  }

  clear(): void {
    this.element.textContent = "";
    this.element.hidden = true;
  }
}
