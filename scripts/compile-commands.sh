#!/bin/sh
# compile-commands.sh - compile_commands.json for editors (clangd), from the Makefile's flags.
# Usage: scripts/compile-commands.sh "CC FLAGS" SOURCES...
set -eu
cmd=$1
shift
dir=$(pwd)
printf '[\n'
sep=""
for f in "$@"; do
	printf '%s  {"directory": "%s", "file": "%s", "command": "%s -c %s"}' "$sep" "$dir" "$f" \
		"$(printf '%s' "$cmd" | sed 's/"/\\"/g')" "$f"
	sep=",
"
done
printf '\n]\n'
