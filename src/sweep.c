/* The sweep as a whole: the directory (its identity, the design copy, the
 * canonical scenario, the manifest), execution, the report and the runs row
 * in the store; and a sweep directory reopened to rerun one run. */
#include "sweep_internal.h"

#include "orderlab/orderlab.h"

#include "util/text.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ identity */

/* What makes two sweeps the same: the rows of one are the rows of the
 * other.  Kept in DIR/.sweep. */
typedef struct sweep_id {
    uint64_t design, scenario, world;
} sweep_id;

static const char ID_MAGIC[] = "orderlab sweep";

static ol_status id_write(const char *dir, const sweep_id *id, ol_error *err)
{
    char text[256];
    int n = snprintf(text, sizeof text, "%s\ndesign %016" PRIx64 "\nscenario %016" PRIx64 "\nworld %016" PRIx64 "\n",
                     ID_MAGIC, id->design, id->scenario, id->world);
    char *path = sw_path(dir, SW_FILE_ID);
    if (!path) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_status st = sw_write_atomic(path, text, (size_t)n, err);
    free(path);
    return st;
}

/* Reads DIR/.sweep: 1 when present and well formed, 0 when absent, -1
 * (err set) when unreadable or not ours. */
static int id_read(const char *dir, sweep_id *id, ol_error *err)
{
    char *path = sw_path(dir, SW_FILE_ID);
    if (!path) {
        ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        return -1;
    }
    size_t len = 0;
    char *text = sw_slurp(path, &len);
    int r = 1;
    if (!text) {
        if (errno == ENOENT) r = 0;
        else {
            ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
            r = -1;
        }
    } else {
        char magic[32] = "";
        if (sscanf(text, "%31[^\n]\ndesign %" SCNx64 "\nscenario %" SCNx64 "\nworld %" SCNx64, magic, &id->design,
                   &id->scenario, &id->world) != 4 ||
            strcmp(magic, ID_MAGIC) != 0) {
            ol_error_set(err, OL_EINVAL, path, 0, 0, NULL, "not the identity file of an orderlab sweep");
            r = -1;
        }
    }
    free(text);
    free(path);
    return r;
}

static int dir_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 1;
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = 0;
    closedir(d);
    return empty;
}

/* ------------------------------------------------------------ the directory */

static ol_status write_manifest(const ol_sweep_plan *pl, const char *path, ol_error *err)
{
    const ol_design *d = pl->d;
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (!tmp) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        ol_status st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "cannot write: %s", strerror(errno));
        free(tmp);
        return st;
    }
    fputs("run,point,replicate,seed", f);
    for (size_t j = 0; j < d->nparams; j++) {
        const char *k = d->params[j].key;
        fputc(',', f);
        if (strpbrk(k, ",\"\r\n")) {
            fputc('"', f);
            for (; *k; k++) {
                if (*k == '"') fputc('"', f);
                fputc(*k, f);
            }
            fputc('"', f);
        } else fputs(k, f);
    }
    fputc('\n', f);
    uint64_t runs = ol_design_runs(d);
    char b[40];
    for (uint64_t r = 0; r < runs; r++) {
        fprintf(f, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, r, r / d->replicates, r % d->replicates,
                ol_design_seed(d->seed, r));
        for (size_t j = 0; j < d->nparams; j++) {
            ol_fmt_double(b, sizeof b, sw_value(pl, r, j));
            fputc(',', f);
            fputs(b, f);
        }
        fputc('\n', f);
    }
    int bad = ferror(f);
    if (fclose(f) != 0) bad = 1;
    ol_status st = OL_OK;
    if (bad) st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "writing failed: %s", strerror(errno));
    else if (rename(tmp, path) != 0)
        st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot move into place: %s", strerror(errno));
    if (st) remove(tmp);
    free(tmp);
    return st;
}

static ol_status scenario_text(const ol_scenario *sc, char **text, size_t *len, ol_error *err)
{
    *text = NULL;
    *len = 0;
    FILE *m = open_memstream(text, len);
    if (!m) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_status st = ol_scenario_write_yaml(sc, m, err);
    if (fclose(m) != 0 && !st) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    if (st) {
        free(*text);
        *text = NULL;
    }
    return st;
}

/* mkdir -p: 0, or -1 with errno. */
static int mkdir_p(const char *dir)
{
    char *p = strdup(dir);
    if (!p) return -1;
    int rc = 0;
    for (char *s = p + 1; rc == 0; s++) {
        if (*s != '/' && *s != '\0') continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
        *s = c;
        if (!c) break;
    }
    free(p);
    return rc;
}

/* Makes dir a sweep directory of this sweep, or finds that it is one;
 * refuses a directory holding something else. */
