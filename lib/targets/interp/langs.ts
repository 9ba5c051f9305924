// What each language calls the things the resolver needs: the home directory, environment
// variables, path joins, calls that only read the path they are given, calls that run a shell,
// and constructs that build names the guard cannot see (character codes, decoders, reflection).
import type { Lang } from './lex.js';

export interface Profile {
  /** Dotted call names (last parts match too: `os.path.join` also as `join`) joining their arguments as path parts. */
  joins: ReadonlySet<string>;
  /** Calls whose first argument is a path returned as is (or with `~` expanded). */
  identity: ReadonlySet<string>;
  /** Calls and attribute chains that give the home directory. */
  home: ReadonlySet<string>;
  /** Calls or subscripts reading an environment variable: `NAME('X')`, `NAME['X']`, `NAME.X`, `NAME{X}`. */
  env: ReadonlySet<string>;
  /** Calls that only read (or only look at) the path in their first argument. */
  reads: ReadonlySet<string>;
  /** Calls that open a file with a mode argument: read-only when the mode is. */
  opens: ReadonlySet<string>;
  /** Methods called on a path value that only read (`Path(p).read_text()`). */
  readMethods: ReadonlySet<string>;
  /** Calls that hand a string to a shell. */
  shells: RegExp;
  /** Names built where the guard cannot see them. */
  dynamic: RegExp;
  /** The code reads its command-line arguments. */
  argv: RegExp;
  /** `+` concatenates strings; `.` does (Perl, PHP); `/` joins paths (pathlib). */
  concat: ReadonlySet<string>;
}

const set = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

