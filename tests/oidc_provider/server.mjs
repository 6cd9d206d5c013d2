// An independent OpenID provider configured like FranceConnect v2, for wagtail-qf's tests.
// Usage: PORT=... CLIENT_ID=... CLIENT_SECRET=... REDIRECT_URI=... POST_LOGOUT_URI=... node server.mjs
// ES256 keys generated at start, acr eidas1, userinfo signed as JWT, pairwise subjects, PKCE.
// Interactions are completed by plain HTTP: GET /interaction/<uid>?account=<id> logs that
// account in and grants the requested scopes; ?abort=1 ends with access_denied.
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}/api/v2`;

function signingKey() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

const ACCOUNTS = {
  dupont: {
    given_name: 'Paul Louis', given_name_array: ['Paul', 'Louis'], family_name: 'DUPONT',
    birthdate: '1980-06-15', gender: 'male', birthplace: '35238', birthcountry: '99100',
    preferred_username: '',
  },
  dubois: {
    given_name: 'Angela Claire Louise', given_name_array: ['Angela', 'Claire', 'Louise'],
    family_name: 'DUBOIS', birthdate: '1962-08-24', gender: 'female', birthplace: '75107',
    birthcountry: '99100', preferred_username: '',
  },
};

ACCOUNTS.agent = { email: 'sandrine.agent@mairie.example', family_name: 'AGENT', given_name: 'Sandrine' };

const IDENTITY = ['given_name', 'given_name_array', 'family_name', 'birthdate', 'gender',
  'birthplace', 'birthcountry', 'preferred_username'];

const configuration = {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    post_logout_redirect_uris: [process.env.POST_LOGOUT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'ES256',
    userinfo_signed_response_alg: 'ES256',
    subject_type: 'pairwise',
  }, {
    // A second relying party: a site's staff login (e.g. ProConnect) through
    // mozilla-django-oidc's global OIDC_* settings, beside the citizens' one.
    client_id: 'staff-login',
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.STAFF_REDIRECT_URI || 'http://testserver/oidc/callback/'],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'ES256',
    subject_type: 'pairwise',
  }],
  jwks: { keys: [signingKey()] },
  acrValues: ['eidas1'],
  subjectTypes: ['pairwise'],
  claims: {
    openid: ['sub'],
    given_name: ['given_name', 'given_name_array'],
    family_name: ['family_name'],
    birthdate: ['birthdate'],
    gender: ['gender'],
    birthplace: ['birthplace'],
    birthcountry: ['birthcountry'],
    preferred_username: ['preferred_username'],
    email: ['email'],
    cnaf_quotient_familial: [], cnaf_allocataires: [], cnaf_enfants: [], cnaf_adresse: [],
  },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => { ctx.body = `<!DOCTYPE html><html><body>${form}<button form="op.logoutForm" name="logout" value="yes">Yes</button></body></html>`; },
    },
  },
  pkce: { required: () => false },
  pairwiseIdentifier: async (ctx, accountId, client) => createHash('sha256')
    .update(`${client.sectorIdentifier}:${accountId}:wagtail-qf-tests`).digest('hex'),
  findAccount: async (ctx, id) => (ACCOUNTS[id] ? {
    accountId: id,
    claims: async () => ({ sub: id, ...ACCOUNTS[id] }),
  } : undefined),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['wagtail-qf-tests-cookie-key'] },
  ttl: { AccessToken: 60, AuthorizationCode: 60, IdToken: 60, Interaction: 600, Session: 600, Grant: 600 },
  renderError: async (ctx, out) => { ctx.type = 'json'; ctx.body = out; },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;

async function interaction(req, res, uid, query) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (query.get('abort')) {
    return provider.interactionFinished(req, res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false });
  }
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    const accountId = query.get('account') || 'dupont';
    return provider.interactionFinished(req, res,
      { login: { accountId, acr: 'eidas1', amr: ['pwd'] } }, { mergeWithLastSubmission: false });
  }
  const grant = details.grantId ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  grant.addOIDCScope(params.scope);
  const wanted = params.scope.split(' ').filter((s) => IDENTITY.includes(s) || s === 'email');
  grant.addOIDCClaims(wanted.flatMap((s) => configuration.claims[s]));
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  const match = url.pathname.match(/^\/interaction\/([^/]+)$/);
  if (match) {
    try { await interaction(req, res, match[1], url.searchParams); } catch (err) {
      res.statusCode = 400; res.end(String(err.message));
    }
    return;
  }
  if (url.pathname.startsWith('/api/v2')) {
    // Mounted under /api/v2 like FranceConnect: the provider reads the mount from originalUrl.
    req.originalUrl = req.url;
    req.url = req.url.slice('/api/v2'.length) || '/';
    return callback(req, res);
  }
  res.statusCode = 404; res.end('not found');
}).listen(port, '127.0.0.1', () => { console.log(`ready ${issuer}`); });