static ol_status prepare_dir(const char *dir, const sweep_id *id, const char *design_text, size_t design_len,
                             const ol_scenario *sc, const ol_simulate_world *sw, const ol_sweep_plan *pl, ol_error *err)
{
    if (mkdir_p(dir) != 0)
        return ol_error_set(err, OL_EIO, dir, 0, 0, NULL, "cannot create the sweep directory: %s", strerror(errno));
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return ol_error_set(err, OL_EIO, dir, 0, 0, NULL, "not a directory");
    sweep_id old;
    int have = id_read(dir, &old, err);
    if (have < 0) return err ? err->code : OL_EINVAL;
    if (have) {
        const char *what = old.design != id->design     ? "its design (keys, points, replicates, seed, choice rule "
                                                          "or exit-wave definition) differs"
                           : old.scenario != id->scenario ? "its scenario differs"
                           : old.world != id->world       ? "its world differs (the store's data changed since)"
                                                          : NULL;
        if (what)
            return ol_error_set(err, OL_EINVAL, dir, 0, 0, NULL,
                                "the directory holds another sweep: %s; choose another --out", what);
    } else {
        if (!dir_empty(dir))
            return ol_error_set(err, OL_EINVAL, dir, 0, 0, NULL,
                                "the directory is not empty and holds no sweep; choose another --out");
        ol_status st = id_write(dir, id, err);
        if (st) return st;
    }
    ol_status st = OL_OK;
    char *p = sw_path(dir, SW_FILE_DESIGN);
    if (!p) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    st = sw_write_atomic(p, design_text, design_len, err); /* the options may have changed: the latest */
    free(p);
    if (!st && (p = sw_path(dir, SW_FILE_SCENARIO)) != NULL) {
        if (stat(p, &sb) != 0) {
            char *text = NULL;
            size_t len = 0;
            st = scenario_text(sc, &text, &len, err);
            if (!st) st = sw_write_atomic(p, text, len, err);
            free(text);
        }
        free(p);
    }
    if (!st && (p = sw_path(dir, SW_FILE_MANIFEST)) != NULL) {
        if (stat(p, &sb) != 0) st = write_manifest(pl, p, err);
        free(p);
    }
    /* the world is the same on a resume (its hash is checked above) */
    if (!st && (p = sw_path(dir, SW_FILE_MAGNITUDES_CSV)) != NULL) {
        st = ol_simulate_magnitudes_write(sw, p, OL_MAGN_CSV, err);
        free(p);
    }
    if (!st && (p = sw_path(dir, SW_FILE_MAGNITUDES_MD)) != NULL) {
        st = ol_simulate_magnitudes_write(sw, p, OL_MAGN_MARKDOWN, err);
        free(p);
    }
    return st;
}

/* ------------------------------------------------------------ the store */

static ol_status record_run(ol_store *store, const ol_sweep_plan *pl, const ol_scenario *sc, const char *dir,
                            const ol_sweep_stats *stats, int64_t *run_id, ol_error *err)
{
    const ol_design *d = pl->d;
    cJSON *j = cJSON_CreateObject();
    if (!j) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    cJSON_AddStringToObject(j, "design", d->name);
    cJSON_AddStringToObject(j, "design_kind", ol_design_kind_name(d->kind));
    cJSON_AddStringToObject(j, "scenario_name", sc->params.name);
    cJSON_AddStringToObject(j, "out", dir);
    cJSON_AddNumberToObject(j, "points", (double)d->npoints);
    cJSON_AddNumberToObject(j, "replicates", (double)d->replicates);
    cJSON_AddNumberToObject(j, "runs", (double)stats->runs);
    cJSON_AddNumberToObject(j, "failed", (double)stats->failed);
    cJSON_AddBoolToObject(j, "stochastic", pl->stochastic);
    cJSON_AddNumberToObject(j, "wave_min_exits", pl->opt.wave_min_exits);
    cJSON_AddNumberToObject(j, "wave_window", pl->opt.wave_window);
    cJSON *ks = cJSON_AddArrayToObject(j, "parameters");
    for (size_t i = 0; i < d->nparams; i++) cJSON_AddItemToArray(ks, cJSON_CreateString(d->params[i].key));
    char *params = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!params) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    uint64_t h = 0;
    ol_status st = ol_scenario_hash(sc, &h, err);
    char hex[17], note[OL_DESIGN_NAME_MAX + 16];
    ol_scenario_hash_hex(h, hex);
    snprintf(note, sizeof note, "design %s", d->name);
    sqlite3 *db = ol_store_db(store);
    sqlite3_stmt *q = NULL;
    if (!st && sqlite3_prepare_v2(db,
                                  "INSERT INTO runs(kind, finished_at, status, scenario, seed, params, "
                                  "program_version, note) VALUES ('sweep', strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                                  "'ok', ?1, ?2, ?3, ?4, ?5)",
                                  -1, &q, NULL) != SQLITE_OK)
        st = ol_store_fail(store, err, "recording the sweep");
    if (!st) {
        sqlite3_bind_text(q, 1, hex, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)d->seed);
        sqlite3_bind_text(q, 3, params, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, ol_version(), -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, note, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) st = ol_store_fail(store, err, "recording the sweep");
        else if (run_id) *run_id = sqlite3_last_insert_rowid(db);
    }
    sqlite3_finalize(q);
    free(params);
    return st;
}

