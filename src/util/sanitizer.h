/*
 * Internal: LeakSanitizer settings for the programs of this project (the CLI
 * and the tests), included by exactly one file of each program.
 *
 * Sanitizer builds only: fontconfig, which PLplot's cairo driver reaches
 * through pango, keeps a one-time cache (about 49 KB, the same after one
 * figure or eight) that LeakSanitizer reports at exit.  It is not orderlab's
 * memory and does not grow; leaks anywhere else are still reported.
 */
#ifndef OL_UTIL_SANITIZER_H
#define OL_UTIL_SANITIZER_H
#if defined(__SANITIZE_ADDRESS__)
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }
__attribute__((visibility("default"))) const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "print_suppressions=0"; }
#endif
#endif
