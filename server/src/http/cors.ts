/** CORS on every route: any origin may call the APIs (access tokens travel in headers, not cookies). */
import type { NextFunction, Request, Response } from "express";

/** The headers every answer carries, in the order they are set. */
export const CORS_HEADERS: readonly (readonly [string, string])[] = [
  ["Access-Control-Allow-Origin", "*"],
  ["Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS"],
  ["Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization"],
];

export function cors(req: Request, res: Response, next: NextFunction): void {
  for (const [name, value] of CORS_HEADERS) res.setHeader(name, value);
  if (req.method === "OPTIONS") return void res.status(204).end();
  next();
}
