#include "orderlab/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ol_error_clear(ol_error *err)
{
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->code = OL_OK;
}

static void copy_str(char *dst, size_t size, const char *src)
{
    if (!src) { dst[0] = '\0'; return; }
    snprintf(dst, size, "%s", src);
}

ol_status ol_error_set(ol_error *err, ol_status code, const char *file, long line,
                       long column, const char *field, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    copy_str(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    copy_str(err->field, sizeof err->field, field);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    } else {
        copy_str(err->message, sizeof err->message, ol_status_string(code));
    }
    return code;
}

void ol_error_prefix(ol_error *err, const char *fmt, ...)
{
    if (!err) return;
    char pre[OL_ERROR_MSG_MAX];
    char old[OL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    snprintf(err->message, sizeof err->message, "%s: %s", pre, old);
}

int ol_error_format(const ol_error *err, char *buf, size_t size)
{
    if (!err) return snprintf(buf, size, "(no error)");
    char loc[OL_ERROR_PATH_MAX + 64] = "";
    if (err->file[0]) {
        if (err->line > 0 && err->column > 0)
            snprintf(loc, sizeof loc, "%s:%ld:%ld: ", err->file, err->line, err->column);
        else if (err->line > 0)
            snprintf(loc, sizeof loc, "%s:%ld: ", err->file, err->line);
        else
            snprintf(loc, sizeof loc, "%s: ", err->file);
    }
    char fld[OL_ERROR_FIELD_MAX + 16] = "";
    if (err->field[0]) snprintf(fld, sizeof fld, "field '%s': ", err->field);
    return snprintf(buf, size, "%s%s%s", loc, fld,
                    err->message[0] ? err->message : ol_status_string(err->code));
}

const char *ol_status_string(ol_status code)
{
    switch (code) {
    case OL_OK: return "ok";
    case OL_EINVAL: return "invalid argument";
    case OL_ENOMEM: return "out of memory";
    case OL_EIO: return "input/output error";
    case OL_EPARSE: return "parse error";
    case OL_EVALIDATE: return "invalid value";
    case OL_ENOTFOUND: return "not found";
    case OL_EAMBIGUOUS: return "ambiguous";
    case OL_ESTORE: return "store error";
    case OL_ESCHEMA: return "store schema mismatch";
    case OL_ENETWORK: return "network error";
    case OL_EUNSUPPORTED: return "unsupported";
    case OL_EINTERRUPTED: return "interrupted";
    case OL_STATUS_COUNT: break;
    }
    return "unknown error";
}

int ol_status_exit_code(ol_status code)
{
    switch (code) {
    case OL_OK: return 0;
    case OL_EINVAL: return 2;
    case OL_EPARSE:
    case OL_EVALIDATE: return 3;
    case OL_ENOTFOUND:
    case OL_EAMBIGUOUS: return 4;
    case OL_ESTORE:
    case OL_ESCHEMA:
    case OL_EIO: return 5;
    case OL_ENETWORK: return 6;
    case OL_EUNSUPPORTED: return 7;
    case OL_EINTERRUPTED: return 130;
    case OL_ENOMEM:
    case OL_STATUS_COUNT: break;
    }
    return 1;
}
