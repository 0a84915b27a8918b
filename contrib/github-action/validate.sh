#!/usr/bin/env bash
# The step of action.yml: install feedpub in an environment of its own and validate the
# paths, printing each finding as a GitHub workflow annotation. Exit codes are
# feedpub validate's: 0 no errors, 1 errors (or warnings with --strict), 2 unreadable.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?the folder of the action}" "${RUNNER_TEMP:?a folder for the environment}"
venv="$RUNNER_TEMP/feedpub-action-venv"
if [ ! -x "$venv/bin/feedpub" ]; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "${FEEDPUB_REQUIREMENT:-$GITHUB_ACTION_PATH}"
fi
# Word splitting is wanted: the inputs are lists separated by white space.
# shellcheck disable=SC2086
exec "$venv/bin/feedpub" validate --format github ${FEEDPUB_ARGS:-} ${FEEDPUB_PATHS:?no paths to validate}
