#!/bin/sh
# Prints a command that runs pytest, or fails. Debian installs python3-pytest
# for /usr/bin/python3, which may not be the python3 first on PATH (pyenv,
# Homebrew), so try the candidates in turn.
for candidate in "pytest-3" "/usr/bin/python3 -m pytest" "python3 -m pytest" "pytest"; do
    if $candidate --version >/dev/null 2>&1; then
        echo "$candidate"
        exit 0
    fi
done
echo "no pytest found: run scripts/setup.sh" >&2
exit 1
