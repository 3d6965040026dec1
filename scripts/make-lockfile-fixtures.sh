#!/usr/bin/env bash
# Maintainer script: regenerate fixtures/lockfiles/* with the REAL package managers.
#
# Needs network access to the npm registry configured in `npm config get registry`
# (it is never named here).  NOT part of the test suite.
#
#   scripts/make-lockfile-fixtures.sh            # all cases
#   scripts/make-lockfile-fixtures.sh npm-v2 bun # only some cases
#
# Every install uses --ignore-scripts (or the manager's equivalent) and runs in a
# scratch directory under $WORK (default: a fresh mktemp dir); only the
# lockfile + package.json files are copied into fixtures/lockfiles/<case>/.
#
# Placeholders written into the saved fixtures:
#   @REGISTRY@       registry base URL, WITH trailing slash (any registry host,
#                    including yarn classic's alias host, is rewritten to it)
#   @REGISTRY_HTTP@  same registry but reached over plain http:// (hand edit,
#                    npm-git-file only)
#   git+ssh://git@git.example.test/team/tiny-git-pkg.git   stands for a local
#                    bare repo (git+file:///...) used at generation time
#   https://tarballs.example.test/remote-pkg-1.0.0.tgz     stands for a
#                    tarball served from 127.0.0.1 at generation time
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/fixtures/lockfiles
WORK=${WORK:-$(mktemp -d /tmp/lockfile-fixtures.XXXXXX)}
mkdir -p "$WORK" "$OUT"
REG=$(npm config get registry 2>/dev/null)
REG=${REG%/}/
export REG
EXPECTED="python3 $ROOT/scripts/lockfile-fixtures-expected.py"

NPM_FLAGS=(--ignore-scripts --no-audit --no-fund --omit-lockfile-registry-resolved=false)
PNPM10=(npx -y pnpm@10)
PNPM8=(npx -y pnpm@8)
PNPM7=(npx -y pnpm@7)
YARN1=(npx -y yarn@1)
YARN4=(npx -y -p @yarnpkg/cli-dist@4 yarn)
BUN=(npx -y bun@1)
BUN11=(npx -y bun@1.1)

GIT_URL_FAKE='git+ssh://git@git.example.test/team/tiny-git-pkg.git'
TARBALL_URL_FAKE='https://tarballs.example.test/remote-pkg-1.0.0.tgz'

log() { printf '\n=== %s\n' "$*" >&2; }

# scrub FILE...: registry URLs -> @REGISTRY@ (fixed string from npm config, then
# any other https?://registry-dot-host/ base, e.g. the alias host yarn classic writes).
scrub() {
  perl -pi -e 's/\Q$ENV{REG}\E/\@REGISTRY\@/g; s#https?://registry\.[A-Za-z0-9.-]+(:[0-9]+)?/#\@REGISTRY\@#g' "$@"
}

# replace FROM TO FILE...: fixed-string replacement
replace() {
  local from=$1 to=$2; shift 2
  FROM=$from TO=$to perl -pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$@"
}

# fresh CASE: new scratch dir for CASE, cd into it
fresh() {
  rm -rf "${WORK:?}/$1"; mkdir -p "$WORK/$1"; cd "$WORK/$1"
}

# save CASE FILE...: copy files (relative to cwd) into fixtures/lockfiles/CASE
save() {
  local case=$1; shift
  rm -rf "${OUT:?}/$case"; mkdir -p "$OUT/$case"
  local f
  for f in "$@"; do
    mkdir -p "$OUT/$case/$(dirname "$f")"
    cp "$f" "$OUT/$case/$f"
  done
  find "$OUT/$case" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.lock' -o -name '*.yml' \) -print0 | xargs -0 -r bash -c 'scrub "$@"' _
}
export -f scrub

pkgjson() { # pkgjson DIR JSON
  mkdir -p "$1"; printf '%s\n' "$2" | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read()), indent=2))' > "$1/package.json"
}

# ---------------------------------------------------------------- npm
case_npm_v3_basic() {
  log npm-v3-basic; fresh npm-v3-basic
  pkgjson . '{"name":"fx-npm-v3-basic","version":"1.0.0","private":true,
    "dependencies":{"openai":"4.104.0","express":"^4.21.0","portkey-ai":"latest","@helicone/helpers":"~1.0.6","ai":"^5.0.0"},
    "devDependencies":{"ms":"^2.1.3","is-number":"^7.0.0"},
    "optionalDependencies":{"semver":"^7.6.0"}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  save npm-v3-basic package.json package-lock.json
  $EXPECTED "$OUT/npm-v3-basic"
}

