// A scripted browser for sign-in tests: a cookie jar (host and path matching, expiry) and
// redirects followed by hand, so a test can stop at any hop and look at or tamper with it.
// Requests to the app's origin go to its route handlers in-process; the rest go over the network.

export interface StoredCookie {
  name: string;
  value: string;
  hostname: string;
  path: string;
  /** Lower-cased attribute names as set: httponly, samesite=lax, secure, max-age=…, path=… */
  attributes: string[];
}

export type AppHandler = (request: Request) => Promise<Response>;

function parseSetCookie(
  header: string,
  url: URL,
): StoredCookie | { delete: Pick<StoredCookie, 'name' | 'hostname' | 'path'> } {
  const [pair = '', ...rest] = header.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  const attributes = rest.map((attribute) => attribute.toLowerCase());
  const pathAttribute = rest.find((attribute) => attribute.toLowerCase().startsWith('path='));
  const path = pathAttribute ? pathAttribute.slice(5) : '/';
  const maxAge = attributes.find((attribute) => attribute.startsWith('max-age='));
  const expires = rest.find((attribute) => attribute.toLowerCase().startsWith('expires='));
  const expired =
    (maxAge !== undefined && Number(maxAge.slice(8)) <= 0) ||
    (expires !== undefined && Date.parse(expires.slice(8)) <= Date.now());
  const cookie = { name, value, hostname: url.hostname, path, attributes };
  return expired ? { delete: cookie } : cookie;
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return (
    requestPath === cookiePath ||
    (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'))
  );
}

export class TestBrowser {
  readonly cookies: StoredCookie[] = [];

  constructor(
    private readonly appOrigin: string,
    private readonly appRoutes: Record<string, AppHandler>,
    readonly userAgent = 'burnrate-test-browser',
  ) {}

  cookie(name: string): StoredCookie | undefined {
    return this.cookies.find((cookie) => cookie.name === name);
  }

  /** Changes a cookie's value (as the server would have encoded it), or plants one for the app at `/`. */
  setCookieValue(name: string, value: string): void {
    const cookie = this.cookie(name);
    if (cookie) cookie.value = encodeURIComponent(value);
    else
      this.cookies.push({
        name,
        value: encodeURIComponent(value),
        hostname: new URL(this.appOrigin).hostname,
        path: '/',
        attributes: [],
      });
  }

  removeCookie(name: string): void {
    const index = this.cookies.findIndex((cookie) => cookie.name === name);
    if (index >= 0) this.cookies.splice(index, 1);
  }

  /** One request, no redirect followed; cookies sent and stored like a browser would. */
  async request(
    target: string | URL,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = new URL(target);
    const headers = new Headers({ 'user-agent': this.userAgent });
    const cookieHeader = this.cookies
      .filter((cookie) => cookie.hostname === url.hostname && pathMatches(url.pathname, cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
    if (cookieHeader) headers.set('cookie', cookieHeader);
    let body: string | undefined;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const request = new Request(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    const response = await this.dispatch(request, url);
    for (const header of response.headers.getSetCookie()) this.store(parseSetCookie(header, url));
    return response;
  }

  private dispatch(request: Request, url: URL): Promise<Response> {
    if (url.origin !== this.appOrigin) return fetch(request);
    const handler = this.appRoutes[`${request.method} ${url.pathname}`];
    if (!handler) throw new Error(`the test app has no route ${request.method} ${url.pathname}`);
    return handler(request);
  }

  private store(parsed: ReturnType<typeof parseSetCookie>): void {
    const key = 'delete' in parsed ? parsed.delete : parsed;
    const index = this.cookies.findIndex(
      (cookie) => cookie.name === key.name && cookie.hostname === key.hostname && cookie.path === key.path,
    );
    if (index >= 0) this.cookies.splice(index, 1);
    if (!('delete' in parsed)) this.cookies.push(parsed);
  }
}

export function redirectTarget(response: Response, from: string | URL): URL {
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`expected a redirect from ${String(from)}, got ${response.status}`);
  }
  return new URL(location, from);
}
