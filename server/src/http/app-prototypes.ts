/**
 * Requests and responses born with express's prototypes. express gives every request and
 * response its app's prototype (`Object.setPrototypeOf` as it starts handling them), and V8 then
 * makes each object a hidden class of its own: about 1.7 KB of old-generation garbage per
 * request, and slower property access after. The server builds them with the app's prototypes
 * from the start instead, so express's `setPrototypeOf` finds them in place. The server listens
 * before the app exists (the app needs the server's URL): the prototypes are made first and
 * `adopt(app)` makes them that app's.
 */
import { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import express from "express";

export interface AppPrototypes {
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
  /** Makes the prototypes `app`'s own (what express's `app.request` and `app.response` are). */
  adopt(app: express.Express): void;
}

export function appPrototypes(): AppPrototypes {
  const request = Object.create(express.request) as object;
  const response = Object.create(express.response) as object;
  function AppRequest(socket: Socket) {
    return Reflect.construct(IncomingMessage, [socket], AppRequest);
  }
  AppRequest.prototype = request;
  function AppResponse(req: IncomingMessage, options?: object) {
    return Reflect.construct(ServerResponse, [req, options], AppResponse);
  }
  AppResponse.prototype = response;
  return {
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
    adopt(app) {
      for (const proto of [request, response]) {
        Object.defineProperty(proto, "app", {
          configurable: true,
          enumerable: true,
          writable: true,
          value: app,
        });
      }
      app.request = request as express.Request;
      app.response = response as express.Response;
    },
  };
}
