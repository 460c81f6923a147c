#!/usr/bin/env bash
# Installs the Debian packages that tests need (none yet beyond the base
# machine). Kept separate so a developer can run it once by hand.
set -euo pipefail
exit 0
