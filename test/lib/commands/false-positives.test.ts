// The presets are on by default: ordinary developer commands must never be blocked by a command
// rule. Each command is judged through the real core in a git project (path rules included).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { commandSandbox } from '../../helpers/commands.js';

const ORDINARY = [
  'ls -la', 'pwd', 'cat README.md', 'head -n 20 src/app.ts', 'tail -f log.txt', 'wc -l src/*.ts', 'grep -rn "TODO" src', 'rg "rm -rf" .',
  'find . -name "*.ts" -not -path "./node_modules/*"', 'find src -type f -newer package.json', 'tree -L 2', 'du -sh node_modules', 'df -h',
  'echo $PATH', 'which node', 'env | sort', 'printenv HOME', 'date -u', 'uname -a', 'whoami',
  'git status', 'git diff', 'git diff --staged', 'git log --oneline -20', 'git show HEAD~1', 'git add -A', 'git add src/app.ts',
  'git commit -m "fix: handle rm -rf edge case"', 'git commit --amend --no-edit', 'git push', 'git push -u origin feature/x',
  'git push origin HEAD', 'git push --force-with-lease origin feature/x', 'git pull --rebase', 'git fetch --all --prune', 'git rebase -i HEAD~3',
  'git rebase --continue', 'git merge --no-ff feature', 'git cherry-pick abc123', 'git switch -c feature/y', 'git switch main',
  'git checkout -b hotfix', 'git checkout main', 'git checkout -', 'git branch -d merged-branch', 'git branch -m old new', 'git tag v1.2.3',
  'git stash', 'git stash pop', 'git stash list', 'git stash show -p', 'git restore --staged src/app.ts', 'git reset HEAD~1', 'git reset --soft HEAD~2',
  'git clean -n', 'git clean -nd', 'git blame src/app.ts', 'git remote -v', 'git -C ../other status', 'git worktree add ../wt main', 'git gc',
  'git bisect start', 'gh pr create --fill', 'gh pr view 12',
  'npm install', 'npm ci', 'npm test', 'npm run build', 'npm run lint -- --fix', 'npx tsc --noEmit', 'npx prettier --write src', 'yarn add -D vitest',
  'pnpm install', 'node scripts/build.js', 'node -e "console.log(1)"', 'python3 -m venv .venv', 'python3 -m pytest -q', 'pip install -r requirements.txt',
  'python3 manage.py migrate', 'cargo build --release', 'cargo test', 'go test ./...', 'go build ./cmd/app', 'make -j4', 'make clean',
  'rm -rf node_modules', 'rm -rf dist build coverage', 'rm -rf .next', 'rm -f src/old.ts', 'rm -r src/legacy', 'rm -rf /tmp/test-output',
  'mkdir -p src/components', 'cp -r templates/ src/', 'mv src/a.ts src/b.ts', 'touch .gitkeep', 'chmod +x scripts/run.sh', 'chmod -R u+w dist',
  'ln -s ../shared shared', 'tar czf out.tgz dist', 'unzip -o archive.zip -d vendor', 'sed -i "s/foo/bar/g" src/app.ts', 'sort -u list.txt',
  'jq ".version" package.json', 'curl -s https://api.github.com/repos/x/y | jq .stargazers_count', 'curl -fsSLo tool.tgz https://example.com/tool.tgz',
  'wget -q https://example.com/data.csv', 'docker build -t app .', 'docker compose up -d', 'docker compose down', 'docker ps -a', 'docker logs -f web',
  'docker exec -it web sh', 'docker run --rm -v "$PWD":/app -w /app node:20 npm test', 'docker rm old-container', 'docker image prune -f',
  'kubectl get pods -n prod', 'kubectl logs deploy/web -f', 'kubectl apply -f k8s/', 'kubectl rollout restart deploy/web', 'kubectl delete pod web-1',
  'kubectl describe node worker-1', 'helm upgrade --install app ./chart', 'helm list -A', 'terraform init', 'terraform plan -out plan.tfplan',
  'terraform apply plan.tfplan', 'terraform fmt -recursive', 'aws s3 cp build/ s3://bucket/ --recursive', 'aws s3 sync dist s3://bucket --delete',
  'aws sts get-caller-identity', 'gcloud config list', 'az account show', 'psql -c "SELECT count(*) FROM users"', 'psql -f migrations/001.sql',
  'mysql -e "SHOW DATABASES"', 'sqlite3 db.sqlite ".schema"', 'redis-cli PING', 'mongosh --eval "db.stats()"', 'createdb test_db',
  'echo "DROP TABLE users;" >> notes.md', 'printf "%s\\n" "git push --force"', 'grep -r "DROP TABLE" migrations/', 'man git-push',
  'git push --help', 'terraform destroy --help', 'rsync -avz src/ server:/srv/app/', 'rsync -a --delete dist/ public/', 'ssh host uptime',
  'scp file.txt host:/tmp/', 'code .', 'open index.html', 'time npm test', 'timeout 60 npm test', 'xargs -n1 echo < list.txt',
  'for f in src/*.ts; do echo "$f"; done', 'cd src && ls', 'export NODE_ENV=production', 'source .venv/bin/activate', 'bash scripts/setup.sh',
  'sh -c "npm test && npm run lint"', 'watch -n 5 kubectl get pods',
  'watch -n 2 "git status --short"', 'parallel gzip ::: *.log', 'parallel -j4 "convert {} {.}.png" ::: *.jpg', 'parallel --dry-run rm -rf ::: /srv/old',
  'ssh host uptime', 'ssh host "ls -la /srv"', 'ssh -N -L 5432:localhost:5432 db', 'ssh deploy@host "cd app && git pull && npm ci"', 'ssh host "rm -rf /tmp/build"',
  'tmux new -s dev', 'tmux new -d "npm run dev"', 'screen -dmS build make', 'strace -c ls', 'script -q /dev/null', 'taskset -c 0 npm test',
  '$EDITOR src/app.ts', '$PYTHON -m pytest -q', '$CC -o app main.c', '$(which git) status', '"$(npm bin)/eslint" .', 'mytool --message "rm -rf /"',
];

