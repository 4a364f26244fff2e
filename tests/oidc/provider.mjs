// A real OpenID Connect provider for the tests: npm `oidc-provider` (a certified implementation)
// with its own login and consent pages, one confidential client and any number of users.
//
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET  the client the app under test is configured with
//   OIDC_REDIRECT_URIS                  comma-separated; the app's exact callback URL(s)
//
// The login page takes any email as the login (the password is not checked): that is the user's
// `email` claim, verified unless it starts with "unverified", and their `sub` is derived from it.
// Listens on 127.0.0.1, on PORT (default: a free port); prints `listening <issuer>` once it accepts
// connections.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import Provider from 'oidc-provider';

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return value;
};

const client = {
  client_id: required('OIDC_CLIENT_ID'),
  client_secret: required('OIDC_CLIENT_SECRET'),
  redirect_uris: required('OIDC_REDIRECT_URIS').split(','),
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
};

// A stable subject that is not the email, as real providers do.
const subjectOf = (login) => createHash('sha256').update(login).digest('hex').slice(0, 24);

const server = createServer();
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [client],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The dev login page makes its login (an email) the account id.
    async findAccount(ctx, login) {
      return {
        accountId: login,
        async claims() {
          return {
            sub: subjectOf(login),
            email: login,
            email_verified: !login.startsWith('unverified'),
          };
        },
      };
    },
  });
  // Keep the console for `listening`: the provider's warnings about its dev defaults go to stderr.
  server.on('request', provider.callback());
  console.log(`listening ${issuer}`);
});
