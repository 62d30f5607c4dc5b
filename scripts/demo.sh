#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds judge, and runs the demo suite offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
swift build -c release
echo "demo: judge compare is not wired end to end yet (see the open end-to-end issue)" >&2
exit 1
