# shellcheck shell=bash
# The layering of docs/architecture.md (script/layers): the tree as it is
# passes, and each kind of wrong include or call planted in a copy of it
# fails, naming the file.  Needs no stack; the call graph is read from this
# run's build (build/$RC_MODE).
L1=$RC_ROOT/script/layers
L1B=$RC_ROOT/build/$RC_MODE
out=$("$L1" "$RC_ROOT/src" "$L1B" 2>&1)
check "t_01: src/ keeps the layers and has no cycle (includes, calls)" "0 " "$? $out"

T1=$(mktemp -d)
# plant NAME FILE LINE EXPECTED: a copy of src/ with LINE added to FILE fails.
plant() {
	rm -rf "$T1/src"
	cp -r "$RC_ROOT/src" "$T1/src"
	printf '%s\n' "$3" >>"$T1/src/$2"
	out=$("$L1" "$T1/src" 2>&1)
	check_match "t_01: fails on $1" "^1 .*$4" "$? $out"
}
plant "core including reply" core/param.c '#include "reply/ing.h"' \
	'core/param.c: core includes reply/ing.h'
plant "core including a pool" core/srv.h '#include "api/api.h"' \
	'core/srv.h: core includes api/api.h'
plant "reply including a pool" reply/eng.c '#include "dash/dash.h"' \
	'reply/eng.c: reply includes dash/dash.h'
plant "a pool including another" api/read.c '#include "auth/auth.h"' \
	'api/read.c: api includes auth/auth.h'
plant "a program including a pool" ctl/stats.c '#include "../dash/dash.h"' \
	'ctl/stats.c: ctl includes dash/dash.h'
plant "an include cycle" reply/ing.h '#include "ing_int.h"' \
	'include cycle:.*reply/ing'

# Calls: two objects of libreply that use each other, and one of libcore
# that uses a libreply symbol.
mkdir -p "$T1/b/src/core" "$T1/b/src/reply"
printf 'int b(void);\nint a(void) { return b(); }\n' >"$T1/a.c"
printf 'int a(void);\nint b(void) { return a() + 1; }\n' >"$T1/b.c"
printf 'int a(void);\nint c(void) { return a(); }\n' >"$T1/c.c"
for f in a b c; do cc -c -o "$T1/$f.o" "$T1/$f.c"; done
ar rc "$T1/b/src/reply/libreply.a" "$T1/a.o" "$T1/b.o"
ar rc "$T1/b/src/core/libcore.a" "$T1/c.o"
out=$("$L1" "$RC_ROOT/src" "$T1/b" 2>&1)
check_match "t_01: fails on a call cycle and on core calling reply" \
	"^1 core calls reply: core/c.o reply/a.o.*call cycle between objects:.*reply/[ab].o" "$? $out"
rm -rf "$T1"
