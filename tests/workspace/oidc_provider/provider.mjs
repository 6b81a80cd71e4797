// A real OpenID Provider for the workspace's sign-in tests: the certified `oidc-provider` on
// loopback, with one confidential client and accounts given on the command line. Sign-in needs
// no form: the interaction completes for the account named by `login_hint` (what a person would
// have typed at the province's provider), so the test drives the real authorization code flow
// with PKCE, the real token endpoint, signed ID tokens and JWKS.
//
// usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI ACCOUNT[,ACCOUNT...]
import http from "node:http";
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri, accounts] = process.argv.slice(2);
const known = new Set(accounts.split(","));
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  async findAccount(_ctx, id) {
    if (!known.has(id)) return undefined;
    return { accountId: id, async claims() { return { sub: id, name: `Test ${id}` }; } };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ["test-only-cookie-key"] },
});
provider.proxy = false;

const callback = provider.callback();
http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    const hint = details.params.login_hint;
    if (details.prompt.name === "login") {
      if (!known.has(hint)) {
        return provider.interactionFinished(req, res, { error: "access_denied", error_description: "unknown account" });
      }
      return provider.interactionFinished(req, res, { login: { accountId: hint } }, { mergeWithLastSubmission: false });
    }
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
}).listen(Number(port), "127.0.0.1", () => console.log(`ready ${issuer}`));
