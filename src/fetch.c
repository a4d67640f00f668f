/*
 * `orderlab fetch wdi`: the World Bank API v2 over libcurl.  Pages are
 * downloaded one at a time into memory (bounded by max_page_bytes), checked
 * (HTTP status, JSON shape, the API's error object, a consistent
 * lastupdated), appended to a file with a NUL after each, and the file is
 * then imported as kind "wb-api" through the importer machinery — so the
 * store's write lock is held only for the import, not during the download.
 */
#include "orderlab/fetch.h"

#include "import_internal.h"
#include "import_helpers.h"
#include "orderlab/version.h"
#include "util/text.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest indicator code, country list and base URL accepted. */
enum { OL_FETCH_CODE_MAX = 64, OL_FETCH_COUNTRIES_MAX = 1024, OL_FETCH_URL_MAX = 2048 };

void ol_fetch_options_init(ol_fetch_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->per_page = OL_FETCH_PER_PAGE;
    opt->connect_timeout = OL_FETCH_CONNECT_TIMEOUT;
    opt->timeout = OL_FETCH_TIMEOUT;
    opt->max_page_bytes = OL_FETCH_MAX_PAGE_BYTES;
    opt->max_rejects = 0;
}

/* 1 when s is non-empty, shorter than max and made only of the characters
 * in allowed or alphanumerics (so it can go into a URL as it is). */
static int safe_token(const char *s, size_t max, const char *allowed)
{
    size_t n = 0;
    for (const char *p = s; *p; p++, n++) {
        char ch = *p;
        int alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (!alnum && !strchr(allowed, ch)) return 0;
    }
    return n > 0 && n < max;
}

typedef struct page_buf {
    char *data;
    size_t len, cap, max;
    int too_big;
} page_buf;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    page_buf *b = ud;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->max) { b->too_big = 1; return 0; }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + n + 1) cap *= 2;
        if (cap > b->max) cap = b->max;
        char *nd = realloc(b->data, cap);
        if (!nd) return 0;
        b->data = nd;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

typedef struct xfer_state {
    const ol_fetch_options *opt;
    uint64_t before;   /* bytes of earlier pages */
    int stopped;
} xfer_state;

static int on_xfer(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal; (void)ultotal; (void)ulnow;
    xfer_state *x = ud;
    if (!x->opt->progress) return 0;
    if (x->opt->progress(x->opt->progress_ctx, x->before + (uint64_t)dlnow, 0)) {
        x->stopped = 1;
        return 1;
    }
    return 0;
}

/* The integer member key of obj (the API sends some as numbers, some as
 * strings), or -1. */
static long json_long(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsNumber(v)) return (long)v->valuedouble;
    int64_t n;
    if (cJSON_IsString(v) && ol_parse_int64(v->valuestring, &n)) return (long)n;
    return -1;
}

typedef struct fetch_run {
    CURL *curl;
    char errbuf[CURL_ERROR_SIZE];
    page_buf body;
    xfer_state xfer;
    FILE *out;
    const char *out_path;
    long pages;
    char lastupdated[64];
} fetch_run;

