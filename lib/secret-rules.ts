// hookwarden's own redaction rules, as data: shapes that need context (options, assignments,
// headers, URLs) and the token formats the audit trail has always covered. Token formats from
// gitleaks' maintained rule set are in secret-patterns.ts (generated).
//
// Every pattern keeps to rules that make a scan linear in the text (checked for each pattern by
// test/lib/redact-patterns.test.ts): every repetition is bounded, no repeated group holds a
// repetition, and a long repetition is never followed by something that can still fail (a value
// in quotes may stay unclosed, so a scan of it always ends in a match). Group 1, when present, is
// context that stays readable; the rest of the match is the secret.

export type RuleRow = readonly [kind: string, source: string, flags?: string, keywords?: readonly string[]];

/** A value: quoted (the quote may stay open) or a bare word; a bare `$NAME` is a reference and stays. */
export const VALUE = `(?:"[^"\\n]{1,4096}"?|'[^'\\n]{1,4096}'?|(?![$"'\\[])[^\\s"'\`;&|<>,(){}]{1,4096})`;
/** `NAME=`, `NAME: `, `"NAME": "`, `NAME := `; never `==`. */
// A backslash may precede the quotes: JSON inside a JSON or shell string (`{\\"password\\": \\"x\\"}`).
export const SEP = `\\\\?["']?[ \\t]{0,8}(?::=|=|:)(?!=)[ \\t]{0,8}\\\\?`;
export const SECRET_WORDS =
  'password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth[_-]?token';

/** Lower-case words one of which every match of SECRET_WORDS holds (the rules' prefilter). */
export const SECRET_KEYWORDS: readonly string[] = ['pass', 'secret', 'token', 'key', 'credential'];

/**
 * Command-line programs whose short option takes a password: [kind, program, option, keywords]. The engine
 * finds the program name, then looks for the option only up to the end of that command (the next
 * `;`, `&`, `|` or line end), so every character is scanned once per program (no scan from each
 * occurrence of the name).
 */
export const CLI_PASSWORD_OPTIONS: readonly [kind: string, program: string, option: string, keywords: readonly string[]][] = [
  // mysql's -p takes the password only when attached (`-p secret` prompts and names a database).
  ['mysql-password', '(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mysqlsh|mariadb(?:-[a-z]{1,12})?)', '-p(?=[^\\s])', ['mysql', 'mariadb']],
  ['sshpass-password', 'sshpass', '-p[ \\t]{0,8}', ['sshpass']],
  ['registry-password', '(?:docker|podman|nerdctl|buildah|skopeo|helm|oras|crane)[ \\t]{1,8}(?:[a-z]{1,16}[ \\t]{1,8})?login', '-p[ \\t]{0,8}', ['login']],
  ['redis-password', 'redis-cli', '-a[ \\t]{0,8}', ['redis-cli']],
  ['az-password', 'az[ \\t]{1,8}login', '-p[ \\t]{0,8}', ['login']],
  ['mongo-password', '(?:mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop|mongofiles)', '-p[ \\t]{0,8}', ['mongo']],
  ['sqlcmd-password', '(?:sqlcmd|bcp|isql|sqsh|ipmitool|zip|unzip|zipcloak)', '-P[ \\t]{0,8}', ['sqlcmd', 'bcp', 'isql', 'sqsh', 'ipmitool', 'zip']],
  ['ldap-password', 'ldap[a-z]{2,12}', '-w[ \\t]{0,8}', ['ldap']],
  ['archive-password', '(?:7z|7za|7zr|rar|unrar)', '-p(?=[^\\s])', ['7z', 'rar']],
  ['smb-password', '(?:smbclient|rpcclient|smbmap|smbget|net)', '-U[ \\t]{0,8}[^\\s%"\']{1,256}%', ['smb', 'rpcclient', 'net']],
  ['openssl-password', 'openssl', '(?:-pass(?:in|out)?[ \\t]{1,8}["\']?pass:|-k[ \\t]{1,8})', ['openssl']],
  ['keytool-password', '(?:keytool|jarsigner)', '-(?:src|dest|new)?(?:store|key)?pass[ \\t]{1,8}', ['keytool', 'jarsigner']],
  ['curl-cookie', 'curl', '-b[ \\t]{0,8}', ['curl']],
  ['gh-secret', 'gh[ \\t]{1,8}secret[ \\t]{1,8}set', '(?:-b|--body)(?:[ \\t]{1,8}|=)', ['secret']],
  ['rdp-password', '(?:xfreerdp|wlfreerdp|sdl-freerdp)', '/p:', ['freerdp']],
];

