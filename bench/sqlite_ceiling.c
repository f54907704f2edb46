/*
 * The database ceiling of bench/run.sh on SQLite: the statements one
 * request of the service runs (token lookup included) issued straight to
 * the SQLite library, with no HTTP, no pool and no code of the service.
 * Like the service, reads run on connections of their own and writes take
 * one writer connection in turn (WAL, synchronous=FULL, foreign keys on).
 *
 * Usage: sqlite_ceiling FILE set|get CONNECTIONS SECONDS, or --version
 * on a database the service has filled (instances with an integration);
 * BENCH_HOT=1 puts every client on the first instance. CONNECTIONS clients
 * in a closed loop share min(CONNECTIONS, cores) threads, as pgbench's
 * clients share its threads; a request's latency runs from its client's
 * previous answer, so it counts the wait for its turn as wrk does. Prints
 * one JSON line. The SQL is SeaORM's for SQLite (bench/sql/ has
 * PostgreSQL's); keep both in step with crates/infrastructure/src/db/.
 *
 * Build: gcc -O2 -o sqlite_ceiling bench/sqlite_ceiling.c -lsqlite3 -lpthread
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *FIND_INSTANCE_BY_TOKEN =
    "SELECT \"instances\".\"id\", \"instances\".\"name\", \"instances\".\"description\", "
    "\"instances\".\"token_hash\", \"instances\".\"created_at\", \"instances\".\"updated_at\" "
    "FROM \"instances\" WHERE \"instances\".\"token_hash\" = ? LIMIT ?";

static const char *FIND_INTEGRATION =
    "SELECT \"chatwoot_integrations\".\"id\", \"chatwoot_integrations\".\"instance_id\", "
    "\"chatwoot_integrations\".\"enabled\", \"chatwoot_integrations\".\"account_id\", "
    "\"chatwoot_integrations\".\"inbox_id\", \"chatwoot_integrations\".\"chatwoot_url\", "
    "\"chatwoot_integrations\".\"chatwoot_access_token\", \"chatwoot_integrations\".\"n8n_webhook\", "
    "\"chatwoot_integrations\".\"enabled_group\", \"chatwoot_integrations\".\"display_attendant\", "
    "\"chatwoot_integrations\".\"start_conversation_as\", \"chatwoot_integrations\".\"query\", "
    "\"chatwoot_integrations\".\"revision\", \"chatwoot_integrations\".\"created_at\", "
    "\"chatwoot_integrations\".\"updated_at\", \"chatwoot_integrations\".\"deleted_at\" "
    "FROM \"chatwoot_integrations\" WHERE \"chatwoot_integrations\".\"instance_id\" = ? LIMIT ?";

static const char *UPSERT =
    "INSERT INTO \"chatwoot_integrations\" (\"id\", \"instance_id\", \"enabled\", \"account_id\", "
    "\"inbox_id\", \"chatwoot_url\", \"chatwoot_access_token\", \"n8n_webhook\", \"enabled_group\", "
    "\"display_attendant\", \"start_conversation_as\", \"query\", \"revision\", \"created_at\", "
    "\"updated_at\", \"deleted_at\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (\"instance_id\") DO UPDATE SET \"enabled\" = \"excluded\".\"enabled\", "
    "\"account_id\" = \"excluded\".\"account_id\", \"inbox_id\" = \"excluded\".\"inbox_id\", "
    "\"chatwoot_url\" = \"excluded\".\"chatwoot_url\", "
    "\"chatwoot_access_token\" = \"excluded\".\"chatwoot_access_token\", "
    "\"n8n_webhook\" = \"excluded\".\"n8n_webhook\", \"enabled_group\" = \"excluded\".\"enabled_group\", "
    "\"display_attendant\" = \"excluded\".\"display_attendant\", "
    "\"start_conversation_as\" = \"excluded\".\"start_conversation_as\", "
    "\"updated_at\" = \"excluded\".\"updated_at\", \"deleted_at\" = \"excluded\".\"deleted_at\", "
    "\"revision\" = \"chatwoot_integrations\".\"revision\" + ? RETURNING *";

struct target {
    char id[64];
    char token_hash[80];
};

static const char *path;
static int is_set;
static int hot;
static struct target *targets;
static int n_targets;
static double deadline;

static sqlite3 *writer;
static sqlite3_stmt *upsert;
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;

struct worker {
    int first_client, clients;
    uint64_t *latencies;
    size_t count, cap;
    uint64_t errors;
};

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static sqlite3 *open_db(void) {
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite_ceiling: cannot open %s: %s\n", path, sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_busy_timeout(db, 10000);
    /* As the service sets up its connections. Debian builds its libsqlite3
     * with SECURE_DELETE on; SQLite's default build, the one the service
     * links, has it off. */
    sqlite3_exec(db,
                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                 "PRAGMA secure_delete = OFF",
                 NULL, NULL, NULL);
    return db;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite_ceiling: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    return stmt;
}

/* Steps to the end, as the service does; 0 when it returned a row. */
static int run(sqlite3_stmt *stmt) {
    int rc, rows = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) rows++;
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE && rows > 0 ? 0 : 1;
}

static int lookup(sqlite3_stmt *stmt, const char *key) {
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, 1);
    return run(stmt);
}

