/** Raw HTTP for tests that must send what no SDK would: broken bodies, odd paths, wrong methods. */

export interface RawRequest {
  method: string;
  /** Path and query, appended to the base URL as they are (no encoding is added). */
  path: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent byte for byte with `Content-Type: application/json` unless `headers` says otherwise. */
  body?: string;
  headers?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or `undefined` when it is not JSON. */
  json: unknown;
}

/** Sends one request and reads the whole answer; never throws on an HTTP error status. */
export async function rawRequest(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (req.body !== undefined) headers["Content-Type"] = "application/json";
  if (req.token !== undefined) headers.Authorization = `Bearer ${req.token}`;
  Object.assign(headers, req.headers);
  const res = await fetch(baseUrl + req.path, { method: req.method, headers, body: req.body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Runs `fn` over `items`, `size` at a time, and returns the results in order. */
export async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}