case_npm_v2() {
  log npm-v2; fresh npm-v2
  pkgjson . '{"name":"fx-npm-v2","version":"1.0.0","private":true,
    "dependencies":{"langfuse":"^3.0.0","debug":"^2.6.9","ms":"^2.1.3"},
    "devDependencies":{"is-number":"^7.0.0"},
    "optionalDependencies":{"semver":"^7.6.0"}}'
  npm install --package-lock-only --lockfile-version 2 "${NPM_FLAGS[@]}"
  save npm-v2 package.json package-lock.json
  $EXPECTED "$OUT/npm-v2"
}

case_npm_v1() {
  log npm-v1; fresh npm-v1
  pkgjson . '{"name":"fx-npm-v1","version":"1.0.0","private":true,
    "dependencies":{"@anthropic-ai/sdk":"^1.0.0","debug":"^2.6.9","ms":"^2.1.3"},
    "devDependencies":{"is-number":"^7.0.0"},
    "optionalDependencies":{"semver":"^7.6.0"}}'
  npx -y npm@6 install --package-lock-only --ignore-scripts --no-audit
  save npm-v1 package.json package-lock.json
  $EXPECTED "$OUT/npm-v1"
}

case_npm_shrinkwrap() {
  log npm-shrinkwrap; fresh npm-shrinkwrap
  # 1) lock ms@2.1.2 exactly, relax the range (lock keeps 2.1.2), shrinkwrap it
  mkdir sw && cd sw
  pkgjson . '{"name":"fx-npm-shrinkwrap","version":"1.0.0","private":true,
    "dependencies":{"ms":"2.1.2","is-number":"^7.0.0"}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  pkgjson . '{"name":"fx-npm-shrinkwrap","version":"1.0.0","private":true,
    "dependencies":{"ms":"^2.1.0","is-number":"^7.0.0"}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  npm shrinkwrap "${NPM_FLAGS[@]}"
  # 2) a fresh package-lock.json for the same package.json resolves ms@2.1.3
  mkdir ../pl && cp package.json ../pl/ && cd ../pl
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  cd ..
  cp sw/package.json sw/npm-shrinkwrap.json pl/package-lock.json .
  save npm-shrinkwrap package.json npm-shrinkwrap.json package-lock.json
  $EXPECTED "$OUT/npm-shrinkwrap"
}

case_npm_workspaces() {
  log npm-workspaces; fresh npm-workspaces
  pkgjson . '{"name":"fx-npm-workspaces","version":"1.0.0","private":true,
    "workspaces":["packages/*"],"devDependencies":{"is-number":"^7.0.0"}}'
  pkgjson packages/app '{"name":"@fx/app","version":"1.0.0",
    "dependencies":{"openai":"4.104.0","@fx/shared":"^1.0.0"}}'
  pkgjson packages/shared '{"name":"@fx/shared","version":"1.0.0","dependencies":{"ms":"^2.1.3"}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  save npm-workspaces package.json packages/app/package.json packages/shared/package.json package-lock.json
  $EXPECTED "$OUT/npm-workspaces"
}

case_npm_aliases() {
  log npm-aliases; fresh npm-aliases
  pkgjson . '{"name":"fx-npm-aliases","version":"1.0.0","private":true,
    "dependencies":{"oai":"npm:openai@4.104.0","ms-old":"npm:ms@2.0.0","ms":"^2.1.3"}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  save npm-aliases package.json package-lock.json
  $EXPECTED "$OUT/npm-aliases"
}