// The tools around the everyday ones: task runners, package runners, cloud and cluster CLIs,
// programs the analysis does not know (whose words are scanned for commands rules name).
const AROUND = [
  'pre-commit run --all-files', 'lefthook run pre-commit', 'gh pr checkout 12', 'gh repo clone x/y', 'git lfs pull', 'bats test', 'shellcheck scripts/*.sh',
  'act -j build', 'direnv allow', 'mise run test', 'just build', 'task build', 'nx run app:build', 'turbo run build', 'bazel test //...', './gradlew build',
  'mvn clean install', 'dotnet restore', 'dotnet clean', 'dotnet ef database update', 'swift build', 'flutter clean', 'poetry run pytest', 'uv run pytest',
  'pipenv run python x.py', 'bundle exec rake', 'rails db:migrate', 'rails server', 'rake test', 'php artisan migrate', 'npx prisma migrate dev',
  'npx prisma generate', 'prisma db push', 'python manage.py migrate', 'python manage.py runserver', 'mix ecto.migrate', 'alembic upgrade head',
  'alembic downgrade -1', 'npm install dropdb', 'npm run db:reset', 'pnpm add -D prisma', 'yarn test', 'deno task dev', 'hyperfine "git status"',
  'entr -r npm test', 'nodemon --exec "npm test"', 'concurrently "npm:dev" "npm:api"', 'cross-env NODE_ENV=test jest', 'dotenv -- npm test',
  'op run -- npm start', 'aws-vault exec prod -- aws s3 ls', 'doppler run -- npm start', 'git absorb', 'hub pr list', 'glab mr list',
  'rg -l "git push --force"', 'ag "rm -rf"', 'fd -e ts', 'bat README.md', 'xh get example.com', 'kubectx prod', 'kubens default', 'stern web',
  'skaffold dev', 'tilt up', 'minikube start', 'kind create cluster', 'helmfile diff', 'sops -d secrets.yaml', 'vault kv get x',
  'ansible-playbook site.yml --check', 'packer build x.pkr.hcl', 'vagrant up', 'colima start', 'mycli -e "select 1"', 'usql pg://x -c "select 1"',
  'litecli db.sqlite', 'redis-cli --scan', 'k6 run x.js', 'npx playwright test', 'npx vitest', 'tsx x.ts', 'bun run dev', 'make deploy-staging',
  './scripts/release.sh --dry-run', 'docker buildx build .', 'docker compose exec web bash', 'docker compose run --rm web rails db:migrate',
  'kubectl port-forward svc/x 8080', 'az login', 'terraform state list', 'terraform output', 'pulumi up', 'pulumi preview', 'cdk synth', 'cdk diff',
  'serverless deploy', 'vercel --prod', 'netlify deploy', 'fly deploy', 'heroku logs --tail',
];

describe('ordinary developer commands are never blocked by command rules', () => {
  const sb = commandSandbox();
  it(`holds at least 100 commands (${ORDINARY.length})`, () => assert.ok(ORDINARY.length >= 100));
  it(`and the tools around them (${AROUND.length})`, () => assert.ok(AROUND.length >= 100));
  for (const cmd of [...ORDINARY, ...AROUND]) {
    it(cmd, () => {
      const v = sb.judge(cmd);
      assert.equal(v.command, undefined, `${cmd}: ${v.reason}`);
      assert.equal(sb.commandRule(cmd), undefined, cmd);
    });
  }
});

// The shared corpus of ordinary commands (test/fixtures/ordinary-commands.txt, issue 14): command
// rules block only what the issue names as destructive (`git restore <paths>` discards changes).
describe('the ordinary-commands corpus under the presets', () => {
  const sb = commandSandbox();
  const corpus = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', 'ordinary-commands.txt'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  it(`only the issue's own destructive forms are blocked among ${corpus.length} commands`, () => {
    assert.ok(corpus.length >= 300);
    const blocked = corpus.filter((c) => sb.commandRule(c) !== undefined);
    assert.deepEqual(blocked, ['git restore src/a.ts']);
  });
});
