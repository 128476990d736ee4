#!/usr/bin/env bash
# Prints the path of a working Python 3.12, or exits 1 with a hint.
# Why a script: on pyenv machines `python3.12` is a shim that exists on PATH but fails unless
# PYENV_VERSION names a 3.12, so "is it on PATH" is not the same as "does it run".
set -u

is_312() {
  "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1
}

if is_312 python3.12; then
  python3.12 -c 'import sys; print(sys.executable)'
  exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  version=$(pyenv latest 3.12 2>/dev/null || true)
  if [ -n "$version" ]; then
    path=$(PYENV_VERSION=$version pyenv which python3.12 2>/dev/null || true)
    if [ -n "$path" ] && is_312 "$path"; then
      echo "$path"
      exit 0
    fi
  fi
fi
for candidate in /usr/local/bin/python3.12 /usr/bin/python3.12 python3; do
  if is_312 "$candidate"; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "Python 3.12 is required: install it (apt-get install python3.12, or pyenv install 3.12)." >&2
exit 1
