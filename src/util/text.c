#include "util/text.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

static int only_space(const char *s)
{
    s = skip_space(s);
    return *s == '\0' || *s == '\r' || *s == '\n';
}

int ol_is_blank(const char *s) { return !s || only_space(s); }

int ol_parse_int64(const char *s, int64_t *out)
{
    if (!s) return 0;
    s = skip_space(s);
    if (!*s) return 0;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || !only_space(end)) return 0;
    *out = (int64_t)v;
    return 1;
}

int ol_parse_int(const char *s, int *out)
{
    int64_t v;
    if (!ol_parse_int64(s, &v) || v < INT_MIN || v > INT_MAX) return 0;
    *out = (int)v;
    return 1;
}

int ol_parse_double(const char *s, double *out)
{
    if (!s) return 0;
    s = skip_space(s);
    if (!*s) return 0;
    /* strtod accepts "nan", "inf" and hex floats; data files never mean those. */
    for (const char *p = s; *p && !only_space(p); p++) {
        char c = *p;
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return 0;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || !only_space(end) || errno == ERANGE || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

int ol_parse_real(const char *s, double *out)
{
    if (ol_parse_double(s, out)) return 1;
    const char *slash = s ? strchr(s, '/') : NULL;
    if (!slash || slash == s || strchr(slash + 1, '/')) return 0;
    char num[64];
    size_t n = (size_t)(slash - s);
    if (n >= sizeof num) return 0;
    memcpy(num, s, n);
    num[n] = '\0';
    double a, b;
    if (!ol_parse_double(num, &a) || !ol_parse_double(slash + 1, &b) || b == 0) return 0;
    double v = a / b;
    if (!isfinite(v)) return 0;
    *out = v;
    return 1;
}

int ol_utf8_valid(const char *str, size_t n, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else goto bad;
        if (i + len > n) goto bad;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and values past U+10FFFF are invalid. */
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            goto bad;
        i += len;
    }
    return 1;
bad:
    if (bad_offset) *bad_offset = i;
    return 0;
}

void ol_trim_copy(char *dst, size_t size, const char *s)
{
    if (!size) return;
    if (!s) { dst[0] = '\0'; return; }
    s = skip_space(s);
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    if (n >= size) n = size - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

int ol_iso_date_valid(const char *s)
{
    if (!s) return 0;
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10) return 0;
    if (!digits(s, 4)) return 0;
    if (n == 4) return 1;
    if (s[4] != '-' || !digits(s + 5, 2)) return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12) return 0;
    if (n == 7) return 1;
    if (s[7] != '-' || !digits(s + 8, 2)) return 0;
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d >= 1 && d <= max;
}

int ol_iso_date_year(const char *s)
{
    int y = 0;
    if (s && strlen(s) >= 4) {
        char b[5];
        memcpy(b, s, 4);
        b[4] = '\0';
        if (!ol_parse_int(b, &y)) y = 0;
    }
    return y;
}

void ol_csv_put(FILE *f, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void ol_fmt_double(char *buf, size_t size, double x)
{
    if (!isfinite(x)) {
        buf[0] = '\0';
        return;
    }
    /* a decimal that needs 15 or fewer digits is printed exactly so by %.15g */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) return;
    }
}