const PY: Profile = {
  joins: set('os.path.join posixpath.join join joinpath Path PurePath PosixPath pathlib.Path pathlib.PurePath'),
  identity: set('expanduser abspath realpath normpath os.fspath fspath str expandvars'),
  home: set('Path.home pathlib.Path.home home'),
  env: set('os.environ os.environ.get os.getenv getenv environ environ.get'),
  reads: set('exists isfile isdir islink lexists getsize getmtime getatime getctime stat lstat access listdir scandir walk '
    + 'load_dotenv dotenv_values read_csv read_json read_excel read_parquet read_table loadtxt genfromtxt load print len '
    + 'glob iglob samefile basename dirname splitext split isabs ismount fnmatch import_module run_path unpack_archive is_tarfile is_zipfile'),
  opens: set('open io.open codecs.open ZipFile zipfile.ZipFile TarFile tarfile.TarFile gzip.open bz2.open lzma.open'),
  readMethods: set('read_text read_bytes exists is_file is_dir is_symlink stat lstat iterdir glob rglob resolve absolute open expanduser owner group samefile'),
  shells: /\b(?:system|popen|spawn\w*|posix_spawnp?|exec[lv]p?e?|call|check_call|check_output|run|Popen|getoutput|getstatusoutput)\s*\(/,
  // ...and a source encoding other than UTF-8 or ASCII in the first two lines (`# coding: utf-7`:
  // `+AAo-` is a line end): the text Python runs is not the text read here.
  dynamic: /\b(?:chr|bytes\.fromhex|b64decode|b32decode|b16decode|a85decode|b85decode|unhexlify|decode|getattr|__import__|importlib|eval|exec|compile|codecs\.decode|reversed|translate|maketrans|marshal|pickle|ctypes|cffi)\b|\[\s*::\s*-1\s*\]|^(?:[^\n]*\n)?[ \t\f]*#[^\n]*coding[:=][ \t]*(?!(?:[uU][tT][fF][-_]?8|[aA][sS][cC][iI][iI]|[uU][sS]-[aA][sS][cC][iI][iI])\b)[-\w.]+/,
  argv: /\bsys\.argv\b|\bargv\b|\bfileinput\b|\bargparse\b|\bclick\b|\btyper\b/,
  concat: set('+'),
};

const JS: Profile = {
  joins: set('path.join path.resolve path.posix.join path.posix.resolve join resolve URL'),
  identity: set('path.normalize normalize String path.toNamespacedPath'),
  home: set('os.homedir homedir require(os).homedir Deno.env.HOME'),
  env: set('process.env Deno.env.get Bun.env env'),
  reads: set('readFileSync readFile existsSync exists statSync stat lstatSync lstat readdirSync readdir accessSync access '
    + 'createReadStream realpathSync realpath readlinkSync readlink opendirSync opendir watch watchFile require console.log '
    + 'Deno.readTextFile Deno.readTextFileSync Deno.readFile Deno.readFileSync Deno.stat Deno.statSync Deno.lstat Deno.readDir '
    + 'fs.promises.readFile promises.readFile basename dirname extname'),
  opens: set('openSync open fs.openSync fs.open fs.promises.open Deno.open Deno.openSync'),
  readMethods: set('text json arrayBuffer exists'),
  shells: /\b(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|fork|execa|execaSync|execaCommand|Command|run|spawn)\s*\(|\$`|\bsh`/,
  dynamic: /\b(?:fromCharCode|fromCodePoint|atob|eval|Function|Reflect|reverse|decodeURIComponent|unescape|SourceTextModule|koffi)\b|\.dlopen\s*\(|\brunIn(?:This|New)?Context\s*\(|\bcompileFunction\s*\(|\bnew\s+(?:vm\.)?Script\s*\(|ffi-napi|\bBuffer\.from\s*\([^)]*['"](?:base64|hex|base64url)['"]|\brequire\s*\(\s*[^'"`\s)]|\bimport\s*\(\s*[^'"`\s)]|\bprocess\.binding\b/,
  argv: /\bprocess\.argv\b|\bDeno\.args\b|\bBun\.argv\b|\byargs\b|\bcommander\b|\bminimist\b|\bparseArgs\b/,
  concat: set('+'),
};

const PERL: Profile = {
  joins: set('catfile catdir File::Spec->catfile File::Spec->catdir File::Spec::Functions::catfile join'),
  identity: set('glob bsd_glob abs_path realpath rel2abs canonpath File::Spec->rel2abs expand_tilde'),
  home: set('File::HomeDir->my_home my_home'),
  env: set('$ENV'),
  reads: set('stat lstat opendir require do print printf say readlink'),
  opens: set('open sysopen'),
  readMethods: set(''),
  shells: /\b(?:system|exec|qx|readpipe|open3|open2|run|capture)\b|`|open\s*\(?\s*[^,]+,\s*['"][-|]|\|['"]\s*\)?\s*(?:;|$|or\b)/,
  dynamic: /\b(?:chr|pack|unpack|eval|decode_base64|decode_hex|reverse|sprintf|lc|uc|tr|y|DynaLoader|XSLoader|syscall|FFI)\b|&\$|->\$|\$\{\s*\\|\*\{|\bno\s+strict\b/,
  // `shift`/`pop` with no array outside a sub take @ARGV; ExtUtils::Command's functions (cp, mv,
  // rm_f, touch…) work on @ARGV.
  argv: /@ARGV|\$ARGV|<>|<<>>|\bGetopt\b|\$ARGV\[|\bExtUtils::Command\b|\b(?:shift|pop)\b(?!\s*\(?\s*@)/,
  concat: set('. +'),
};

const RUBY: Profile = {
  joins: set('File.join join Pathname Pathname.new File.expand_path expand_path'),
  identity: set('File.absolute_path absolute_path File.realpath realpath to_s String'),
  home: set('Dir.home File.expand_path(~) Etc.getpwuid.dir'),
  env: set('ENV ENV.fetch ENV.[]'),
  reads: set('File.read File.readlines File.foreach File.exist? File.exists? File.file? File.directory? File.size File.stat '
    + 'File.lstat File.readable? IO.read IO.readlines IO.foreach Dotenv.load YAML.load_file YAML.safe_load_file JSON.load_file '
    + 'Dir.glob Dir.children Dir.entries Dir.exist? load require require_relative puts p print pp read readlines exist? file? directory?'),
  opens: set('File.open open File.new IO.open Kernel.open'),
  readMethods: set('read readlines exist? file? directory? each_line children entries size stat'),
  shells: /\b(?:system|exec|spawn|popen\w*|capture\w*|Open3|IO\.popen|Kernel\.open)\b|`|%x|\bopen\s*\(?\s*['"]\|/,
  dynamic: /\b(?:chr|pack|unpack|eval|instance_eval|class_eval|send|public_send|__send__|const_get|method|Base64|decode64|reverse|tr|unpack1|Fiddle|FFI|syscall)\b/,
  argv: /\bARGV\b|\bARGF\b|\bOptionParser\b|\$\*/,
  concat: set('+'),
};

const PHP: Profile = {
  joins: set('implode join'),
  identity: set('realpath str_replace'),
  home: set(''),
  env: set('getenv $_SERVER $_ENV'),
  reads: set('file_get_contents file_exists is_file is_dir is_readable is_link filesize filemtime file parse_ini_file readfile stat lstat '
    + 'glob scandir opendir realpath echo print include include_once require require_once basename dirname pathinfo'),
  opens: set('fopen SplFileObject'),
  readMethods: set(''),
  shells: /\b(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)\s*\(|`/,
  dynamic: /\b(?:chr|base64_decode|hex2bin|pack|eval|call_user_func\w*|str_rot13|strrev|gzinflate|gzuncompress|create_function|assert|FFI|dl)\b|\$\$|\$\w+\s*\(/,
  argv: /\$argv\b|\$_SERVER\s*\[\s*['"]argv|\bgetopt\s*\(/,
  concat: set('.'),
};

export const PROFILES: Record<Lang, Profile> = { python: PY, js: JS, perl: PERL, ruby: RUBY, php: PHP };
