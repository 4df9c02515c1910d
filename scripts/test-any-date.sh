#!/usr/bin/env bash
# Runs vitest with the clock a year ahead, so no test leans on today's date: libfaketime shifts
# what Date.now() and the system clock give this process and every child it starts (the CLI,
# redis-server). File mtimes from the kernel are not shifted: a test that relies on one sets it
# from Date.now(). Arguments go to `vitest run`.
#   npm run test:any-date [-- test/foo.test.ts]
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian's libfaketime (pulled in by the faketime package) installs it here; ask dpkg if not.
lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ ! -f "$lib" ]; then
	lib=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketime\.so\.1$' | head -n 1)
fi
if [ -z "$lib" ] || [ ! -f "$lib" ]; then
	echo "test-any-date: libfaketime is missing; install it with: apt-get install faketime" >&2
	exit 2
fi

# redis-server is linked with jemalloc, which libfaketime cannot start under (a known clash:
# it fails on its first clock_gettime). The tests find redis-server on the PATH, so they get
# one that runs without it; Redis's own clock need not move, since the stores give it
# relative TTLs (PX) computed from the faked Date.now().
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
if real=$(command -v redis-server); then
	printf '#!/bin/sh\nunset LD_PRELOAD\nexec %q "$@"\n' "$real" >"$shim/redis-server"
	chmod +x "$shim/redis-server"
fi

# +400d: past a year, so a date that is right only this year (or only before a leap day) fails;
# FAKETIME set in the environment moves the clock by that instead.
PATH="$shim:$PATH" FAKETIME="${FAKETIME:-+400d}" LD_PRELOAD="$lib" npx vitest run "$@"
