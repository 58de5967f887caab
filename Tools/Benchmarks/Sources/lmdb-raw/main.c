/*
 * lmdb-raw: the physical limit for the incident ledger's benchmark.
 *
 * Plain C over LMDB, with none of the ledger's work (no encoding, hashing, indexes or checks):
 * what the same bytes cost when LMDB is all there is.
 *
 *   lmdb-raw load DIR FILE BATCH
 *       Reads FILE, a sequence of records each preceded by its length as a little-endian u32,
 *       fully into memory; then, timed, opens an LMDB environment in DIR (created if missing;
 *       default durability: every commit is synced) and appends record i under the 8-byte
 *       big-endian key i (1, 2, 3, ...) with mdb_cursor_put(MDB_APPEND), committing every
 *       BATCH records. Prints "records seconds".
 *
 *   lmdb-raw scan DIR
 *       Opens the environment in DIR and, timed, walks the main database with a cursor in one
 *       read transaction, adding up each value's length and first byte so that every page is
 *       touched. Prints "records seconds"; the checksum goes to standard error.
 *
 *   lmdb-raw version
 *       Prints the version of the LMDB library it runs with.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "lmdb-raw: %s: %s\n", what, detail);
    exit(1);
}

/* Exits with LMDB's message unless rc is MDB_SUCCESS. */
static void check(int rc, const char *what) {
    if (rc != MDB_SUCCESS) fail(what, mdb_strerror(rc));
}

static int usage(void) {
    fprintf(stderr,
            "usage: lmdb-raw load DIR FILE BATCH   (FILE: u32 little-endian length + bytes, repeated)\n"
            "       lmdb-raw scan DIR\n"
            "       lmdb-raw version\n");
    return 2;
}

/* The records of a length-prefixed file, held in memory. */
struct records {
    unsigned char *bytes; /* the whole file */
    size_t file_size;
    size_t count;
    size_t *offsets; /* where each record's bytes start */
    uint32_t *lengths;
};

static struct records read_records(const char *path) {
    struct records r = {0};
    FILE *file = fopen(path, "rb");
    if (!file) fail(path, strerror(errno));
    struct stat st;
    if (fstat(fileno(file), &st) != 0) fail(path, strerror(errno));
    r.file_size = (size_t)st.st_size;
    r.bytes = malloc(r.file_size ? r.file_size : 1);
    if (!r.bytes) fail("read", "out of memory");
    if (fread(r.bytes, 1, r.file_size, file) != r.file_size) fail(path, "short read");
    fclose(file);

    /* Two passes: count, then index, so the arrays are allocated once. */
    for (int pass = 0; pass < 2; pass++) {
        size_t at = 0, n = 0;
        while (at < r.file_size) {
            if (r.file_size - at < 4) fail(path, "truncated length prefix");
            uint32_t length;
            memcpy(&length, r.bytes + at, 4);
            length = le32toh(length);
            at += 4;
            if (r.file_size - at < length) fail(path, "a record runs past the end of the file");
            if (pass == 1) {
                r.offsets[n] = at;
                r.lengths[n] = length;
            }
            at += length;
            n++;
        }
        if (pass == 0) {
            r.count = n;
            r.offsets = malloc((n ? n : 1) * sizeof *r.offsets);
            r.lengths = malloc((n ? n : 1) * sizeof *r.lengths);
            if (!r.offsets || !r.lengths) fail("read", "out of memory");
        }
    }
    return r;
}

static int load(const char *dir, const char *path, const char *batch_text) {
    char *end;
    long long batch = strtoll(batch_text, &end, 10);
    if (*batch_text == '\0' || *end != '\0' || batch < 1) fail("BATCH", "must be a whole number of at least 1");
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) fail(dir, strerror(errno));

    struct records r = read_records(path);

    double start = now();
    MDB_env *env;
    check(mdb_env_create(&env), "mdb_env_create");
    /* Room for the records several times over: copy-on-write needs free pages while it commits. */
    size_t map_size = r.file_size * 4 + ((size_t)256 << 20);
    check(mdb_env_set_mapsize(env, map_size), "mdb_env_set_mapsize");
    check(mdb_env_open(env, dir, 0, 0644), "mdb_env_open");

    MDB_txn *txn = NULL;
    MDB_cursor *cursor = NULL;
    MDB_dbi dbi;
    for (size_t i = 0; i < r.count; i++) {
        if (txn == NULL) {
            check(mdb_txn_begin(env, NULL, 0, &txn), "mdb_txn_begin");
            check(mdb_dbi_open(txn, NULL, 0, &dbi), "mdb_dbi_open");
            check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
        }
        uint64_t key_bytes = htobe64((uint64_t)i + 1);
        MDB_val key = {sizeof key_bytes, &key_bytes};
        MDB_val value = {r.lengths[i], r.bytes + r.offsets[i]};
        check(mdb_cursor_put(cursor, &key, &value, MDB_APPEND), "mdb_cursor_put");
        if ((i + 1) % (size_t)batch == 0 || i + 1 == r.count) {
            mdb_cursor_close(cursor);
            check(mdb_txn_commit(txn), "mdb_txn_commit");
            txn = NULL;
        }
    }
    double seconds = now() - start;
    mdb_env_close(env);

    printf("%zu %.6f\n", r.count, seconds);
    free(r.bytes);
    free(r.offsets);
    free(r.lengths);
    return 0;
}

static int scan(const char *dir) {
    MDB_env *env;
    check(mdb_env_create(&env), "mdb_env_create");
    check(mdb_env_open(env, dir, MDB_RDONLY, 0644), "mdb_env_open");

    double start = now();
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_cursor *cursor;
    check(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "mdb_txn_begin");
    check(mdb_dbi_open(txn, NULL, 0, &dbi), "mdb_dbi_open");
    check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
    MDB_val key, value;
    size_t count = 0;
    uint64_t bytes = 0, first_bytes = 0;
    int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        count++;
        bytes += value.mv_size;
        if (value.mv_size > 0) first_bytes += ((const unsigned char *)value.mv_data)[0];
        rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT);
    }
    if (rc != MDB_NOTFOUND) check(rc, "mdb_cursor_get");
    mdb_cursor_close(cursor);
    mdb_txn_abort(txn);
    double seconds = now() - start;
    mdb_env_close(env);

    printf("%zu %.6f\n", count, seconds);
    fprintf(stderr, "lmdb-raw: scanned %zu records, %llu bytes, checksum %llu\n", count,
            (unsigned long long)bytes, (unsigned long long)first_bytes);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "load") == 0) return load(argv[2], argv[3], argv[4]);
    if (argc == 3 && strcmp(argv[1], "scan") == 0) return scan(argv[2]);
    if (argc == 2 && strcmp(argv[1], "version") == 0) {
        printf("%s\n", mdb_version(NULL, NULL, NULL));
        return 0;
    }
    return usage();
}
