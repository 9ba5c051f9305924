// Names script code computes from literals or gets from the file system before writing them
// (string-ops.ts, listings.ts): each evaluated form is judged as the name it makes (blocked when
// that name is protected), an operation the guard does not evaluate leaves the code's places
// unresolved, and a listing leaves the listed folder unresolved; never the literal's own text
// judged as the name, never nothing. Every blocked form here was a silent allow, proven by a real run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { P, verdicts } from './helpers.js';

fs.writeFileSync(path.join(P, '.env'), 'K=1\n');
fs.mkdirSync(path.join(P, '.git'), { recursive: true });
fs.writeFileSync(path.join(P, '.git', 'config'), '[core]\n');
fs.writeFileSync(path.join(P, 'README.md'), '# r\n');

verdicts('string operations on a literal, evaluated', [
  [`python3 -c "open('.en' 'v', 'a').write('x')"`, 'deny'],
  [`python3 -c "import os; os.remove('%s' % '.env')"`, 'deny'],
  [`python3 -c "import os; os.remove('%s/%s' % ('.git', 'config'))"`, 'deny'],
  [`python3 -c "import os; os.remove('{}'.format('.env'))"`, 'deny'],
  [`python3 -c "import os; os.remove('{0}{1}'.format('.e', 'nv'))"`, 'deny'],
  [`python3 -c "import os; os.remove(''.join(['.', 'env']))"`, 'deny'],
  [`python3 -c "import os; os.remove('/'.join(('.git', 'config')))"`, 'deny'],
  [`python3 -c "import os; os.remove('.ENV'.lower())"`, 'deny'],
  [`python3 -c "import os; p = '.ENV'; os.remove(p.lower())"`, 'deny'],
  [`python3 -c "import os; os.remove(' .env '.strip())"`, 'deny'],
  [`python3 -c "import os; os.remove('.exv'.replace('x', 'n'))"`, 'deny'],
  [`python3 -c "import os; os.remove('xx.env'[2:])"`, 'deny'],
  [`python3 -c "import os; os.remove('vne.'[::-1])"`, 'deny'],
  [`node -e "require('fs').unlinkSync(['.', 'env'].join(''))"`, 'deny'],
  [`node -e "require('fs').unlinkSync('.ENV'.toLowerCase())"`, 'deny'],
  [`node -e "require('fs').unlinkSync('.e'.concat('nv'))"`, 'deny'],
  [`node -e "require('fs').unlinkSync('.exv'.replaceAll('x', 'n'))"`, 'deny'],
  [`ruby -e 'File.delete(".ENV".downcase)'`, 'deny'],
  // Nearest allowed: the same operations making other names, or no name at all.
  [`python3 -c "import os; os.remove('NOTES.TXT'.lower())"`, 'allow'],
  [`python3 -c "print(', '.join(['a', 'b']))"`, 'allow'],
  [`python3 -c "print('{} items'.format(3))"`, 'allow'],
  [`node -e "console.log(['a', 'b'].join(', '))"`, 'allow'],
  [`python3 -c "import sys; print('.env'.startswith('.'))"`, 'allow'],
]);

verdicts('string operations the guard does not evaluate: unresolved, not the literal', [
  [`python3 -c "import os; os.remove('.env'.title())"`, 'unresolved'],
  [`node -e "require('fs').unlinkSync('.env'.padEnd(5))"`, 'unresolved'],
]);

verdicts('names from the file system: glob matches may be written, listed folders are unresolved', [
  [`python3 -c "import glob, os; [os.remove(f) for f in glob.glob('.e*')]"`, 'deny'],
  [`python3 -c "from glob import glob; import os; [os.remove(f) for f in glob('.git/*')]"`, 'deny'],
  [`perl -e 'unlink glob ".e*"'`, 'deny'],
  [`ruby -e 'Dir.glob(".e*").each { |f| File.delete(f) }'`, 'deny'],
  [`php -r 'array_map("unlink", glob(".e*"));'`, 'deny'],
  [`python3 -c "import os; [os.remove(f) for f in os.listdir('.') if f.startswith('.en')]"`, 'unresolved'],
  [`node -e "const fs = require('fs'); fs.readdirSync('.').filter((f) => f.startsWith('.en')).forEach((f) => fs.unlinkSync(f))"`, 'unresolved'],
  [`perl -e 'opendir(D, "."); unlink grep { /^\\.env$/ } readdir(D)'`, 'unresolved'],
  [`python3 -c "from pathlib import Path; [p.unlink() for p in Path('.').glob('.e*')]"`, 'unresolved'],
  [`python3 -c "import glob; print(glob.glob('*.md'))"`, 'allow'],
]);
