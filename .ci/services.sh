#!/usr/bin/env bash
# Installs the Debian packages that tests need. Tests start their own
# instances on 127.0.0.1 (random ports), so nothing is started here.
#   redis-server: the @x/cache-redis store tests spawn one per run.
#   openssl: TLS tests make throwaway certificates and PKCS#12 bundles with it.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "services: installing ${need[*]} from Debian's packages"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The service units Debian starts are not needed; tests run their own.
if command -v redis-cli >/dev/null 2>&1 && redis-cli -p 6379 ping >/dev/null 2>&1; then
  echo "services: a redis-server is already running on 6379 (unused by tests)"
fi
echo "services: redis-server $(redis-server --version | awk '{print $3}'), $(openssl version)"
