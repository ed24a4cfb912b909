# shellcheck shell=bash
# Shared by up.sh and down.sh (sourced, not run).
# Uses docker-compose (v1) when installed, else the `docker compose` plugin (v2).

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: ERROR: %s\n' "$*" >&2; exit 1; }

if command -v docker-compose >/dev/null 2>&1; then
  COMPOSE_CMD=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
  COMPOSE_CMD=(docker compose)
else
  die "neither docker-compose nor the docker compose plugin is installed; run tools/engine-up.sh"
fi

# compose_files CONFIG: sets COMPOSE_FILES (as -f arguments); non-zero for an unknown name.
compose_files() {
  case $1 in
    resilient) COMPOSE_FILES=(-f "$DEMO/docker-compose.yml") ;;
    fragile) COMPOSE_FILES=(-f "$DEMO/docker-compose.fragile.yml") ;;
    lossy) COMPOSE_FILES=(-f "$DEMO/docker-compose.yml" -f "$DEMO/docker-compose.lossy.yml") ;;
    pooled) COMPOSE_FILES=(-f "$DEMO/docker-compose.pooled.yml") ;;
    *)
      printf 'demo: ERROR: configuration must be resilient, fragile, lossy or pooled, got %s\n' "'$1'" >&2
      return 1
      ;;
  esac
}

# Compose itself would lower-case or strip other characters, and then -p and the labels
# the Java side looks for would disagree.
check_project() {
  [[ $1 =~ ^[a-z0-9][a-z0-9_-]*$ ]] \
    || die "PROJECT must be lower-case letters, digits, '-' or '_' (starting with a letter or digit), got '$1'"
}

compose() {
  local project=$1
  shift
  "${COMPOSE_CMD[@]}" -p "$project" --project-directory "$DEMO" "${COMPOSE_FILES[@]}" "$@"
}

# fail PROJECT MESSAGE: show what the stack says, then exit 1.
fail() {
  printf 'demo: ERROR: %s\n' "$2" >&2
  compose "$1" ps >&2 || true
  compose "$1" logs --no-color --tail 40 >&2 || true
  exit 1
}
