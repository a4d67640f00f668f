#!/usr/bin/env bash
# `cmake --install` puts the library, headers, pkg-config file, CLI and man
# page in place, and a program compiles and links against the installed
# library with pkg-config alone.
set -euo pipefail
# A sanitizer build's library needs the sanitizer runtime first in any
# program that links it; the plain build runs this test.
if [ "${OL_SANITIZED:-0}" = 1 ]; then echo "skipped under sanitizers"; exit 77; fi
cli=$1
build=$(dirname "$cli")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib*/ | head -1)
for f in "$tmp/prefix/bin/orderlab" "$tmp/prefix/include/orderlab/orderlab.h" \
         "$tmp/prefix/include/orderlab/version.h" "$libdir/pkgconfig/orderlab.pc" \
         "$tmp/prefix/share/man/man1/orderlab.1"; do
  [ -e "$f" ] || { echo "missing after install: $f"; exit 1; }
done
ls "$libdir"/liborderlab.so* "$libdir"/liborderlab.a >/dev/null
# The man page carries the help texts.
grep -q "Exit codes" "$tmp/prefix/share/man/man1/orderlab.1"
grep -q "import" "$tmp/prefix/share/man/man1/orderlab.1"
cat > "$tmp/use.c" <<'C'
#include <orderlab/orderlab.h>
#include <stdio.h>
int main(void)
{
    ol_store *s = NULL;
    ol_error err;
    if (ol_open(":memory:", OL_STORE_READWRITE, &s, &err) != OL_OK) {
        char b[2048]; ol_error_format(&err, b, sizeof b); fprintf(stderr, "%s\n", b); return 1;
    }
    ol_country c;
    if (ol_country_resolve(s, "JPN", &c, &err) != OL_OK) return 1;
    printf("%s %s %s\n", ol_version(), c.code, c.name_en);
    ol_store_close(s);
    return 0;
}
C
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c17 -o "$tmp/use" "$tmp/use.c" $(pkg-config --cflags --libs orderlab)
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/use")
echo "$out"
[[ "$out" == *"JPN Japan"* ]]
# The installed CLI runs and prints its version.
LD_LIBRARY_PATH="$libdir" "$tmp/prefix/bin/orderlab" --version | grep -q orderlab
echo "install ok"