case_npm_git_file() {
  log npm-git-file; fresh npm-git-file
  local base=$WORK/npm-git-file
  # local bare git repo with a tiny package, deterministic commit sha
  mkdir -p gitsrc && (
    cd gitsrc
    pkgjson . '{"name":"tiny-git-pkg","version":"1.0.0","main":"index.js","dependencies":{"ms":"^2.1.0"}}'
    echo 'module.exports = 1;' > index.js
    export GIT_AUTHOR_NAME=fixtures GIT_AUTHOR_EMAIL=fixtures@example.test GIT_COMMITTER_NAME=fixtures \
      GIT_COMMITTER_EMAIL=fixtures@example.test GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'
    git init -q -b main . && git add -A && git commit -q -m 'tiny-git-pkg 1.0.0' && git tag v1.0.0
    git clone -q --bare . "$base/gitpkgs/tiny-git-pkg.git"
  )
  local sha; sha=$(git -C "$base/gitpkgs/tiny-git-pkg.git" rev-parse v1.0.0)
  local giturl="git+file://$base/gitpkgs/tiny-git-pkg.git"
  # tarball outside the project
  mkdir -p src-outside npm-git-file-outside && (
    cd src-outside && pkgjson . '{"name":"outside-pkg","version":"1.0.0","main":"index.js"}' \
      && echo 'module.exports = 2;' > index.js && npm pack --silent --pack-destination ../npm-git-file-outside >/dev/null)
  # remote tarball, served from loopback
  mkdir -p src-remote served && (
    cd src-remote && pkgjson . '{"name":"remote-pkg","version":"1.0.0","main":"index.js"}' \
      && echo 'module.exports = 3;' > index.js && npm pack --silent --pack-destination ../served >/dev/null)
  local port=$((20000 + RANDOM % 20000))
  python3 -m http.server --bind 127.0.0.1 --directory served "$port" >/dev/null 2>&1 &
  local srv=$!
  sleep 1
  local tarurl="http://127.0.0.1:$port/remote-pkg-1.0.0.tgz"
  mkdir -p proj/vendor/local-pkg && cd proj
  pkgjson vendor/local-pkg '{"name":"local-pkg","version":"1.0.0","main":"index.js","dependencies":{"is-number":"^7.0.0"}}'
  echo 'module.exports = 4;' > vendor/local-pkg/index.js
  pkgjson . '{"name":"fx-npm-git-file","version":"1.0.0","private":true,
    "dependencies":{"tiny-git-pkg":"'"$giturl"'#v1.0.0","local-pkg":"file:./vendor/local-pkg",
      "outside-pkg":"file:../npm-git-file-outside/outside-pkg-1.0.0.tgz","remote-pkg":"'"$tarurl"'","semver":"^7.6.0"}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}" || { kill "$srv"; return 1; }
  kill "$srv"
  replace "$giturl" "$GIT_URL_FAKE" package.json package-lock.json
  replace "$tarurl" "$TARBALL_URL_FAKE" package.json package-lock.json
  # hand edit: the registry package semver is recorded as fetched over plain http
  scrub package-lock.json
  perl -pi -e 's#"\@REGISTRY\@semver/#"\@REGISTRY_HTTP\@semver/#' package-lock.json
  grep -q "$sha" package-lock.json
  save npm-git-file package.json package-lock.json vendor/local-pkg/package.json vendor/local-pkg/index.js
  rm -rf "$OUT/npm-git-file-outside"; mkdir -p "$OUT/npm-git-file-outside"
  cp ../npm-git-file-outside/outside-pkg-1.0.0.tgz "$OUT/npm-git-file-outside/"
  $EXPECTED "$OUT/npm-git-file"
}

case_npm_no_integrity() {
  log npm-no-integrity; fresh npm-no-integrity
  pkgjson . '{"name":"fx-npm-no-integrity","version":"1.0.0","private":true,
    "dependencies":{"ms":"^2.1.3","is-number":"^7.0.0","semver":"^7.6.0"}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  # hand edits: drop integrity of ms, replace integrity of is-number by a sha1 value
  python3 - <<'PY'
import json
p = json.load(open('package-lock.json'))
del p['packages']['node_modules/ms']['integrity']
p['packages']['node_modules/is-number']['integrity'] = 'sha1-dTU0W4lnNNX4DE0GxQlVUnoU8Ss='
open('package-lock.json', 'w').write(json.dumps(p, indent=2) + '\n')
PY
  save npm-no-integrity package.json package-lock.json
  $EXPECTED "$OUT/npm-no-integrity"
}