/* Downloads one page into r->body, checks it and appends it to r->out. */
static ol_status fetch_page(fetch_run *r, const char *url, long page, ol_error *err)
{
    r->body.len = 0;
    r->body.too_big = 0;
    r->errbuf[0] = '\0';
    curl_easy_setopt(r->curl, CURLOPT_URL, url);
    CURLcode cc = curl_easy_perform(r->curl);
    if (r->xfer.stopped)
        return ol_error_set(err, OL_EINTERRUPTED, NULL, 0, 0, NULL, "download interrupted; nothing was written");
    if (cc != CURLE_OK) {
        if (r->body.too_big)
            return ol_error_set(err, OL_ENETWORK, url, 0, 0, NULL,
                                "response larger than %zu bytes; ask for fewer records per page",
                                r->body.max);
        return ol_error_set(err, OL_ENETWORK, url, 0, 0, NULL, "download failed: %s (curl error %d%s%s)",
                            curl_easy_strerror(cc), (int)cc, r->errbuf[0] ? ": " : "", r->errbuf);
    }
    long status = 0;
    curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
    const char *end = NULL;
    cJSON *doc = r->body.len ? cJSON_ParseWithLengthOpts(r->body.data, r->body.len, &end, 0) : NULL;
    char apierr[OL_ERROR_MSG_MAX];
    ol_status st = OL_OK;
    if (doc && ol_wb_api_error_text(doc, apierr, sizeof apierr) == OL_OK) {
        st = ol_error_set(err, OL_ENETWORK, url, 0, 0, NULL, "%s%s (HTTP %ld)", apierr,
                          strstr(apierr, "(Invalid value)") ? "; check the indicator and country codes" : "",
                          status);
    } else if (status != 200) {
        st = ol_error_set(err, OL_ENETWORK, url, 0, 0, NULL, "HTTP status %ld%s", status,
                          status == 404 ? " (not found: check the indicator code and --base-url)" : "");
    } else if (!doc) {
        st = ol_error_set(err, OL_ENETWORK, url, 0, 0, NULL,
                          "the response is not JSON (%zu bytes starting '%.40s'); is --base-url the World Bank API?",
                          r->body.len, r->body.len ? r->body.data : "");
    } else {
        const cJSON *meta = cJSON_GetArrayItem(doc, 0);
        const cJSON *data = cJSON_GetArrayItem(doc, 1);
        const cJSON *lu = cJSON_GetObjectItemCaseSensitive(meta, "lastupdated");
        long pages = json_long(meta, "pages");
        long got = json_long(meta, "page");
        if (!cJSON_IsArray(doc) || cJSON_GetArraySize(doc) != 2 || !cJSON_IsObject(meta) ||
            !(cJSON_IsArray(data) || cJSON_IsNull(data)) || pages < 0) {
            st = ol_error_set(err, OL_ENETWORK, url, 0, 0, NULL,
                              "not a World Bank API v2 response ([{page, pages, lastupdated...}, [records]])");
        } else if (page == 1 && pages == 0) {
            /* [{"page":0,"pages":0,"per_page":null,"total":0},null] */
            st = ol_error_set(err, OL_ENOTFOUND, url, 0, 0, NULL,
                              "the API has no data for these countries and years");
        } else if (!cJSON_IsString(lu)) {
            st = ol_error_set(err, OL_ENETWORK, url, 0, 0, "lastupdated",
                              "the response does not say when the data were last updated");
        } else if (page == 1) {
            r->pages = pages;
            snprintf(r->lastupdated, sizeof r->lastupdated, "%s", lu->valuestring);
        } else if (got != page || pages != r->pages) {
            st = ol_error_set(err, OL_ENETWORK, url, 0, 0, NULL,
                              "asked for page %ld of %ld, got page %ld of %ld", page, r->pages, got, pages);
        } else if (strcmp(lu->valuestring, r->lastupdated) != 0) {
            st = ol_error_set(err, OL_ENETWORK, url, 0, 0, NULL,
                              "the data changed during the download (lastupdated %s, then %s); fetch again",
                              r->lastupdated, lu->valuestring);
        }
    }
    cJSON_Delete(doc);
    if (st) return st;
    if (fwrite(r->body.data, 1, r->body.len, r->out) != r->body.len || fputc('\0', r->out) == EOF)
        return ol_error_set(err, OL_EIO, r->out_path, 0, 0, NULL, "cannot write the download: %s", strerror(errno));
    r->xfer.before += r->body.len;
    return OL_OK;
}

/* Rejects name the download's URL, not the temporary file. */
typedef struct reject_relay {
    const ol_fetch_options *opt;
    const char *label;
} reject_relay;

static void relay_reject(void *ud, const ol_error *rej)
{
    reject_relay *rr = ud;
    ol_error copy = *rej;
    snprintf(copy.file, sizeof copy.file, "%s", rr->label);
    rr->opt->on_reject(rr->opt->reject_ctx, &copy);
}

