// Interpreter code, blocked and allowed, through the real guard with the default presets: inline
// (-c/-e/-r/--eval), on stdin (heredoc, here-string, pipe), as a script file on disk, module CLIs,
// and the command languages of sed, awk, vim/ex, ed and sqlite3. Each group holds the nearest
// forms that must stay allowed (reads, unrelated files).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { P, HOME, verdicts } from './helpers.js';

fs.writeFileSync(path.join(P, 'writes-env.py'), "import os\nwith open(os.path.join('.', '.env'), 'w') as f:\n    f.write('x')\n");
fs.writeFileSync(path.join(P, 'reads-env.py'), "with open('.env') as f:\n    print(f.read())\n");
fs.writeFileSync(path.join(P, 'keys.js'), "const fs = require('fs'), os = require('os'), path = require('path');\nfs.appendFileSync(path.join(os.homedir(), '.ssh', 'authorized_keys'), 'k');\n");
fs.writeFileSync(path.join(P, 'edit.sed'), 's/a/b/\nw .git/config\n');
fs.writeFileSync(path.join(P, 'x'), 'a\n');
fs.writeFileSync(path.join(P, 'fix.sh'), '#!/bin/bash\nset -e\nrm -rf .git\n');
fs.writeFileSync(path.join(P, 'build.sh'), '#!/bin/sh\nmkdir -p dist && echo hi > dist/out.txt\n');
fs.writeFileSync(path.join(P, 'tool.py'), "#!/usr/bin/env python3\nopen('.env', 'w').write('x')\n", { mode: 0o755 });
fs.writeFileSync(path.join(P, 'bad.sh'), 'if then fi (((\n');
fs.mkdirSync(path.join(HOME, '.ssh'), { recursive: true });

verdicts('python: inline code', [
  [`python3 -c "open('.env','w').write('x')"`, 'deny'],
  [`python3 -c "open('.env', mode='a')"`, 'deny'],
  [`python -c "import os; os.remove('.git/HEAD')"`, 'deny'],
  [`python3 -c "from pathlib import Path; Path('.env').write_text('x')"`, 'deny'],
  [`python3 -c "import shutil; shutil.copy('x', '.env')"`, 'deny'],
  [`python3 -c "import os; os.rename('x', '.git/config')"`, 'deny'],
  [`python3 -c "open('.e' + 'nv', 'w')"`, 'deny'],
  [`python3 -c "import os; open(os.path.join(os.environ['HOME'], '.ssh', 'authorized_keys'), 'a').write('k')"`, 'deny'],
  [`python3 -c "import os; p = os.path.expanduser('~/.ssh/config'); open(p, 'w')"`, 'deny'],
  [`python3 -c "import os; open(f\\"{os.environ['HOME']}/.ssh/config\\", 'w')"`, 'deny'],
  [`python3 -c "from pathlib import Path; (Path.home() / '.ssh' / 'authorized_keys').write_text('k')"`, 'deny'],
  [`python3 -uc "open('.env','w')"`, 'deny'],
  [`python3 -c "import subprocess; subprocess.run(['rm', '-rf', '.git'])"`, 'deny'],
  [`python3 -c "import os; os.system('rm -rf .git')"`, 'deny'],
  // Nearest allowed forms: reads, and writes elsewhere.
  [`python3 -c "print(open('.env').read())"`, 'allow'],
  [`python3 -c "print(open('.env', 'rb').read())"`, 'allow'],
  [`python3 -c "from pathlib import Path; print(Path('.env').read_text())"`, 'allow'],
  [`python3 -c "p = '.env'; print(open(p).read())"`, 'allow'],
  [`python3 -c "p = '.env'; open(p, 'w')"`, 'deny'],
  [`python3 -c "import os; os.system('cat .env')"`, 'allow'],
  [`python3 -c "open('out.txt','w').write('x')"`, 'allow'],
  [`python3 -c "print(1 + 2)"`, 'allow'],
]);

verdicts('python: stdin and script files', [
  ["python3 - <<'EOF'\nopen('.env', 'w').write('x')\nEOF", 'deny'],
  ["python3 <<'EOF'\nfrom pathlib import Path\n(Path.home() / '.ssh' / 'config').write_text('x')\nEOF", 'deny'],
  [`echo "import os; os.remove('.git/config')" | python3 -`, 'deny'],
  [`python3 <<< "open('.env','w')"`, 'deny'],
  ['python3 writes-env.py', 'deny'],
  ['cd .. && python3 project/writes-env.py', 'deny'],
  ['python3 reads-env.py', 'allow'],
  ["python3 - <<'EOF'\nprint(open('.env').read())\nEOF", 'allow'],
  // A script that does not exist runs nothing; one written by the same call is read as the text it
  // wrote when that is known (shell/written.ts), else unknown code.
  ['python3 missing.py', 'allow'],
  ["cat > t.py <<'EOF'\nprint(1)\nEOF\npython3 t.py", 'allow'],
  ["cat > t2.py <<'EOF'\nimport shutil; shutil.rmtree('.git')\nEOF\npython3 t2.py", 'deny'],
  ['some-generator > t3.py; python3 t3.py', 'unresolved'],
]);

