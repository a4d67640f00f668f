#include "util/embedded.h"

#include <string.h>

const ol_embedded_file *ol_embedded_find(const char *name)
{
    for (const ol_embedded_file *f = ol_embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}
