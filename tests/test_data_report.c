/* The full report on the staged data (label data): GDP, the UNGA votes and
 * the ideal points imported or fitted, the COW IGO memberships, every section with data shown, the
 * simulation on the store's GDP and ideal points.  The sweep is left out to
 * keep the test short (scripts/run.sh adds it). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static void test_full_report(void **state)
{
    (void)state;
    const char *data = ol_test_shared_data();
    char *dir = ol_test_tmpdir();
    ol_store *s = ol_test_store(dir);
    char *out = ol_test_path(dir, "out");
    ol_report_build_options o;
    ol_report_build_options_init(&o);
    o.out_dir = out;
    o.data_dir = data;
    o.gdp_vintage = "2024-10-21";
    ol_report_build_summary *sum = malloc(sizeof *sum);
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_report_build(s, &o, sum, &err), &err);
    assert_int_equal(sum->nimported, 7); /* wb, unvotes-rollcalls, unvotes-votes, cow-igo, pwt, maddison, nmc */
    assert_int_equal(sum->ideal_estimated, 1);
    for (size_t i = 0; i < sum->nsections; i++) {
        const ol_report_section_result *r = &sum->sections[i];
        int placeholder = !strcmp(r->id, "sweep");
        if (r->available != (placeholder ? 0 : 1)) fail_msg("section %s: %d (%s)", r->id, r->available, r->note);
    }
    assert_string_equal(sum->sections[0].note, "NY.GDP.MKTP.CD, vintage 2024-10-21");
    const char *tl = NULL;
    for (size_t i = 0; i < sum->nsections; i++)
        if (!strcmp(sum->sections[i].id, "timeline")) tl = sum->sections[i].note;
    assert_non_null(tl);
    assert_non_null(strstr(tl, "power from the store's NY.GDP.MKTP.CD"));
    assert_non_null(strstr(tl, "alignment from the ideal points orderlab-dynamic"));
    assert_int_equal(sum->figures, 5); /* Figures 4.1 and 4.2, the two timeline figures, the event-time figure */
    /* the history study on the current-US$ measure: the US–Japan peak of the WB file (1995) */
    char *hj = ol_test_path(out, "history/history_summary.json");
    FILE *f = fopen(hj, "r");
    assert_non_null(f);
    char buf[1 << 14];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "\"peak_year\":\t1995"));
    free(hj);
    free(sum);
    free(out);
    ol_store_close(s);
    ol_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    if (!ol_test_shared_data()) return 77;
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_full_report)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