static int set(const struct target *t, uint64_t serial) {
    char id[64];
    int64_t at = now_ms();
    snprintf(id, sizeof id, "bench-%016llx", (unsigned long long)serial);
    pthread_mutex_lock(&writer_lock);
    sqlite3_stmt *s = upsert;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, 1);
    sqlite3_bind_int64(s, 4, 12);
    /* One inbox per instance, its position by id, as bench/wrk.lua sets it. */
    sqlite3_bind_int64(s, 5, (t - targets) + 1);
    sqlite3_bind_text(s, 6, "https://chat.example.com", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, "user-token", -1, SQLITE_STATIC);
    sqlite3_bind_null(s, 8);
    sqlite3_bind_int(s, 9, 0);
    sqlite3_bind_int(s, 10, 1);
    sqlite3_bind_text(s, 11, "pending", -1, SQLITE_STATIC);
    sqlite3_bind_null(s, 12);
    sqlite3_bind_int64(s, 13, 1);
    sqlite3_bind_int64(s, 14, at);
    sqlite3_bind_int64(s, 15, at);
    sqlite3_bind_null(s, 16);
    sqlite3_bind_int64(s, 17, 1);
    int failed = run(s);
    pthread_mutex_unlock(&writer_lock);
    return failed;
}

static void *work(void *arg) {
    struct worker *w = arg;
    sqlite3 *db = open_db();
    sqlite3_stmt *by_token = prepare(db, FIND_INSTANCE_BY_TOKEN);
    sqlite3_stmt *integration = prepare(db, FIND_INTEGRATION);
    double *since = calloc(w->clients, sizeof *since);
    for (int i = 0; i < w->clients; i++) since[i] = now_s();
    uint64_t serial = (uint64_t)w->first_client << 40;
    for (int turn = 0;; turn = (turn + 1) % w->clients) {
        const struct target *t = &targets[hot ? 0 : (w->first_client + turn) % n_targets];
        int failed = lookup(by_token, t->token_hash);
        if (!failed) failed = is_set ? set(t, serial++) : lookup(integration, t->id);
        double done = now_s();
        if (failed) {
            w->errors++;
        } else {
            if (w->count == w->cap) {
                w->cap = w->cap ? w->cap * 2 : 4096;
                w->latencies = realloc(w->latencies, w->cap * sizeof *w->latencies);
            }
            w->latencies[w->count++] = (uint64_t)((done - since[turn]) * 1e6);
        }
        since[turn] = done;
        if (done >= deadline) break;
    }
    free(since);
    sqlite3_finalize(by_token);
    sqlite3_finalize(integration);
    sqlite3_close(db);
    return NULL;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        printf("%s\n", sqlite3_libversion());
        return 0;
    }
    if (argc != 5 || (strcmp(argv[2], "set") && strcmp(argv[2], "get"))) {
        fprintf(stderr, "usage: sqlite_ceiling FILE set|get CONNECTIONS SECONDS\n");
        return 2;
    }
    path = argv[1];
    is_set = !strcmp(argv[2], "set");
    int clients = atoi(argv[3]);
    double seconds = atof(argv[4]);
    hot = getenv("BENCH_HOT") && !strcmp(getenv("BENCH_HOT"), "1");
    if (clients < 1 || seconds <= 0) return 2;

    writer = open_db();
    upsert = prepare(writer, UPSERT);
    sqlite3_stmt *list = prepare(writer, "SELECT id, token_hash FROM instances ORDER BY id");
    while (sqlite3_step(list) == SQLITE_ROW) {
        targets = realloc(targets, (n_targets + 1) * sizeof *targets);
        snprintf(targets[n_targets].id, sizeof targets->id, "%s", sqlite3_column_text(list, 0));
        snprintf(targets[n_targets].token_hash, sizeof targets->token_hash, "%s",
                 sqlite3_column_text(list, 1));
        n_targets++;
    }
    sqlite3_finalize(list);
    if (n_targets == 0) {
        fprintf(stderr, "sqlite_ceiling: no instances in %s\n", path);
        return 1;
    }

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = clients < cores ? clients : (int)cores;
    struct worker *workers = calloc(threads, sizeof *workers);
    pthread_t *ids = calloc(threads, sizeof *ids);
    double started = now_s();
    deadline = started + seconds;
    for (int i = 0, first = 0; i < threads; i++) {
        workers[i].first_client = first;
        workers[i].clients = clients / threads + (i < clients % threads);
        first += workers[i].clients;
        pthread_create(&ids[i], NULL, work, &workers[i]);
    }
    size_t total = 0;
    uint64_t errors = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        total += workers[i].count;
        errors += workers[i].errors;
    }
    double elapsed = now_s() - started;
    uint64_t *all = malloc((total + 1) * sizeof *all);
    for (int i = 0, at = 0; i < threads; i++) {
        memcpy(all + at, workers[i].latencies, workers[i].count * sizeof *all);
        at += workers[i].count;
    }
    qsort(all, total, sizeof *all, by_value);
    printf("{\"requests\":%zu,\"duration_us\":%llu,\"p50_us\":%llu,\"p99_us\":%llu,\"errors\":%llu}\n",
           total, (unsigned long long)(elapsed * 1e6),
           (unsigned long long)(total ? all[(size_t)(total * 0.50)] : 0),
           (unsigned long long)(total ? all[(size_t)(total * 0.99)] : 0),
           (unsigned long long)errors);
    sqlite3_finalize(upsert);
    sqlite3_close(writer);
    return 0;
}
