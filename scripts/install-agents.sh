#!/usr/bin/env bash
# Installs the pinned agent binaries for the real-agent tests into a cache folder outside the
# package's dependencies (Codex alone is ~400 MB: users of hookwarden must never download it).
set -euo pipefail
cache="${HOOKWARDEN_AGENT_CACHE:-$(cd "$(dirname "$0")/.." && pwd)/.cache/agents}"
codex_version=0.169.0
claude_version=2.1.331
mkdir -p "$cache"
if [ ! -x "$cache/node_modules/.bin/codex" ] || ! grep -q "\"version\": \"$codex_version\"" "$cache/node_modules/@openai/codex/package.json" 2>/dev/null \
  || [ ! -x "$cache/node_modules/.bin/claude" ] || ! grep -q "\"version\": \"$claude_version\"" "$cache/node_modules/@anthropic-ai/claude-code/package.json" 2>/dev/null; then
  [ -f "$cache/package.json" ] || echo '{"name":"hookwarden-agent-cache","private":true}' > "$cache/package.json"
  npm install --prefix "$cache" --no-audit --no-fund --no-save \
    "@openai/codex@$codex_version" "@anthropic-ai/claude-code@$claude_version" >&2
fi
echo "$cache/node_modules/.bin"
