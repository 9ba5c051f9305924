// Commands for the differential oracle: a command that changes a path, reached through the shell
// forms of issue 14 (functions, arrays, read, trap, source, namerefs, cd, eval, sh -c...), over the
// fixture of test/helpers/guard-project.ts, where protected and ordinary paths sit side by side.
import fc from 'fast-check';

/** Paths as a command would write them (relative to the project, or under ~). */
export const PATHS = ['.env', '.env.example', '.git/config', '.git', '.git/HEAD', '~/.ssh/id_ed25519', '~/.ssh', '~/.ssh/config',
  '~/.config/hookwarden/config.json', '~/.bashrc', 'notes.txt', 'src/a.ts', 'src', 'out.txt', 'newdir', 'README.md', 'list.txt'];

/** One command acting on `p` (and `q`): `$P` is replaced by the path word, `$Q` by a second one. */
export const ACTIONS = [
  'rm -f $P', 'rm -rf $P', 'touch $P', 'echo x > $P', 'echo x >> $P', 'printf y | tee $P >/dev/null', 'truncate -s 0 $P',
  'chmod 600 $P', 'mkdir -p $P', 'cp notes.txt $P', 'cp -r src $P', 'mv $P $Q', 'cp $P $Q', 'ln -sf $P $Q', 'ln $P $Q',
  'sort -o $P notes.txt', 'uniq notes.txt $P', 'gzip -f $P', 'gzip -kf $P', 'zip -qm out.zip $P', 'mkfifo $P', 'split -l1 notes.txt $P',
  'sed -i s/a/b/ $P', 'dd if=notes.txt of=$P status=none', 'tar -cf out.tar --remove-files $P', 'cat $P > /dev/null', 'wc -l $P',
  'ls $P', 'grep -rq x $P', 'install -m 600 notes.txt $P', 'shred -u $P', 'head -c1 $P', 'diff $P notes.txt', 'sha256sum $P',
  'unlink $P', 'rmdir $P', 'csplit -s -f $P notes.txt 1', 'xxd notes.txt $P', 'iconv -f utf8 -t utf8 -o $P notes.txt',
  'shuf -o $P notes.txt', 'bzip2 -f $P', 'xz -f $P', 'mktemp $P.XXXX',
  // A fresh name in the folder $P (issue 13, R9): a write there; its output used later.
  'mktemp -p $P', 'mktemp -d -p $P', 'mktemp --tmpdir=$P x.XXXXXX', 'TMPDIR=$P mktemp', 'TMPDIR=$P mktemp -t k.XXXX',
  't=$(mktemp -p $P) && echo x > "$t"', 'd=$(mktemp -d) && ln -s $P "$d/l" && echo x > "$d/l"',
];

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Shell forms around an action; `A(word)` is the action with its path given as `word`. */
const FORMS: ((a: (w: string) => string, p: string) => string)[] = [
  (a, p) => a(p),
  (a, p) => `f() { ${a('"$1"')}; }; f ${p}`,
  (a, p) => `f() { local d=$1; ${a('"$d"')}; }; f ${p}`,
  (a, p) => `arr=(x ${p}); ${a('"${arr[1]}"')}`,
  (a, p) => `arr=(${p}); for v in "\${arr[@]}"; do ${a('"$v"')}; done`,
  (a, p) => `read -r v <<< ${p}; ${a('"$v"')}`,
  (a, p) => `echo ${p} | { read -r v; ${a('"$v"')}; }`,
  (a, p) => `printf -v v %s ${p}; ${a('"$v"')}`,
  (a, p) => `x=${p}; declare -n r=x; ${a('"$r"')}`,
  (a, p) => `F=${p}; ${a('$F')}`,
  (a, p) => `trap ${q(a(p))} EXIT; true`,
  (a, p) => `source <(echo ${q(a(p))})`,
  (a, p) => `. /dev/stdin <<< ${q(a(p))}`,
  (a, p) => `eval ${q(a(p))}`,
  (a, p) => `sh -c ${q(a('"$1"'))} _ ${p}`,
  (a, p) => `bash -c ${q(a(p))}`,
  (a, p) => `{ ${a(p)}; } 2>/dev/null`,
  (a, p) => `true && ${a(p)} || true`,
  (a, p) => `if true; then ${a(p)}; fi`,
  (a, p) => `(${a(p)})`,
  (a, p) => `coproc { ${a(p)}; }; wait`,
  (a, p) => `env -S ${q(a(p))}`,
  (a, p) => `mapfile -t L <<< ${p}; ${a('"${L[0]}"')}`,
  (a, p) => `trap cleanup EXIT; cleanup() { ${a(p)}; }`,
  (a, p) => `bash <(echo ${q(a(p))})`,
  (a, p) => `g() { "$@"; }; g ${a(p)}`,
  (a, p) => `IFS=: read -r x v <<< "x:${p}"; ${a('"$v"')}`,
  (a, p) => p.includes('/') && !p.startsWith('~') ? `cd ${p.slice(0, p.lastIndexOf('/'))} && ${a(p.slice(p.lastIndexOf('/') + 1))}` : a(p),
];

/** Whole-folder forms, which reach protected paths through globs. */
const GLOBS = ['shopt -s dotglob; rm -rf *', 'shopt -s dotglob; chmod -R 700 *', 'shopt -s globstar dotglob; rm -f **/config',
  'shopt -s dotglob; gzip -rf *', 'rm -rf .[!.]*', 'shopt -s extglob dotglob; rm -rf !(src)', 'shopt -s globstar; touch **/*.ts',
  'cp -r . /tmp/hw-oracle-snap-$$', 'touch *', 'GLOBIGNORE=x; rm -rf *', "bash -O dotglob -c 'rm -f *'", "env BASHOPTS=dotglob bash -c 'chmod -R 700 *'",
  'f() { GLOBIGNORE=y; }; f; touch *'];

export const commandArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.constantFrom(...ACTIONS), fc.constantFrom(...PATHS), fc.constantFrom(...PATHS), fc.nat({ max: FORMS.length - 1 }))
    .map(([action, p, q2, k]) => FORMS[k]!((w) => action.replaceAll('$P', w).replaceAll('$Q', q2), p)) },
  { weight: 1, arbitrary: fc.constantFrom(...GLOBS) },
);
