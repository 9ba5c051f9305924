// Credential forms of shell commands (and of strings inside any tool input), each a function of the
// secret and the quoting it gets, for the redaction property tests (lib and through the real hook).
import fc from 'fast-check';

export type Quote = (s: string) => string;
export const QUOTES: Quote[] = [(s) => s, (s) => `'${s}'`, (s) => `"${s}"`];

/** [name, form(secret, quote)]: the secret must not survive redaction of the form. */
export const CREDENTIAL_FORMS: [string, (s: string, q: Quote) => string][] = [
  ['pipe to docker login --password-stdin', (s, q) => `echo ${q(s)} | docker login -u me --password-stdin ghcr.io`],
  ['pipe through a filter to podman login', (s, q) => `printf '%s' ${q(s)} | tr -d '\\n' | podman login --password-stdin -u me quay.io`],
  ['pipe to sudo -S', (s, q) => `printf ${q(`${s}\\n`)} | sudo -S apt-get install -y jq`],
  ['pipe to sudo -kS after another command', (s, q) => `cd /tmp && echo ${q(s)} | sudo -kS ls`],
  ['pipe to passwd --stdin', (s, q) => `echo ${q(s)} | passwd --stdin deploy`],
  ['pipe to chpasswd', (s) => `echo "deploy:${s}" | chpasswd`],
  ['here-string to docker login', (s, q) => `docker login -u me --password-stdin <<< ${q(s)}`],
  ['here-string without space to sudo', (s, q) => `sudo -S true <<<${q(s)}`],
  ['here-string to gh auth login --with-token', (s, q) => `gh auth login --with-token <<< ${q(s)}`],
  ['here-document to sudo -S', (s) => `sudo -S systemctl restart app <<'EOF'\n${s}\nEOF`],
  ['here-document through cat to docker login', (s) => `cat <<EOF | docker login --password-stdin -u me\n${s}\nEOF\necho done`],
  ['process substitution to docker login', (s, q) => `docker login --password-stdin -u me < <(echo ${q(s)})`],
  ['pipe to docker secret create', (s, q) => `echo ${q(s)} | docker secret create db_pw -`],
  ['here-string to cryptsetup', (s, q) => `cryptsetup open /dev/sdb1 vault <<< ${q(s)}`],
  ['htpasswd -b', (s, q) => `htpasswd -b /etc/nginx/.htpasswd admin ${q(s)}`],
  ['htpasswd -nbB', (s, q) => `htpasswd -nbB admin ${q(s)} > users`],
  ['htpasswd with a path', (s, q) => `/usr/bin/htpasswd -bc ./pw admin ${q(s)}`],
  ['vault login', (s, q) => `vault login ${q(s)}`],
  ['vault login with an option', (s, q) => `VAULT_ADDR=http://v:8200 vault login -no-print ${q(s)}`],
  ['mysqladmin password', (s, q) => `mysqladmin -u root password ${q(s)}`],
  ['npm config set _authToken=', (s, q) => `npm config set //registry.npmjs.org/:_authToken=${q(s)}`],
  ['npm config set _authToken (space)', (s, q) => `npm config set '//registry.npmjs.org/:_authToken' ${q(s)}`],
  ['git remote add with userinfo', (s) => `git remote add o https://user:${s}@github.com/o/r.git`],
  ['git clone with a token user', (s) => `git clone https://${s}@github.com/o/r.git`],
  ['export AWS_SECRET_ACCESS_KEY', (s, q) => `export AWS_SECRET_ACCESS_KEY=${q(s)}`],
  ['export *_PASSWORD', (s, q) => `export DB_PASSWORD=${q(s)}`],
  ['assignment without underscore', (s, q) => `DBPASS=${q(s)} ./migrate`],
  ['export APIKEY', (s, q) => `export APIKEY=${q(s)}`],
  ['lower-case token variable', (s, q) => `my_token=${q(s)}; curl -H "x: $my_token" x`],
  ['JSON password in a shell string', (s) => `curl -d '{"password": "${s}"}' https://x`],
  ['JSON token in a shell string', (s) => `curl -d '{"user":"a","token":"${s}"}' https://x`],
  ['escaped JSON in a shell string', (s) => `echo "{\\"password\\": \\"${s}\\"}" > creds.json`],
  ['curl -u user:pw', (s, q) => `curl -u ${q(`admin:${s}`)} https://x`],
  ['curl --user=user:pw', (s) => `curl --user=admin:${s} https://x`],
  ['curl --user user:pw', (s, q) => `curl --user ${q(`admin:${s}`)} https://x`],
  ['curl -u TOKEN: (empty password)', (s) => `curl -u ${s}: https://api.x`],
  ['--user_pass=', (s, q) => `wp user create bob b@x.io --user_pass=${q(s)}`],
];

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const alnum = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...ALNUM), minLength: min, maxLength: max });

/** A random secret: high-entropy (letters and digits, both cases) or shaped like a known token. */
export const SECRET: fc.Arbitrary<string> = fc.oneof(
  alnum(16, 40).filter((s) => /[0-9]/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s)),
  alnum(36, 36).map((s) => `ghp_${s}`),
  alnum(20, 20).map((s) => `glpat-${s}`),
  alnum(40, 60).map((s) => `sk-proj-${s}`),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: 16, maxLength: 16 }).map((s) => `AKIA${s}`),
);