/* ------------------------------------------------------------ the command */

/* Everything a sweep computes from its inputs before it runs. */
typedef struct setup {
    ol_design *d;
    ol_sweep_options opt;
    ol_simulate_world *sw;
    ol_sweep_plan *pl;
    sweep_id id;
} setup;

static void setup_free(setup *s)
{
    ol_sweep_plan_free(s->pl);
    ol_simulate_world_free(s->sw);
    ol_design_free(s->d);
    memset(s, 0, sizeof *s);
}

static ol_status setup_make(ol_store *store, const ol_scenario *sc, const char *design_path, const char *design_text,
                            size_t design_len, setup *s, ol_error *err)
{
    memset(s, 0, sizeof *s);
    ol_status st = ol_sweep_design_load_text(design_text, design_len, design_path, &s->d, &s->opt, err);
    if (st) return st;
    snprintf(s->d->path, sizeof s->d->path, "%s", design_path);
    int stochastic = s->d->stochastic >= 0 ? s->d->stochastic : sc->params.choice_rule == OL_SC_CHOICE_LOGIT;
    ol_model_params p;
    ol_scenario_model_params(sc, &p);
    st = ol_model_params_check(&p, err);
    if (!st) st = ol_simulate_world_new(store, sc, &s->sw, err);
    if (!st)
        st = ol_sweep_plan_new(ol_simulate_world_model(s->sw), &p, stochastic, s->d, &s->opt, &s->pl, err);
    if (!st) {
        s->id.design = sw_design_hash(s->pl);
        st = ol_scenario_hash(sc, &s->id.scenario, err);
        s->id.world = ol_sweep_world_hash(ol_simulate_world_model(s->sw));
    }
    if (st) setup_free(s);
    return st;
}

/* The status every rank agrees on; a rank whose own step went well but
 * another's did not gets a message saying so. */
static ol_status agree(int mpi, ol_status st, ol_error *err, const char *what)
{
    if (!mpi) return st;
    ol_status all = ol_sweep_mpi_agree(st);
    if (all && !st) return ol_error_set(err, all, NULL, 0, 0, NULL, "another rank failed %s (see its message)", what);
    return all ? st : OL_OK;
}