case_npm_out_of_sync() {
  log npm-out-of-sync; fresh npm-out-of-sync
  pkgjson . '{"name":"fx-npm-out-of-sync","version":"1.0.0","private":true,
    "dependencies":{"ms":"^2.1.3","semver":"^7.6.0"}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  # hand edits AFTER locking: add is-number (not locked), semver range no longer satisfied
  pkgjson . '{"name":"fx-npm-out-of-sync","version":"1.0.0","private":true,
    "dependencies":{"ms":"^2.1.3","semver":"^6.3.0","is-number":"^7.0.0"}}'
  save npm-out-of-sync package.json package-lock.json
  $EXPECTED "$OUT/npm-out-of-sync"
}

case_npm_overrides() {
  # overrides, global and nested: arborist applies them while it builds the tree
  log npm-overrides; fresh npm-overrides
  pkgjson . '{"name":"fx-npm-overrides","version":"1.0.0","private":true,
    "dependencies":{"chalk":"^4.1.2","debug":"^4.3.4"},
    "overrides":{"ms":"2.1.2","chalk":{"supports-color":"7.1.0"}}}'
  npm install --package-lock-only "${NPM_FLAGS[@]}"
  save npm-overrides package.json package-lock.json
  $EXPECTED "$OUT/npm-overrides"
}

# ---------------------------------------------------------------- pnpm
case_pnpm_v9() {
  log pnpm-v9; fresh pnpm-v9
  pkgjson . '{"name":"fx-pnpm-v9","version":"1.0.0","private":true,
    "dependencies":{"openai":"^5.10.2","@helicone/helpers":"^1.8.3"},
    "devDependencies":{"is-number":"^7.0.0"},
    "optionalDependencies":{"semver":"^7.6.0"}}'
  printf 'packages:\n  - "packages/*"\n' > pnpm-workspace.yaml
  pkgjson packages/app '{"name":"@fx/app","version":"1.0.0",
    "dependencies":{"@fx/lib":"workspace:*","ms-old":"npm:ms@2.0.0","langfuse":"^3.0.0"}}'
  pkgjson packages/lib '{"name":"@fx/lib","version":"1.0.0","dependencies":{"ms":"^2.1.3"}}'
  "${PNPM10[@]}" install --lockfile-only --ignore-scripts
  save pnpm-v9 package.json pnpm-workspace.yaml packages/app/package.json packages/lib/package.json pnpm-lock.yaml
  $EXPECTED "$OUT/pnpm-v9"
}

pnpm_single() { # CASE PNPM...
  local case=$1; shift
  log "$case"; fresh "$case"
  pkgjson . '{"name":"fx-'"$case"'","version":"1.0.0","private":true,
    "dependencies":{"openai":"^5.10.2","@helicone/helpers":"^1.8.3","ms":"^2.1.3","ms-old":"npm:ms@2.0.0"},
    "devDependencies":{"is-number":"^7.0.0"},
    "optionalDependencies":{"semver":"^7.6.0"}}'
  "$@" install --lockfile-only --ignore-scripts
  save "$case" package.json pnpm-lock.yaml
  $EXPECTED "$OUT/$case"
}
case_pnpm_v6() { pnpm_single pnpm-v6 "${PNPM8[@]}"; }
case_pnpm_v5() { pnpm_single pnpm-v5 "${PNPM7[@]}"; }

# ---------------------------------------------------------------- yarn
case_yarn_v1() {
  log yarn-v1; fresh yarn-v1
  pkgjson . '{"name":"fx-yarn-v1","version":"1.0.0","private":true,
    "dependencies":{"ms":"^2.1.1","debug":"^4.3.0","oai":"npm:openai@^5.10.0"},
    "devDependencies":{"is-number":"^7.0.0"},
    "optionalDependencies":{"semver":"^7.6.0"}}'
  "${YARN1[@]}" install --ignore-scripts --non-interactive --no-progress --registry "$REG" \
    --cache-folder "$WORK/.yarn1-cache"
  save yarn-v1 package.json yarn.lock
  $EXPECTED "$OUT/yarn-v1"
}