verdicts('scripts on disk run by a shell or by their path', [
  ['bash fix.sh', 'deny'],
  ['sh -e ./fix.sh', 'deny'],
  ['./fix.sh', 'deny'],
  ['./tool.py', 'deny'],
  [`${P}/tool.py --force`, 'deny'],
  ['bash build.sh', 'allow'],
  ['./build.sh', 'allow'],
  ['bash missing.sh', 'allow'],
  ['bash bad.sh', 'unresolved'],
  ["printf 'rm -rf .git\\n' > gen.sh && bash gen.sh", 'deny'],
  ["printf 'rm -rf .git\\n' > gen.sh && cp fix.sh gen.sh && bash gen.sh", 'unresolved'],
]);

verdicts('python: names built out of sight', [
  [`python3 -c "import os; getattr(os, 'remove')(os.environ['HOME'] + chr(47) + 'x')"`, 'unresolved'],
  [`python3 -c "exec(bytes.fromhex('6f70656e').decode())"`, 'unresolved'],
  [`python3 -c "import os; open(os.environ['HOME'] + '/' + name, 'w')"`, 'unresolved'],
]);

verdicts('python -m module CLIs', [
  ['python3 -m zipfile -e keys.zip ~/.ssh', 'deny'],
  ['python3 -m tarfile -e backup.tar .git', 'deny'],
  ['python3 -m json.tool in.json .env', 'deny'],
  ['python3 -m venv .git', 'deny'],
  ['python3 -m somemodule .env', 'deny'],
  ['python3 -m http.server 8000', 'allow'],
  ['python3 -m json.tool .env', 'allow'],
  ['python3 -m pytest -q', 'allow'],
]);

verdicts('node, deno, bun', [
  [`node -e "require('fs').writeFileSync('.env','x')"`, 'deny'],
  [`node --eval "require('fs').rmSync('.git', { recursive: true })"`, 'deny'],
  [`node -p "require('fs').unlinkSync('.env')"`, 'deny'],
  [`node -e "const fs = require('fs'), os = require('os'); fs.appendFileSync(\\\`\\\${os.homedir()}/.ssh/authorized_keys\\\`, 'k')"`, 'deny'],
  [`node -e "require('child_process').execSync('rm -rf .git')"`, 'deny'],
  ['node keys.js', 'deny'],
  ["node - <<'EOF'\nrequire('fs').writeFileSync('.env', 'x')\nEOF", 'deny'],
  [`deno eval "Deno.writeTextFileSync('.env', 'x')"`, 'deny'],
  [`bun -e "await Bun.write('.env', 'x')"`, 'deny'],
  [`node -e "console.log(require('fs').readFileSync('.env', 'utf8'))"`, 'allow'],
  [`node -e "require('fs').writeFileSync('dist/out.txt', 'x')"`, 'allow'],
  ['node --version', 'allow'],
  [`node -e "eval(Buffer.from('cm0=', 'base64').toString())"`, 'unresolved'],
]);

verdicts('perl and ruby run a shell without parentheses too (system "…", exec q(…))', [
  [`perl -e 'system "rm .env"'`, 'deny'],
  [`perl -e 'exec q(rm -rf .git)'`, 'deny'],
  [`ruby -e 'system "rm .env"'`, 'deny'],
  [`ruby -e 'system "rm", ".env"'`, 'deny'],
  [`perl -e 'system "echo hi"; print ".env"'`, 'allow'],
  [`perl -e 'print "rm .env"'`, 'allow'],
]);

verdicts('perl, ruby, php', [
  [`perl -e 'unlink ".env"'`, 'deny'],
  [`perl -e 'open(my $f, ">", ".env"); print $f "x"'`, 'deny'],
  [`perl -e 'open(F, ">.env")'`, 'deny'],
  [`perl -e 'open(F, ">>$ENV{HOME}/.ssh/authorized_keys")'`, 'deny'],
  [`perl -e 'system("rm -rf .git")'`, 'deny'],
  [`perl -pi -e 's/a/b/' .env`, 'deny'],
  [`perl -e 'open(F, "<", ".env"); print <F>'`, 'allow'],
  [`perl -ne 'print' .env`, 'allow'],
  [`perl -e 'print "hello\\n"'`, 'allow'],
  [`ruby -e 'File.write(".env", "x")'`, 'deny'],
  [`ruby -e 'File.write("#{Dir.home}/.ssh/authorized_keys", "k")'`, 'deny'],
  [`ruby -e 'system("rm -rf .git")'`, 'deny'],
  ["ruby -e '`rm .env`'", 'deny'],
  [`ruby -e 'puts File.read(".env")'`, 'allow'],
  [`php -r 'file_put_contents(".env", "x");'`, 'deny'],
  [`php -r 'unlink(getenv("HOME") . "/.ssh/id_rsa");'`, 'deny'],
  [`php -r 'echo file_get_contents(".env");'`, 'allow'],
]);

