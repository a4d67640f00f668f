/* The process layer of the sweep engine: ranks, broadcasts and the shared
 * counter that hands out runs.  The only file that includes mpi.h; without
 * ORDERLAB_MPI every function works for one process. */
#include "sweep_internal.h"

#include <stdlib.h>
#include <string.h>

#ifdef ORDERLAB_MPI
#include <mpi.h>
#endif

/* The counter's value once stopped: beyond any design (at most 2^53 runs),
 * with room for every rank's later additions. */
static const uint64_t STOPPED = UINT64_C(1) << 62;

int ol_sweep_mpi_built(void)
{
#ifdef ORDERLAB_MPI
    return 1;
#else
    return 0;
#endif
}

int ol_sweep_mpi_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i])) return 1;
    return 0;
}

#ifdef ORDERLAB_MPI
static int mpi_on(int mpi)
{
    int init = 0, fin = 0;
    if (!mpi) return 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    return init && !fin;
}
#endif

ol_status ol_sweep_mpi_init(int *rank, int *size, ol_error *err)
{
    if (rank) *rank = 0;
    if (size) *size = 1;
#ifdef ORDERLAB_MPI
    int init = 0;
    MPI_Initialized(&init);
    if (!init) {
        /* runs are fetched by whichever thread needs work, one at a time */
        int provided = 0;
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
            return ol_error_set(err, OL_EUNSUPPORTED, NULL, 0, 0, NULL, "MPI_Init_thread failed");
        if (provided < MPI_THREAD_SERIALIZED) {
            MPI_Finalize();
            return ol_error_set(err, OL_EUNSUPPORTED, NULL, 0, 0, NULL,
                                "this MPI library does not support threads calling it in turn "
                                "(MPI_THREAD_SERIALIZED)");
        }
    }
    int r = 0, s = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    MPI_Comm_size(MPI_COMM_WORLD, &s);
    if (rank) *rank = r;
    if (size) *size = s;
    return OL_OK;
#else
    return ol_error_set(err, OL_EUNSUPPORTED, NULL, 0, 0, NULL,
                        "this orderlab was built without MPI (install libopenmpi-dev and rebuild)");
#endif
}

void ol_sweep_mpi_barrier(void)
{
#ifdef ORDERLAB_MPI
    if (mpi_on(1)) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

ol_status ol_sweep_mpi_agree(ol_status st)
{
#ifdef ORDERLAB_MPI
    if (mpi_on(1)) {
        int in = (int)st, out = in;
        MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        return (ol_status)out;
    }
#endif
    return st;
}

void ol_sweep_mpi_finalize(void)
{
#ifdef ORDERLAB_MPI
    if (mpi_on(1)) MPI_Finalize();
#endif
}

void sw_procs(int mpi, int *rank, int *size)
{
    *rank = 0;
    *size = 1;
#ifdef ORDERLAB_MPI
    if (mpi_on(mpi)) {
        MPI_Comm_rank(MPI_COMM_WORLD, rank);
        MPI_Comm_size(MPI_COMM_WORLD, size);
    }
#else
    (void)mpi;
#endif
}

void sw_bcast(int mpi, void *buf, size_t n)
{
#ifdef ORDERLAB_MPI
    if (!mpi_on(mpi)) return;
    /* in pieces: MPI counts are ints */
    const size_t piece = (size_t)1 << 30;
    for (size_t off = 0; off < n; off += piece) {
        size_t k = n - off < piece ? n - off : piece;
        MPI_Bcast((char *)buf + off, (int)k, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
#else
    (void)mpi;
    (void)buf;
    (void)n;
#endif
}

uint64_t sw_sum_u64(int mpi, uint64_t v)
{
#ifdef ORDERLAB_MPI
    if (mpi_on(mpi)) {
        uint64_t out = 0;
        MPI_Allreduce(&v, &out, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
        return out;
    }
#else
    (void)mpi;
#endif
    return v;
}

/* ------------------------------------------------------------ the counter */

struct sw_counter {
    int mpi;
    uint64_t local; /* one process: the counter itself */
#ifdef ORDERLAB_MPI
    MPI_Win win;
    uint64_t *base; /* rank 0: the window's memory */
#endif
};

ol_status sw_counter_new(int mpi, sw_counter **out, ol_error *err)
{
    sw_counter *c = calloc(1, sizeof *c);
    if (!c) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
#ifdef ORDERLAB_MPI
    c->mpi = mpi_on(mpi);
    if (c->mpi) {
        int rank = 0;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Aint bytes = rank == 0 ? (MPI_Aint)sizeof(uint64_t) : 0;
        if (MPI_Win_allocate(bytes, sizeof(uint64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &c->base, &c->win) !=
            MPI_SUCCESS) {
            free(c);
            return ol_error_set(err, OL_EUNSUPPORTED, NULL, 0, 0, NULL, "MPI_Win_allocate failed");
        }
        if (rank == 0) {
            MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, c->win);
            *c->base = 0;
            MPI_Win_unlock(0, c->win);
        }
        MPI_Barrier(MPI_COMM_WORLD);
    }
#else
    (void)mpi;
#endif
    *out = c;
    return OL_OK;
}

uint64_t sw_counter_fetch_add(sw_counter *c, uint64_t n)
{
#ifdef ORDERLAB_MPI
    if (c->mpi) {
        uint64_t old = 0;
        MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, c->win);
        MPI_Fetch_and_op(&n, &old, MPI_UINT64_T, 0, 0, MPI_SUM, c->win);
        MPI_Win_unlock(0, c->win);
        return old;
    }
#endif
    uint64_t old = c->local;
    c->local += n;
    return old;
}

void sw_counter_stop(sw_counter *c)
{
#ifdef ORDERLAB_MPI
    if (c->mpi) {
        uint64_t v = STOPPED, old = 0;
        MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, c->win);
        MPI_Fetch_and_op(&v, &old, MPI_UINT64_T, 0, 0, MPI_REPLACE, c->win);
        MPI_Win_unlock(0, c->win);
        return;
    }
#endif
    c->local = STOPPED;
}

void sw_counter_free(sw_counter *c)
{
    if (!c) return;
#ifdef ORDERLAB_MPI
    if (c->mpi) MPI_Win_free(&c->win); /* collective */
#endif
    free(c);
}
