#!/usr/bin/env bash
# Installs the Debian packages the tests need that this machine lacks (the
# list and the check for each: scripts/test-deps.list). With apt-get as root,
# or through passwordless sudo; otherwise prints the one command to run and
# fails. On a machine without apt-get it names the packages and fails.
#
#   scripts/test-deps.sh           # install what is missing
#   scripts/test-deps.sh --check   # only say what is missing (exit 1 if anything is)
#   scripts/test-deps.sh [--check] LIST   # another list file, same format
set -euo pipefail

check_only=""
if [ "${1:-}" = "--check" ]; then check_only=yes; shift; fi
list="${1:-$(dirname "$0")/test-deps.list}"

missing=()
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in '' | '#'*) continue ;; esac
  package="${line%%[[:space:]]*}"
  probe="${line#"$package"}"
  if ! bash -c "$probe" >/dev/null 2>&1; then missing+=("$package"); fi
done <"$list"

if [ "${#missing[@]}" -eq 0 ]; then
  echo "test-deps: every package in $list is there."
  exit 0
fi

install=(apt-get install -y -qq --no-install-recommends "${missing[@]}")
command_line="sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
echo "test-deps: missing for the integration tests: ${missing[*]}"
if [ -n "$check_only" ]; then exit 1; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: this machine has no apt-get. Install the equivalents of: ${missing[*]} (see $list), then run the tests again." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "test-deps: installing needs root. Run this once, then run the tests again:" >&2
  echo "  $command_line" >&2
  exit 1
fi
echo "test-deps: ${as_root[*]:+${as_root[*]} }apt-get ${install[*]:1}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
