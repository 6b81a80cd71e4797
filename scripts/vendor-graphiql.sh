#!/usr/bin/env bash
# Re-create the vendored GraphiQL IDE assets in platform/ecozone/web/static/graphiql/
# from the npm registry, at the pinned versions below.
#
# The ecozone GraphiQL page must work on offline partner intranets, so nothing
# is loaded from a CDN at runtime: the UMD builds are copied into the package.
#
# Upgrade: bump the versions below, run this script, check the page in a
# browser (GET /graphql with Accept: text/html), commit the result.
#
# Notes
# - graphiql 3.x's UMD bundle already contains @graphiql/toolkit
#   (GraphiQL.createFetcher) and the graphql-ws client used for
#   `subscriptionUrl` (graphql-transport-ws protocol), so graphql-ws is not
#   vendored separately. Re-check this when moving to another major.
# - graphiql >= 4 dropped the UMD builds; stay on 3.x unless the page is
#   reworked for ES modules.
# - Hand-written files in the folder (init.js, init.css) are left alone.
#
# Needs: npm, tar, sha256sum.
set -euo pipefail

GRAPHIQL_VERSION="3.9.0"
REACT_VERSION="18.3.1"
REACT_DOM_VERSION="18.3.1"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${repo_root}/platform/ecozone/web/static/graphiql"

work="$(mktemp -d "${TMPDIR:-/tmp}/vendor-graphiql.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# name@version -> tarball unpacked into $work/<name>/package
fetch() {
    local spec="$1" name="${1%@*}"
    mkdir -p "$work/$name"
    # npm pack checks the tarball against the registry's integrity hash.
    local tgz
    tgz="$(cd "$work/$name" && npm pack --silent "$spec" | tail -n 1)"
    tar -xzf "$work/$name/$tgz" -C "$work/$name"
}

fetch "graphiql@${GRAPHIQL_VERSION}"
fetch "react@${REACT_VERSION}"
fetch "react-dom@${REACT_DOM_VERSION}"

# dest-file | package@version | path inside the npm tarball
files=(
    "graphiql.min.js|graphiql@${GRAPHIQL_VERSION}|graphiql/package/graphiql.min.js"
    "graphiql.min.css|graphiql@${GRAPHIQL_VERSION}|graphiql/package/graphiql.min.css"
    "LICENSE.graphiql|graphiql@${GRAPHIQL_VERSION}|graphiql/package/LICENSE"
    "react.production.min.js|react@${REACT_VERSION}|react/package/umd/react.production.min.js"
    "LICENSE.react|react@${REACT_VERSION}|react/package/LICENSE"
    "react-dom.production.min.js|react-dom@${REACT_DOM_VERSION}|react-dom/package/umd/react-dom.production.min.js"
    "LICENSE.react-dom|react-dom@${REACT_DOM_VERSION}|react-dom/package/LICENSE"
)

mkdir -p "$work/out"
{
    echo "# Vendored by scripts/vendor-graphiql.sh from the npm registry; do not edit by hand."
    echo "# file  package@version  path-in-package  sha256"
} > "$work/out/VERSIONS"

for entry in "${files[@]}"; do
    IFS='|' read -r file spec src <<<"$entry"
    if [[ ! -f "$work/$src" ]]; then
        echo "vendor-graphiql: $src missing from $spec" >&2
        exit 1
    fi
    cp "$work/$src" "$work/out/$file"
    sum="$(sha256sum "$work/out/$file" | cut -d' ' -f1)"
    echo "$file  $spec  ${src#*/package/}  $sum" >> "$work/out/VERSIONS"
done

# The page must never reach a CDN: refuse bundles that reference one as a script/style source.
if grep -lE '(src|href)=["'"'"']?https?://(unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.)' \
        "$work"/out/*.js "$work"/out/*.css >/dev/null 2>&1; then
    echo "vendor-graphiql: a vendored file references a CDN URL as a source" >&2
    exit 1
fi

mkdir -p "$dest"
for entry in "${files[@]}"; do
    file="${entry%%|*}"
    install -m 0644 "$work/out/$file" "$dest/$file"
done
install -m 0644 "$work/out/VERSIONS" "$dest/VERSIONS"

echo "vendor-graphiql: wrote $(( ${#files[@]} + 1 )) files to ${dest#"$repo_root"/}"
du -sh "$dest"
