/* Internal: files compiled into the library by cmake/embed.cmake. */
#ifndef OL_UTIL_EMBEDDED_H
#define OL_UTIL_EMBEDDED_H
#include <stddef.h>

typedef struct ol_embedded_file {
    const char *name;             /* base name, e.g. "countries.csv" */
    const unsigned char *data;    /* NUL-terminated for convenience */
    size_t size;                  /* bytes, excluding the terminator */
} ol_embedded_file;

extern const ol_embedded_file ol_embedded_files[];

/* The embedded file called name, or NULL. */
const ol_embedded_file *ol_embedded_find(const char *name);
#endif