ol_status ol_sweep_run(ol_store *store, const ol_scenario *sc, const ol_sweep_config *cfg, ol_sweep_result *res,
                       ol_error *err)
{
    ol_error_clear(err);
    ol_sweep_result dummy;
    if (!res) res = &dummy;
    memset(res, 0, sizeof *res);
    if (!sc || !cfg || !cfg->design_path || !cfg->dir)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sweep_run: missing argument");
    int mpi = cfg->exec.mpi != 0, rank = 0, size = 1;
    sw_procs(mpi, &rank, &size);
    size_t design_len = 0;
    char *design_text = sw_slurp(cfg->design_path, &design_len);
    ol_status st = OL_OK;
    if (!design_text)
        st = ol_error_set(err, OL_EIO, cfg->design_path, 0, 0, NULL, "cannot read the design: %s", strerror(errno));
    setup s;
    memset(&s, 0, sizeof s);
    if (!st) st = setup_make(store, sc, cfg->design_path, design_text, design_len, &s, err);
    st = agree(mpi, st, err, "to load the design or build the world");
    /* one sweep at a time in a directory: rank 0 holds a lock on it to the end */
    int lock = -1;
    if (!st && rank == 0) {
        if (mkdir_p(cfg->dir) != 0)
            st = ol_error_set(err, OL_EIO, cfg->dir, 0, 0, NULL, "cannot create the sweep directory: %s",
                              strerror(errno));
        else if ((lock = open(cfg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
            st = ol_error_set(err, OL_EIO, cfg->dir, 0, 0, NULL, "cannot open the sweep directory: %s",
                              strerror(errno));
        else if (flock(lock, LOCK_EX | LOCK_NB) != 0)
            st = ol_error_set(err, OL_EIO, cfg->dir, 0, 0, NULL,
                              "another orderlab sweep is running in this directory (%s)", strerror(errno));
    }
    if (!st && rank == 0) st = prepare_dir(cfg->dir, &s.id, design_text, design_len, sc, s.sw, s.pl, err);
    st = agree(mpi, st, err, "to prepare the sweep directory");
    free(design_text);
    if (!st) {
        snprintf(res->design_name, sizeof res->design_name, "%s", s.d->name);
        res->points = s.d->npoints;
        res->replicates = s.d->replicates;
        st = ol_sweep_execute(s.pl, cfg->dir, &cfg->exec, &res->stats, err);
    }
    if (!st && rank == 0) {
        ol_sweep_meta meta = {sc->params.name, s.id.scenario, s.id.world};
        st = ol_sweep_report(s.pl, cfg->dir, &meta, cfg->formats, err);
        if (!st && store) st = record_run(store, s.pl, sc, cfg->dir, &res->stats, &res->run_id, err);
        if (!st) {
            /* the count of waves, for the caller's message */
            char *path = sw_path(cfg->dir, SW_FILE_SUMMARY);
            char *text = path ? sw_slurp(path, NULL) : NULL;
            cJSON *j = text ? cJSON_Parse(text) : NULL;
            cJSON *w = j ? cJSON_GetObjectItem(cJSON_GetObjectItem(j, "exit_wave"), "runs") : NULL;
            if (cJSON_IsNumber(w)) res->waves = (uint64_t)w->valuedouble;
            cJSON_Delete(j);
            free(text);
            free(path);
        }
    }
    if (res->stats.complete || st) st = agree(mpi, st, err, "to write the report");
    if (lock >= 0) close(lock); /* and the lock with it */
    setup_free(&s);
    return st;
}

/* ------------------------------------------------------------ a directory reopened */

struct ol_sweep_dir {
    ol_scenario *sc;
    setup s;
};

void ol_sweep_dir_free(ol_sweep_dir *sd)
{
    if (!sd) return;
    setup_free(&sd->s);
    ol_scenario_free(sd->sc);
    free(sd);
}

ol_status ol_sweep_dir_open(ol_store *store, const char *dir, ol_sweep_dir **out, ol_error *err)
{
    ol_error_clear(err);
    if (out) *out = NULL;
    if (!dir || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sweep_dir_open: missing argument");
    sweep_id id;
    int have = id_read(dir, &id, err);
    if (have < 0) return err ? err->code : OL_EINVAL;
    if (!have) return ol_error_set(err, OL_ENOTFOUND, dir, 0, 0, NULL, "not a sweep directory (no %s)", SW_FILE_ID);
    ol_sweep_dir *sd = calloc(1, sizeof *sd);
    if (!sd) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    char *scp = sw_path(dir, SW_FILE_SCENARIO), *dp = sw_path(dir, SW_FILE_DESIGN);
    size_t len = 0;
    char *text = dp ? sw_slurp(dp, &len) : NULL;
    ol_status st = OL_OK;
    if (!scp || !dp) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    else if (!text) st = ol_error_set(err, OL_EIO, dp, 0, 0, NULL, "cannot read: %s", strerror(errno));
    if (!st) st = ol_scenario_load(scp, store, &sd->sc, err);
    if (!st) st = setup_make(store, sd->sc, dp, text, len, &sd->s, err);
    if (!st && (sd->s.id.design != id.design || sd->s.id.scenario != id.scenario))
        st = ol_error_set(err, OL_EVALIDATE, dir, 0, 0, NULL,
                          "%s or %s was changed after the sweep: it no longer matches %s", SW_FILE_DESIGN,
                          SW_FILE_SCENARIO, SW_FILE_ID);
    if (!st && sd->s.id.world != id.world)
        st = ol_error_set(err, OL_EVALIDATE, dir, 0, 0, NULL,
                          "the world built from this store differs from the sweep's (the store's data changed, "
                          "or another store): the runs cannot be repeated");
    free(text);
    free(scp);
    free(dp);
    if (st) {
        ol_sweep_dir_free(sd);
        return st;
    }
    *out = sd;
    return OL_OK;
}

const ol_scenario *ol_sweep_dir_scenario(const ol_sweep_dir *sd) { return sd ? sd->sc : NULL; }
const ol_sweep_plan *ol_sweep_dir_plan(const ol_sweep_dir *sd) { return sd ? sd->s.pl : NULL; }
const ol_simulate_world *ol_sweep_dir_world(const ol_sweep_dir *sd) { return sd ? sd->s.sw : NULL; }