ol_status ol_fetch_wdi(ol_store *store, const char *indicator, const ol_fetch_options *opt,
                       ol_import_summary *sum, int64_t *source_id, ol_error *err)
{
    ol_fetch_options defaults;
    if (!opt) { ol_fetch_options_init(&defaults); opt = &defaults; }
    if (sum) memset(sum, 0, sizeof *sum);
    const char *base = opt->base_url && opt->base_url[0] ? opt->base_url : OL_FETCH_WB_BASE_URL;
    const char *countries = opt->countries && opt->countries[0] ? opt->countries : "all";
    if (!indicator || !safe_token(indicator, OL_FETCH_CODE_MAX, "._-"))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "indicator",
                            "not an indicator code: '%s' (letters, digits, '.', '_' and '-')",
                            indicator ? indicator : "");
    if (!safe_token(countries, OL_FETCH_COUNTRIES_MAX, ";"))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "countries",
                            "not a country list: '%s' (\"all\" or codes separated by ';', e.g. USA;CHN)",
                            countries);
    if (strlen(base) >= OL_FETCH_URL_MAX / 2 || (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "base-url", "not an http(s) URL: '%s'", base);
    if ((opt->from_year != 0) != (opt->until_year != 0) || opt->from_year > opt->until_year ||
        opt->from_year < 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "years",
                            "give both years, the first not after the second (got %d and %d)",
                            opt->from_year, opt->until_year);
    if (opt->per_page <= 0 || opt->max_page_bytes <= 0 || opt->timeout <= 0 || opt->connect_timeout <= 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "per_page, max_page_bytes and timeouts must be positive");
    size_t blen = strlen(base);
    while (blen && base[blen - 1] == '/') blen--;

    fetch_run r;
    memset(&r, 0, sizeof r);
    r.body.max = (size_t)opt->max_page_bytes;
    r.xfer.opt = opt;
    char tmp_path[4096];
    if (opt->save_path) {
        r.out_path = opt->save_path;
        r.out = fopen(opt->save_path, "wb");
        if (!r.out)
            return ol_error_set(err, OL_EIO, opt->save_path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    } else {
        const char *tmpdir = getenv("TMPDIR");
        snprintf(tmp_path, sizeof tmp_path, "%s/orderlab-wdi-XXXXXX", tmpdir && tmpdir[0] ? tmpdir : "/tmp");
        int fd = mkstemp(tmp_path);
        if (fd < 0 || !(r.out = fdopen(fd, "wb"))) {
            if (fd >= 0) { close(fd); unlink(tmp_path); }
            return ol_error_set(err, OL_EIO, tmp_path, 0, 0, NULL, "cannot create a temporary file: %s",
                                strerror(errno));
        }
        r.out_path = tmp_path;
    }

    ol_status st = OL_OK;
    r.curl = curl_easy_init();
    if (!r.curl) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "cannot start libcurl");
    if (!st) {
        curl_easy_setopt(r.curl, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(r.curl, CURLOPT_WRITEDATA, &r.body);
        curl_easy_setopt(r.curl, CURLOPT_ERRORBUFFER, r.errbuf);
        curl_easy_setopt(r.curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(r.curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(r.curl, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(r.curl, CURLOPT_CONNECTTIMEOUT, opt->connect_timeout);
        curl_easy_setopt(r.curl, CURLOPT_TIMEOUT, opt->timeout);
        curl_easy_setopt(r.curl, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(r.curl, CURLOPT_USERAGENT, "orderlab/" OL_VERSION_STRING);
        curl_easy_setopt(r.curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(r.curl, CURLOPT_XFERINFOFUNCTION, on_xfer);
        curl_easy_setopt(r.curl, CURLOPT_XFERINFODATA, &r.xfer);
    }
    char label[OL_FETCH_URL_MAX], url[OL_FETCH_URL_MAX + 256], date[32] = "";
    snprintf(label, sizeof label, "%.*s/v2/country/%s/indicator/%s", (int)blen, base, countries, indicator);
    if (opt->from_year) snprintf(date, sizeof date, "&date=%d:%d", opt->from_year, opt->until_year);
    for (long page = 1; !st && (page == 1 || page <= r.pages); page++) {
        snprintf(url, sizeof url, "%s?format=json&per_page=%d&page=%ld%s", label, opt->per_page, page, date);
        st = fetch_page(&r, url, page, err);
    }
    if (r.curl) curl_easy_cleanup(r.curl);
    free(r.body.data);
    if (fclose(r.out) != 0 && !st)
        st = ol_error_set(err, OL_EIO, r.out_path, 0, 0, NULL, "cannot write the download: %s", strerror(errno));

    if (!st) {
        ol_import_options io;
        ol_import_options_init(&io);
        io.vintage = opt->vintage;
        io.series = indicator;
        io.max_rejects = opt->max_rejects;
        io.progress = opt->progress;
        io.progress_ctx = opt->progress_ctx;
        reject_relay rr = {opt, opt->save_path ? opt->save_path : label};
        if (opt->on_reject) { io.on_reject = relay_reject; io.reject_ctx = &rr; }
        st = ol_import_file_as(store, "wb-api", r.out_path, label, &io, sum, source_id, err);
        if (st && err && !opt->save_path && strcmp(err->file, r.out_path) == 0)
            snprintf(err->file, sizeof err->file, "%s", label);
    }
    if (!opt->save_path) unlink(tmp_path);
    return st;
}
