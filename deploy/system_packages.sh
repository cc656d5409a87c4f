#!/bin/sh
# Checks the Debian packages that `make run` (group run) or `make test` (groups run and test) need, as listed
# in deploy/system-packages.txt. Missing ones are installed when running as root (CI, containers); otherwise
# it stops with the one apt-get line to run. On a system without dpkg it only says what to look for.
#   usage: deploy/system_packages.sh run|test [python]
set -eu
here=$(dirname "$0")
list="$here/system-packages.txt"
target=${1:?usage: system_packages.sh run|test [python]}
python=${2:-python3}

group() { sed -n "s/^$1:[[:space:]]*//p" "$list"; }

case "$target" in
  run) wanted="$(group run)" ;;
  test) wanted="$(group run) $(group test)" ;;
  *) echo "system_packages.sh: unknown target '$target' (run or test)" >&2; exit 2 ;;
esac
# Debian's own Python needs python3-venv to make .venv; a Python of its own (pyenv, python.org) does not.
case "$(command -v "$python" 2>/dev/null || true)" in
  /usr/bin/*) wanted="$(group venv) $wanted" ;;
esac

if ! command -v dpkg >/dev/null 2>&1; then
  echo "note: not a Debian system; make sure the equivalents of these are installed: $wanted" >&2
  exit 0
fi

missing=""
for package in $wanted; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
  echo "installing system packages:$missing"
  apt-get update -qq
  # shellcheck disable=SC2086  # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  exit 0
fi
echo "Missing system packages:$missing" >&2
echo "Install them with:" >&2
echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
exit 1
