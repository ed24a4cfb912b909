#!/usr/bin/env bash
# Remove the demo stack of a project: containers, network and the database volume.
#
# Usage: demo/down.sh [-p PROJECT]     (default PROJECT: demo)
# Works whichever configuration (resilient, fragile, lossy, pooled) brought it up.
set -euo pipefail

DEMO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=demo/compose.sh
source "$DEMO/compose.sh"

project=demo
while getopts ":p:h" opt; do
  case $opt in
    p) project=$OPTARG ;;
    *) echo "usage: $0 [-p PROJECT]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
(($# == 0)) || { echo "usage: $0 [-p PROJECT]" >&2; exit 2; }
check_project "$project"

# The resilient file names every service; --remove-orphans takes whatever else carries
# the project's label.
compose_files resilient
compose "$project" down -v --remove-orphans
say "down: project '$project' removed"