case_yarn_berry() {
  log yarn-berry; fresh yarn-berry
  pkgjson . '{"name":"fx-yarn-berry","version":"1.0.0","private":true,"workspaces":["packages/*"],
    "dependencies":{"oai":"npm:openai@^5.10.0","ms":"^2.1.3"},
    "devDependencies":{"is-number":"^7.0.0"},
    "optionalDependencies":{"semver":"^7.6.0"}}'
  pkgjson packages/app '{"name":"@fx/app","version":"1.0.0",
    "dependencies":{"@fx/shared":"workspace:^","debug":"^4.3.0","openai":"^5.10.2","@helicone/helpers":"^1.8.3"}}'
  pkgjson packages/shared '{"name":"@fx/shared","version":"1.0.0","dependencies":{"ms":"^2.1.0"}}'
  printf 'nodeLinker: node-modules\n' > .yarnrc.yml
  touch yarn.lock
  YARN_NPM_REGISTRY_SERVER=${REG%/} YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=0 \
    YARN_CACHE_FOLDER="$WORK/.yarn4-cache" YARN_ENABLE_SCRIPTS=0 \
    "${YARN4[@]}" install --mode=update-lockfile
  save yarn-berry package.json packages/app/package.json packages/shared/package.json .yarnrc.yml yarn.lock
  $EXPECTED "$OUT/yarn-berry"
}

# ---------------------------------------------------------------- bun
case_bun() {
  log bun; fresh bun
  pkgjson . '{"name":"fx-bun","version":"1.0.0","private":true,"workspaces":["packages/*"],
    "dependencies":{"openai":"^5.10.2","ms-old":"npm:ms@2.0.0","debug":"^4.3.0"},
    "devDependencies":{"is-number":"^7.0.0"},
    "optionalDependencies":{"semver":"^7.6.0"}}'
  pkgjson packages/app '{"name":"@fx/app","version":"1.0.0",
    "dependencies":{"@fx/lib":"workspace:*","ms":"2.1.2"}}'
  pkgjson packages/lib '{"name":"@fx/lib","version":"1.0.0","dependencies":{"is-number":"^7.0.0"}}'
  BUN_CONFIG_REGISTRY=$REG "${BUN[@]}" install --lockfile-only --ignore-scripts
  save bun package.json packages/app/package.json packages/lib/package.json bun.lock
  $EXPECTED "$OUT/bun"
}

case_bun_binary() {
  log bun-binary; fresh bun-binary
  pkgjson . '{"name":"fx-bun-binary","version":"1.0.0","private":true,
    "dependencies":{"ms":"^2.1.3","debug":"^2.6.9"},
    "devDependencies":{"is-number":"^7.0.0"}}'
  BUN_CONFIG_REGISTRY=$REG "${BUN11[@]}" install --ignore-scripts
  test -f bun.lockb
  # hand edit (binary, so no @REGISTRY@): replace the registry base URL by a loopback
  # URL of the SAME byte length, http://127.0.0.1:4873/ padded with '_' to len(REG)
  BUNREG=$(python3 -c 'import os; r=os.environ["REG"]; b="http://127.0.0.1:4873/"; assert len(r) > len(b); print(b + "_" * (len(r) - len(b) - 1) + "/")')
  export BUNREG
  perl -0777 -pi -e 's/\Q$ENV{REG}\E/$ENV{BUNREG}/g' bun.lockb
  save bun-binary package.json bun.lockb
  # ground truth: let a current bun migrate the binary lockfile to text (frozen versions)
  rm -rf migrate && mkdir -p migrate && cp package.json bun.lockb migrate/ && (cd migrate &&
    BUN_CONFIG_REGISTRY=$REG "${BUN[@]}" install --lockfile-only --ignore-scripts --save-text-lockfile)
  scrub migrate/bun.lock
  $EXPECTED "$OUT/bun-binary" --bun-text "$WORK/bun-binary/migrate/bun.lock"
}

ALL=(npm-v3-basic npm-v2 npm-v1 npm-shrinkwrap npm-workspaces npm-aliases npm-git-file
     npm-no-integrity npm-out-of-sync npm-overrides pnpm-v9 pnpm-v6 pnpm-v5 yarn-v1 yarn-berry bun bun-binary)
cases=("$@"); [ ${#cases[@]} -eq 0 ] && cases=("${ALL[@]}")
for c in "${cases[@]}"; do
  ( "case_${c//-/_}" )
done

# no registry host may remain in the fixtures
if grep -rlaE 'registry[.]|yarn[p]kg|npm[j]s' "$OUT"; then
  echo "registry host left in fixtures (see files above)" >&2; exit 1
fi
echo "done: $OUT (scratch: $WORK)" >&2
