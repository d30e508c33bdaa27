#!/bin/sh
# Concurrency Playground: start the native backend for the page at ORIGIN, in one command:
#   curl -fsSL ORIGIN/install.sh | sh -s -- [serve flags, e.g. -addr 127.0.0.1:9000]
# It picks the build for this machine, downloads it from ORIGIN (the site that served this
# script) into a cache, checks its SHA-256 against ORIGIN/download/SHA256SUMS and runs nothing
# on a mismatch, then starts `serve -allow-origin ORIGIN` with the arguments given after `--`.
# A rerun whose cached file still matches the sums downloads only the sums.
# The whole script is one function called on its last line: a download cut short runs nothing.

main() {
	origin='{{ORIGIN}}'
	name=concurrency-playground

	case "$(uname -s)" in
	Linux) os=linux ;;
	Darwin) os=darwin ;;
	*) fail "no build for $(uname -s) $(uname -m): there are builds for Linux and macOS (amd64, arm64) here, and for Windows in $origin/install.ps1" ;;
	esac
	case "$(uname -m)" in
	x86_64 | amd64) arch=amd64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) fail "no build for $(uname -s) $(uname -m): there are builds for amd64 and arm64" ;;
	esac
	file=$name-$os-$arch

	if command -v curl >/dev/null 2>&1; then
		get() { curl -fsSL --proto '=http,https' -o "$2" "$1"; }
	elif command -v wget >/dev/null 2>&1; then
		get() { wget -q -O "$2" "$1"; }
	else
		fail "needs curl or wget to download $origin/download/$file; install one of them and run this again"
	fi

	cache=${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/$name
	mkdir -p "$cache" || fail "cannot create the cache directory $cache"
	sums=$cache/SHA256SUMS.part
	get "$origin/download/SHA256SUMS" "$sums" || fail "could not download $origin/download/SHA256SUMS"
	want=$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1; exit }' "$sums")
	rm -f "$sums"
	[ -n "$want" ] || fail "$origin/download/SHA256SUMS lists no $file"

	bin=$cache/$file
	if [ -f "$bin" ] && [ "$(sha256 "$bin")" = "$want" ]; then
		echo "$name: $bin is already here and matches SHA256SUMS" >&2
	else
		echo "$name: downloading $origin/download/$file" >&2
		get "$origin/download/$file" "$bin.part" || fail "could not download $origin/download/$file"
		got=$(sha256 "$bin.part")
		if [ "$got" != "$want" ]; then
			rm -f "$bin.part"
			fail "refusing to run $file: its SHA-256 is $got, but SHA256SUMS says $want"
		fi
		chmod 755 "$bin.part" && mv -f "$bin.part" "$bin" || fail "cannot write $bin"
	fi
	echo "$name: starting $bin serve -allow-origin $origin $*" >&2
	exec "$bin" serve -allow-origin "$origin" "$@"
}

fail() {
	echo "concurrency-playground: $*" >&2
	exit 1
}

# sha256 prints a file's SHA-256 in hex: sha256sum on Linux, shasum on macOS.
sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d ' ' -f 1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d ' ' -f 1
	else
		fail "needs sha256sum or shasum to check the download"
	fi
}

main "$@"