/** Before any configured pattern: specific shapes, most specific first (the first match names the kind). */
export const FIRST: readonly RuleRow[] = [
  // The body runs to the next `-----` (its END line, kept in the marker) or 16 KiB; a body with no END
  // is still redacted.
  ['private-key', '-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-(?!----)){0,16384}(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?', '', ['-----begin']],
  // Headers whose whole value is a credential, up to the end of the quoted string or line.
  ['cookie', `\\b((?:set-)?cookie["']?[ \\t]{0,8}:[ \\t]{0,8}["']?)[^\\s"'][^"'\\r\\n]{0,4096}`, 'i', ['cookie']],
  // The scheme word itself is kept (so a second pass changes nothing).
  ['authorization', `\\b((?:proxy-)?authorization["']?[ \\t]{0,8}[:=][ \\t]{0,8}["']?(?:(?:bearer|basic|token|digest|bot|negotiate|aws4-hmac-sha256)[ \\t]{1,8})?)(?!(?:bearer|basic|token|digest|bot|negotiate)\\b)[^\\s"',;][^"'\\r\\n]{0,4096}`, 'i', ['authorization']],
  // scheme://user:password@host: the password up to the last `@` before the path. Anchored on `://`
  // (the scheme stays outside the match): neither part can hold another `://`, so no text is scanned twice.
  ['url-password', '(://[^\\s:/@?#"\'<>]{0,256}:)[^\\s/?#"\'<>]{1,256}(?=@)', '', ['://']],
  // scheme://TOKEN@host: a userinfo with no password is a credential too (a token as the user name),
  // unless it is shaped like an account name (lower-case letters and `._-`: `git@`, `x-access-token@`).
  ['url-userinfo', '(://)(?![a-z][a-z._-]{0,31}@)[^\\s:/@?#"\'<>]{1,256}(?=@)', '', ['://']],
  ['slack-webhook', '(hooks\\.slack\\.com/services/)[A-Za-z0-9_/-]{8,512}', '', ['hooks.slack.com']],
  ['anthropic-key', '\\bsk-ant-[A-Za-z0-9_-]{16,512}', '', ['sk-ant-']],
  ['openai-key', '\\bsk-[A-Za-z0-9_-]{20,512}', '', ['sk-']],
  ['github-token', '\\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})', '', ['gh', 'github_pat_']],
  ['huggingface-token', '\\b(?:hf|api_org)_[A-Za-z0-9]{30,128}', '', ['hf_', 'api_org_']],
  ['npm-token', '\\bnpm_[A-Za-z0-9]{30,255}', '', ['npm_']],
  // Prefixed formats the imported gitleaks set lacks (red team, round 4: each stayed readable).
  ['google-oauth-token', '\\bya29\\.[0-9A-Za-z_-]{20,2048}', '', ['ya29.']],
  ['google-client-secret', '\\bGOCSPX-[0-9A-Za-z_-]{20,64}', '', ['gocspx-']],
  ['xai-key', '\\bxai-[0-9A-Za-z]{32,255}', '', ['xai-']],
  ['groq-key', '\\bgsk_[0-9A-Za-z]{32,255}', '', ['gsk_']],
  ['replicate-token', '\\br8_[0-9A-Za-z]{30,255}', '', ['r8_']],
  ['tavily-key', '\\btvly-[0-9A-Za-z-]{20,255}', '', ['tvly-']],
  ['figma-token', '\\bfigd_[0-9A-Za-z_-]{30,255}', '', ['figd_']],
  ['netlify-token', '\\bnfp_[0-9A-Za-z]{30,255}', '', ['nfp_']],
  ['render-key', '\\brnd_[0-9A-Za-z]{24,255}', '', ['rnd_']],
  ['neon-key', '\\bnapi_[0-9A-Za-z]{40,255}', '', ['napi_']],
  ['heroku-key', '\\bHRKU-[0-9A-Za-z_-]{20,255}', '', ['hrku-']],
  ['atlassian-token', '\\bATATT3[0-9A-Za-z_=-]{40,512}', '', ['atatt3']],
  ['notion-token', '\\bntn_[0-9A-Za-z]{40,255}', '', ['ntn_']],
  ['supabase-token', '\\bsbp_[0-9a-f]{40}\\b', '', ['sbp_']],
  ['fly-token', '\\bfo1_[0-9A-Za-z_-]{30,255}', '', ['fo1_']],
  ['docker-pat', '\\bdckr_pat_[0-9A-Za-z_-]{20,255}', '', ['dckr_pat_']],
  ['newrelic-key', '\\bNRAK-[0-9A-Z]{27}\\b', '', ['nrak-']],
  ['elevenlabs-key', '\\bsk_[0-9a-f]{48}\\b', '', ['sk_']],
  ['slack-token', '\\b(?:xox[abposre]-[A-Za-z0-9-]{10,512}|xapp-[0-9]-[A-Za-z0-9-]{10,512})', '', ['xox', 'xapp-']],
  ['google-api-key', '\\bAIza[0-9A-Za-z_-]{35}', '', ['aiza']],
  ['stripe-key', '\\b(?:[sr]k_(?:live|test|prod)_[0-9A-Za-z]{10,255}|whsec_[0-9A-Za-z]{20,255})', '', ['k_live_', 'k_test_', 'k_prod_', 'whsec_']],
  ['aws-access-key', '\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b', '', ['a3t', 'akia', 'asia', 'abia', 'acca']],
  ['jwt', '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,4096}\\.eyJ[A-Za-z0-9_-]{2,8192}\\.[A-Za-z0-9_-]{0,4096}', '', ['eyj']],
  ['bearer', '\\b(bearer[ \\t]{1,8})[A-Za-z0-9._~+/-]{16,4096}=*', 'i', ['bearer']],
  ['aws-secret', `\\b((?:aws_?)?secret_?access_?key${SEP}["']?)[A-Za-z0-9/+=]{40}`, 'i', ['secret']],
  // `-u user:pw`, `-uuser:pw`, `--user=user:pw`, `--proxy-user user:pw`; not `-u 1000:1000` (uid:gid).
  // Starts only after whitespace or a quote, which the user part cannot hold: no text is scanned twice.
  ['basic-auth', `(?<![^\\s"'])((?:-u|-U|--user|--proxy-user)(?:[ \\t]{1,8}|=)?["']?(?![0-9]{1,10}:[0-9]{1,10}(?![^\\s"']))[^\\s:"'=-][^\\s:"']{0,255}:)[^\\s"']{1,1024}`, '', ['-u']],
  // `-u TOKEN:` (a token as the user name, empty password: `curl -u sk_x: https://api…`).
  ['basic-auth', `(?<![^\\s"'])((?:-u|-U|--user|--proxy-user)(?:[ \\t]{1,8}|=)?["']?)[^\\s:"'=-][^\\s:"']{0,255}(?=:[\\s"'])`, '', ['-u']],
];

