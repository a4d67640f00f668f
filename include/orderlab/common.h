/*
 * orderlab/common.h — status codes, error reports and progress callbacks
 * shared by every module.
 *
 * Convention (after SQLite and igraph): every fallible function returns an
 * ol_status (OL_OK == 0 on success) and, when the caller passes a non-NULL
 * ol_error *, fills it with the code and a message that carries the input's
 * context (file, line, column, field) where input was involved.  The library
 * never prints; the CLI decides what to show and which exit code to use
 * (ol_status_exit_code()).  There is no global error state, so separate
 * threads using separate objects need no locking.
 */
#ifndef ORDERLAB_COMMON_H
#define ORDERLAB_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(OL_BUILDING_LIBRARY)
#define OL_API __attribute__((visibility("default")))
#else
#define OL_API
#endif

#if defined(__GNUC__)
#define OL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define OL_PRINTF(f, a)
#endif

typedef enum ol_status {
    OL_OK = 0,
    OL_EINVAL,       /* a caller passed an invalid argument or option */
    OL_ENOMEM,       /* allocation failed */
    OL_EIO,          /* a file could not be opened, read or written */
    OL_EPARSE,       /* input is not well formed (CSV quoting, encoding, header) */
    OL_EVALIDATE,    /* input is well formed but a value is invalid */
    OL_ENOTFOUND,    /* a code, name, id or series does not exist */
    OL_EAMBIGUOUS,   /* a name matches several entities */
    OL_ESTORE,       /* the SQLite store reported an error */
    OL_ESCHEMA,      /* the store's schema is newer than this program */
    OL_ENETWORK,     /* a download failed */
    OL_EUNSUPPORTED, /* a feature not built in or a format not known */
    OL_EINTERRUPTED, /* stopped by the caller (signal, callback) */
    OL_STATUS_COUNT
} ol_status;

/* Size limits of the fixed buffers in ol_error; longer text is truncated. */
enum { OL_ERROR_PATH_MAX = 512, OL_ERROR_FIELD_MAX = 128, OL_ERROR_MSG_MAX = 1024 };

typedef struct ol_error {
    ol_status code;
    char file[OL_ERROR_PATH_MAX];   /* input file, "" when none */
    long line;                      /* 1-based input line, 0 when none */
    long column;                    /* 1-based CSV column (field index), 0 when none */
    char field[OL_ERROR_FIELD_MAX]; /* column/field/key name, "" when none */
    char message[OL_ERROR_MSG_MAX]; /* human-readable, no trailing newline */
} ol_error;

/* Resets *err to OL_OK with empty context.  err may be NULL. */
OL_API void ol_error_clear(ol_error *err);

/*
 * Records an error and returns code, so that callers can write
 *     return ol_error_set(err, OL_EPARSE, path, line, col, "year", "not a number: '%s'", s);
 * err may be NULL (the code is still returned).  file and field may be NULL.
 */
OL_API ol_status ol_error_set(ol_error *err, ol_status code, const char *file,
                              long line, long column, const char *field,
                              const char *fmt, ...) OL_PRINTF(7, 8);

/* Prefixes the existing message with more context ("importing X: ..."). */
OL_API void ol_error_prefix(ol_error *err, const char *fmt, ...) OL_PRINTF(2, 3);

/* Writes "file:line:column: field 'f': message" (parts present only) into buf.
 * Returns the number of characters that the full text needs (like snprintf). */
OL_API int ol_error_format(const ol_error *err, char *buf, size_t size);

/* A stable short name for a status: "OL_EPARSE" -> "parse error". */
OL_API const char *ol_status_string(ol_status code);

/*
 * The process exit code the CLI uses for a status.  Documented in orderlab(1)
 * and docs/cli.md:
 *   0 ok; 1 internal/unexpected; 2 usage (OL_EINVAL); 3 bad input data
 *   (OL_EPARSE, OL_EVALIDATE); 4 not found or ambiguous; 5 store or file
 *   I/O (OL_ESTORE, OL_ESCHEMA, OL_EIO); 6 network; 7 unsupported;
 *   130 interrupted.
 */
OL_API int ol_status_exit_code(ol_status code);

/*
 * Progress reporting.  Long operations call the callback now and then with
 * the work done and the total (total 0 = unknown).  Returning non-zero asks
 * the operation to stop; it then rolls back and returns OL_EINTERRUPTED.
 */
typedef int (*ol_progress_fn)(void *ctx, uint64_t done, uint64_t total);

#ifdef __cplusplus
}
#endif
#endif
