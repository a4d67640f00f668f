# Assertions shared by the CLI tests (tests/cli_*.sh), sourced by them:
#   . "$(dirname "$0")/sh/checks.sh"
# It lives outside tests/ itself because tests/CMakeLists.txt makes a test of
# every tests/cli_*.sh.  Each assertion counts a failure in $fails and goes
# on, so that one run reports every broken check; `finish NAME` ends the
# script with exit 1 if any failed.  A failed exit-code check shows "$T/err"
# (the caller's stderr capture), when there is one, because that is where the
# reason is.
fails=0

check() { # description, expected exit, actual exit
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: exit $3, expected $2"
    [ -n "${T:-}" ] && cat "$T/err" 2>/dev/null
    fails=$((fails + 1))
  fi
}

# The file's head is shown on a miss: enough to see what was written
# instead, without flooding the log with a whole CSV.
_checks_show() { head -40 "$1" 2>/dev/null; }

has() { # description, file, pattern (basic regular expression)
  if ! grep -q -- "$3" "$2"; then echo "FAIL: $1: no '$3' in $2:"; _checks_show "$2"; fails=$((fails + 1)); fi
}

hasf() { # description, file, fixed string
  if ! grep -qF -- "$3" "$2"; then echo "FAIL: $1: no '$3' in $2:"; _checks_show "$2"; fails=$((fails + 1)); fi
}

hasnt() { # description, file, pattern (basic regular expression)
  if grep -q -- "$3" "$2"; then echo "FAIL: $1: unexpected '$3' in $2:"; _checks_show "$2"; fails=$((fails + 1)); fi
}

exists() { # description, file: present and not empty
  if [ ! -s "$2" ]; then echo "FAIL: $1: $2 missing or empty"; fails=$((fails + 1)); fi
}

same() { # description, expected value, actual value
  if [ "$2" != "$3" ]; then echo "FAIL: $1: '$3', expected '$2'"; fails=$((fails + 1)); fi
}

fail() { # message: a check written inline
  echo "FAIL: $*"
  fails=$((fails + 1))
}

finish() { # name of the test: exit 0 if every check passed, else 1
  if [ "$fails" -eq 0 ]; then
    echo "$1: all checks passed"
    exit 0
  fi
  echo "$1: $fails check(s) failed"
  exit 1
}