/** After the configured patterns: words that name a secret, and what follows them. */
export const LAST: readonly RuleRow[] = [
  // `--password secret`, `--api-key=x`, `--pass x`, `-storepass x`; not `--password-stdin`, `--bypass x`.
  ['secret-flag', `(?<![^\\s"'])(--?(?:[a-z0-9_-]{0,60}?(?:${SECRET_WORDS}|bearer|cookie)|(?:[a-z0-9_-]{0,60}[-_])?pass)(?:[ \\t]{1,8}|=))(?!-)${VALUE}`, 'i', [...SECRET_KEYWORDS, 'bearer', 'cookie']],
  // Assignments to a name that ends in a secret word, any case: `PGPASSWORD=`, `*_TOKEN=`,
  // `password: x`, `"client_secret": "x"`, `db.password = x`. Only the end of the name is matched
  // (the rest stays outside the match), so no prefix is scanned from every position.
  ['secret-assignment', `((?:${SECRET_WORDS})${SEP})${VALUE}`, 'i', SECRET_KEYWORDS],
  // Environment style with a shorter word: `*_KEY=`, `*_PASS=`, `MYSQL_PWD=`, `*_AUTH=`, `*_CREDENTIALS=`.
  // Upper case also without the underscore: `DBPASS=`, `SMTPPWD=`, `KEY=`.
  ['secret-assignment', `((?:_(?:KEY|AUTH|CREDENTIALS?)|(?<![A-Za-z0-9])KEY|PASS|PWD)${SEP})${VALUE}`, '', ['key', 'pass', 'pwd', '_auth', '_credential']],
  // A dotted or underscored key naming a secret, then its value after a space: `aws configure set
  // aws_secret_access_key x`, `git config github.token x`, `npm config set //host/:_authToken x`.
  ['secret-setting', `([._-](?:${SECRET_WORDS})["']?[ \\t]{1,8})(?![-=:])${VALUE}`, 'i', SECRET_KEYWORDS],
];

