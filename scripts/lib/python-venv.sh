# A Python virtual environment for the project's Python test tools (sourced):
# `venv_install PACKAGE==VERSION…` installs from PyPI into .siuo/venv (once),
# then "$VENV/bin/TOOL" runs them. Needs python3-venv on Debian.
VENV="$(pwd)/.siuo/venv"
venv_install() {
  if [ ! -x "$VENV/bin/pip" ]; then
    if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
      rm -rf "$VENV"
      echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)" >&2
      return 1
    fi
  fi
  local wanted=()
  for requirement in "$@"; do
    "$VENV/bin/pip" show "${requirement%%==*}" 2>/dev/null | grep -qx "Version: ${requirement#*==}" || wanted+=("$requirement")
  done
  if [ ${#wanted[@]} -gt 0 ]; then "$VENV/bin/pip" install --quiet --disable-pip-version-check "${wanted[@]}"; fi
}
