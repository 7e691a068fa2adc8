// A real OpenID Provider (panva's oidc-provider) on a free loopback port, for sign-in tests.
// Its login page is a one-field form: a test "browser" posts the account id, no password.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Account, type Configuration } from 'oidc-provider';

export interface TestAccount {
  email: string;
  name: string;
  groups: string[];
}

export interface TestIssuerOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Test users by account id (the ID token's `sub`). */
  accounts: Record<string, TestAccount>;
  /**
   * True puts the scope claims (groups, email, name) in the ID token itself; false (the spec's
   * default) leaves them to the userinfo endpoint, which the relying party must then call.
   */
  claimsInIdToken?: boolean;
}

export interface TestIssuer {
  /** `http://127.0.0.1:<port>`: the issuer identifier and discovery base. */
  issuer: string;
  provider: Provider;
  /** `METHOD /path` of every request the issuer answered, in order. */
  requests: string[];
  close(): Promise<void>;
}

const interactionPath = /^\/interaction\/([\w-]+)$/;

function loginForm(uid: string, prompt: string): string {
  return `<!doctype html><title>${prompt}</title><form method="post" action="/interaction/${uid}"><input name="login"><button>${prompt}</button></form>`;
}

async function formBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

/** Login then consent, each through the provider's interaction API (what a real login app does). */
async function interact(
  provider: Provider,
  accounts: Record<string, TestAccount>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  uid: string,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error(`interaction ${uid} is not the browser's current one (${details.uid})`);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(loginForm(uid, details.prompt.name));
    return;
  }
  const body = await formBody(req);
  if (details.prompt.name === 'login') {
    const accountId = body.get('login') ?? '';
    if (!accounts[accountId]) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`no test account ${accountId}`);
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (typeof accountId !== 'string' || typeof clientId !== 'string')
    throw new Error('consent without a signed-in account or a client');
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error(`grant ${details.grantId} vanished`);
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/** Starts the issuer with one confidential client that must use PKCE (S256). */
export async function startTestIssuer(options: TestIssuerOptions): Promise<TestIssuer> {
  const server = http.createServer();
  // Never close idle keep-alive sockets from this side: after a test blocks the event loop (PGlite
  // opening), that close would race the client reusing the socket and fail a request at random.
  server.keepAliveTimeout = 0;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'test' }] as never },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    // Seconds; explicit so the provider does not print a notice for each default it falls back to.
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
    conformIdTokenClaims: !options.claimsInIdToken,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub): Account | undefined => {
      const account = options.accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, name: account.name, groups: account.groups }),
      };
    },
    // The default renders an HTML page; a test reads the error from the status instead.
    renderError: (ctx, out) => {
      ctx.type = 'application/json';
      ctx.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  const requests: string[] = [];
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const { pathname } = new URL(req.url ?? '/', issuer);
    requests.push(`${req.method} ${pathname}`);
    const match = interactionPath.exec(pathname);
    if (!match?.[1]) {
      callback(req, res);
      return;
    }
    interact(provider, options.accounts, req, res, match[1]).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  return {
    issuer,
    provider,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