/**
 * Programs that read a credential from standard input: [program (and subcommand), condition that
 * must occur in the same command ('' = always), keywords]. What such a command reads is a secret
 * wherever it comes from in the text: the earlier stages of its pipeline (`echo PW | …`), a
 * here-string (`<<< PW`), a here-document body, a process substitution (`< <(echo PW)`).
 */
export const STDIN_CREDENTIAL_COMMANDS: readonly [program: string, condition: string, keywords: readonly string[]][] = [
  ['(?:docker|podman|nerdctl|buildah|skopeo|helm|oras|crane|regctl)[ \\t]{1,8}(?:[a-z]{1,16}[ \\t]{1,8})?login', '--password-stdin', ['login']],
  ['sudo', '(?:^|[ \\t])(?:-[a-zA-Z]{0,8}S|--stdin)(?![\\w-])', ['sudo']],
  ['(?:passwd|smbpasswd|pdbedit)', '(?:--stdin|(?:^|[ \\t])-[a-zA-Z]{0,8}s(?![\\w-]))', ['passwd', 'pdbedit']],
  ['(?:chpasswd|chgpasswd|newusers|kinit|cryptsetup|cryptdisks)', '', ['chpasswd', 'chgpasswd', 'newusers', 'kinit', 'crypt']],
  ['gh[ \\t]{1,8}auth[ \\t]{1,8}login', '--with-token', ['auth']],
  // Unless the value is given otherwise (`--body`, `--env-file`).
  ['gh[ \\t]{1,8}secret[ \\t]{1,8}set', '^(?![^\\n]{0,4096}?[ \\t](?:-b|--body|-f|--env-file)(?![\\w-]))', ['secret']],
  ['(?:docker|podman)[ \\t]{1,8}secret[ \\t]{1,8}create', '', ['secret']],
  ['(?:wrangler|flyctl|fly)[ \\t]{1,8}secrets?[ \\t]{1,8}(?:put|set|import)', '', ['secret']],
  ['vault[ \\t]{1,8}(?:login|write|kv[ \\t]{1,8}put)', '', ['vault']],
  ['htpasswd', '(?:^|[ \\t])-[a-zA-Z]{0,8}i', ['htpasswd']],
  ['gpg2?', '--passphrase-fd(?:[ \\t]{1,8}|=)0(?![0-9])', ['gpg']],
  ['openssl', '-pass(?:in|out)?[ \\t]{1,8}(?:stdin|fd:0)(?![\\w])', ['openssl']],
  ['(?:pass|gopass)[ \\t]{1,8}(?:insert|add)', '', ['pass']],
  ['git[ \\t]{1,8}credential(?:-[a-z]{1,16})?[ \\t]{1,8}(?:approve|store)', '', ['credential']],
  ['kubectl[ \\t]{1,8}create[ \\t]{1,8}secret', '/dev/stdin', ['secret']],
];

/**
 * Programs whose positional arguments are credentials: [program (and subcommand), the first
 * positional that is one (1-based; a word: the positionals after that word), condition that must
 * occur in the same command ('' = always), keywords]. Options, redirections and `key=value`
 * arguments (the assignment rule's) are not positionals.
 */
export const POSITIONAL_CREDENTIALS: readonly [program: string, from: number | string, condition: string, keywords: readonly string[]][] = [
  // `htpasswd -b[c] file user PW`; with -n there is no file: `htpasswd -nb user PW`.
  ['htpasswd', 3, '(?:^|[ \\t])-[a-zA-Z]{0,8}b', ['htpasswd']],
  ['htpasswd', 2, '(?:^|[ \\t])-[a-zA-Z]{0,8}n', ['htpasswd']],
  ['vault[ \\t]{1,8}login', 1, '', ['vault']],
  ['(?:ngrok[ \\t]{1,8}(?:config[ \\t]{1,8}add-)?authtoken|snyk[ \\t]{1,8}auth|heroku[ \\t]{1,8}auth:token|doctl[ \\t]{1,8}auth[ \\t]{1,8}init)', 1, '', ['authtoken', 'auth']],
  // `cf auth USER PW`.
  ['cf[ \\t]{1,8}auth', 2, '', ['auth']],
  // `mysqladmin -u root password NEW`.
  ['(?:mysqladmin|mariadb-admin)', 'password', '', ['mysqladmin', 'mariadb-admin']],
];
