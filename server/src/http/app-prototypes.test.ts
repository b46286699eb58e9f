import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { appPrototypes } from "./app-prototypes.js";

describe("requests and responses born with express's prototypes", () => {
  let server: Server;
  after(() => server?.close());

  it("are the app's before express handles them, and express works on them as usual", async () => {
    const prototypes = appPrototypes();
    const seen: boolean[] = [];
    server = createServer({
      IncomingMessage: prototypes.IncomingMessage,
      ServerResponse: prototypes.ServerResponse,
    });
    const app = express();
    prototypes.adopt(app);
    app.get("/hello/:name", (req, res) => {
      res
        .status(201)
        .json({ name: req.params.name, path: req.path, app: req.app === app && res.app === app });
    });
    server.on("request", (req, res) => {
      seen.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
      app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/hello/bella?x=1`);
    expect(res.status).to.equal(201);
    expect(res.headers.get("content-type")).to.match(/application\/json/);
    expect(await res.json()).to.deep.equal({ name: "bella", path: "/hello/bella", app: true });
    expect(seen).to.deep.equal([true]);
  });
});