verdicts('awk', [
  [`awk '{print > ".env"}' x`, 'deny'],
  [`awk -v f=.env '{print $0 >> f}' x`, 'deny'],
  [`mawk 'BEGIN { printf "x" > ".git/config" }'`, 'deny'],
  [`awk 'BEGIN{system("rm .env")}'`, 'deny'],
  [`gawk -i inplace '{print}' .env`, 'deny'],
  // gawk takes unique prefixes of its long options (getopt_long), and bundled or attached values.
  [`gawk --sou='BEGIN { print 1 > ".env" }'`, 'deny'],
  [`gawk --ass f=.env '{print > f}' x`, 'deny'],
  [`awk -vf=.env '{print > f}' x`, 'deny'],
  [`gawk --prof=.env 'BEGIN {}'`, 'deny'],
  [`gawk -o.git/config 'BEGIN {}'`, 'deny'],
  [`gawk -Wlint '{print}' x`, 'allow'],
  [`awk '{print}' .env`, 'allow'],
  [`awk 'BEGIN { while ((getline l < ".env") > 0) print l }'`, 'allow'],
  [`awk '$1 > 5 {print $2}' x`, 'allow'],
  // The name is the input's own text (data an earlier call may have written): any path, blocked (unknownTargets).
  [`awk '{print $1 > $2}' x`, 'deny'],
]);

verdicts('sed scripts', [
  [`sed -n 'w .env' x`, 'deny'],
  [`sed 's/a/b/w .git/config' x`, 'deny'],
  [`sed -e 'p' -e 'W .env' x`, 'deny'],
  [`sed '1e rm -rf .git' x`, 'deny'],
  ['sed -f edit.sed x', 'deny'],
  [`sed -e '1r .env' x`, 'allow'],
  [`sed 's/x/y/' .env`, 'allow'],
  [`sed --sandbox 'w .env' x`, 'allow'],
  [`sed 's/w .env/y/' x`, 'allow'],
]);

verdicts('vim, ex, ed', [
  [`vim -es -c 'w .env' -c 'q' x`, 'deny'],
  [`vim -es -c '%d' -c 'wq' .env`, 'deny'],
  [`vim -es +'saveas .git/config' +q x`, 'deny'],
  [`vim -es -c 'call writefile(["k"], ".env")' -c q`, 'deny'],
  [`vim -es -c '!rm .env' -c q`, 'deny'],
  ["ex -s x <<'EOF'\nw .git/config\nq\nEOF", 'deny'],
  ["ed -s x <<'EOF'\nw .env\nq\nEOF", 'deny'],
  ["ed -s .env <<'EOF'\n1d\nw\nq\nEOF", 'deny'],
  [`vim -es -c 'r .env' -c 'w out.txt' -c q x`, 'allow'],
  ["ed -s .env <<'EOF'\n,p\nq\nEOF", 'allow'],
  ["ed -s x <<'EOF'\na\nw .env\n.\nw\nq\nEOF", 'allow'],
]);

verdicts('sqlite3', [
  [`sqlite3 db.sqlite '.output .env' 'select 1;'`, 'deny'],
  [`sqlite3 db.sqlite '.once .git/x' 'select 1;'`, 'deny'],
  [`sqlite3 db.sqlite '.save .env'`, 'deny'],
  [`sqlite3 db.sqlite '.backup main .env'`, 'deny'],
  [`sqlite3 db.sqlite "ATTACH '.env' AS x"`, 'deny'],
  [`sqlite3 db.sqlite "VACUUM INTO '.git/db'"`, 'deny'],
  [`sqlite3 db.sqlite "select writefile('.env', 'x')"`, 'deny'],
  [`sqlite3 db.sqlite '.shell rm .env'`, 'deny'],
  ["sqlite3 db.sqlite <<'EOF'\n.output .env\nselect 1;\nEOF", 'deny'],
  [`sqlite3 .env 'select 1'`, 'deny'],
  [`sqlite3 db.sqlite 'select * from t'`, 'allow'],
  [`sqlite3 -readonly .env 'select 1'`, 'allow'],
  [`sqlite3 db.sqlite "select readfile('.env')"`, 'allow'],
]);
