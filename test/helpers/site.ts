/**
 * A company's own web site for browser tests of the site widget: a node:http server on loopback
 * that serves fixed files, each with the headers given (a Content-Security-Policy, say). Its port
 * makes it an origin of its own, apart from the homeserver's. Close it: `await site.close()`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface SiteFile {
  type: string;
  body: string;
  headers?: Record<string, string>;
}

export interface Site {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/** Serves `files` by path (`/`, `/shop.css`); anything else is 404. */
export async function startSite(files: Record<string, SiteFile>): Promise<Site> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? "/", "http://site").pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": file.type, "Cache-Control": "no-store", ...file.headers });
    res.end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
