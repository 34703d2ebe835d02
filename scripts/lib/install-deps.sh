# Installs what a fresh Debian/Ubuntu machine lacks for siuo-sweep (sourced by
# scripts/test and scripts/demo): libpq, libcurl, pkg-config, the PostgreSQL server,
# python3-venv, and the headless Chromium and chromedriver the viewer's browser tests drive.
missing=()
pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# The Python test tools live in a virtual environment (scripts/lib/python-venv.sh).
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    echo "missing packages: ${missing[*]}; install them (apt-get install ${missing[*]}) and run again" >&2
    exit 1
  fi
fi
