/* SPDX-License-Identifier: MIT */
/* Memory soak of the C ABI: sequential loopback calls between two registered endpoints, VmRSS and open fds at checkpoints. */
#define _POSIX_C_SOURCE 200809L
#include <sipwire.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *name;
    sw_endpoint *ep;
    sw_account *account;
    int registered;
    sw_call *call;     /* the current call of this side, NULL when none */
    int established;   /* SW_CALL_ESTABLISHED seen for the current call */
    int ended;         /* SW_CALL_ENDED seen for the current call */
    int end_status;    /* status_code of that SW_CALL_ENDED */
    long failures;     /* calls that ended before they were established */
} side;

static side s_alice = { "alice", NULL, NULL, 0, NULL, 0, 0, 0, 0 };
static side s_bob = { "bob", NULL, NULL, 0, NULL, 0, 0, 0, 0 };
static sw_endpoint *s_registrar;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static const char *detail(void)
{
    static char buf[512];
    int32_t needed = 0;
    buf[0] = '\0';
    sw_last_error_detail(buf, (int32_t)sizeof buf, &needed);
    return buf;
}

/* VmRSS or VmHWM of this process in kB from /proc/self/status; -1 when unreadable. */
static long proc_status_kb(const char *key)
{
    char line[256];
    size_t key_len = strlen(key);
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) {
        return -1;
    }
    while (fgets(line, (int)sizeof line, f) != NULL) {
        if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
            kb = strtol(line + key_len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

/* Open file descriptors of this process (sockets, eventfds, ...): a handle leak shows here. */
static int open_fds(void)
{
    int n = 0;
    struct dirent *e;
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            n++;
        }
    }
    closedir(d);
    return n - 1; /* the DIR's own fd */
}

static void on_registration(sw_account *account, int32_t ev, int32_t status_code, const char *reason, int32_t expires, void *user_data)
{
    side *s = (side *)user_data;
    (void)account;
    (void)expires;
    if (ev == SW_REG_REGISTERED) {
        s->registered = 1;
    } else {
        fprintf(stderr, "%s: registration event %d: %d %s\n", s->name, (int)ev, (int)status_code, reason);
    }
}

static void on_incoming(sw_account *account, sw_call *call, const char *from, void *user_data)
{
    side *s = (side *)user_data;
    (void)account;
    (void)from;
    s->call = call;
    if (sw_call_answer(call) != SW_OK) {
        fprintf(stderr, "%s: sw_call_answer: %s\n", s->name, detail());
    }
}

static void on_call_state(sw_call *call, int32_t ev, int32_t status_code, const char *reason, void *user_data)
{
    side *s = (side *)user_data;
    if (call != s->call) {
        /* Not the call of this round: with one call at a time this is a stale or mixed-up handle. */
        fprintf(stderr, "%s: event %d (%d %s) for call %p, current call %p\n", s->name, (int)ev, (int)status_code,
                reason != NULL ? reason : "", (void *)call, (void *)s->call);
        return;
    }
    if (ev == SW_CALL_ESTABLISHED) {
        s->established = 1;
    } else if (ev == SW_CALL_ENDED) {
        s->ended = 1;
        s->end_status = status_code;
        s->call = NULL; /* the handle is stale once this callback returns */
    }
}

/* Conditions the pump waits for. */
static int alice_settled(void) { return s_alice.established || s_alice.ended; }
static int both_registered(void) { return s_alice.registered && s_bob.registered; }
static int bob_established(void) { return s_bob.established; }
static int both_ended(void) { return s_alice.ended && s_bob.ended; }
static int never(void) { return 0; }

/* Polls all three endpoints (1 ms each for the phones) until cond() holds or timeout_ms passes. */
static int pump_until(int (*cond)(void), int timeout_ms)
{
    int64_t end = now_ms() + timeout_ms;
    for (;;) {
        if (cond()) {
            return 1;
        }
        if (now_ms() > end) {
            return 0;
        }
        sw_endpoint_poll(s_registrar, 0);
        sw_endpoint_poll(s_alice.ep, 1);
        sw_endpoint_poll(s_bob.ep, 1);
    }
}

static sw_endpoint *make_endpoint(side *s, int32_t t1_ms, int32_t max_transactions)
{
    static sw_callbacks cb[3];
    static int used;
    sw_endpoint_config cfg;
    sw_endpoint *ep = NULL;
    sw_callbacks *c = &cb[used++];
    sw_callbacks_init(c);
    c->on_registration = on_registration;
    c->on_incoming_call = on_incoming;
    c->on_call_state = on_call_state;
    c->user_data = s;
    sw_endpoint_config_init(&cfg);
    cfg.callbacks = c;
    cfg.bind_address = "127.0.0.1";
    cfg.udp_port = 0;
    cfg.log_level = SW_LOG_ERROR;
    /* Short timers keep the lingering transactions (Timer J/K/L/M, RFC 3261 §17 and RFC 6026 §8)
     * to about 64*T1 worth of calls, so the table reaches its plateau early in the run. */
    cfg.t1_ms = t1_ms;
    cfg.t2_ms = t1_ms * 8;
    cfg.t4_ms = t1_ms * 10;
    cfg.max_transactions = max_transactions;
    if (sw_endpoint_create(&cfg, &ep) != SW_OK) {
        fprintf(stderr, "sw_endpoint_create(%s): %s\n", s != NULL ? s->name : "registrar", detail());
        exit(1);
    }
    return ep;
}

static void local_address(sw_endpoint *ep, char *buf, int32_t size)
{
    int32_t needed = 0;
    if (sw_endpoint_get_local_address(ep, SW_TRANSPORT_UDP, buf, size, &needed) != SW_OK) {
        fprintf(stderr, "sw_endpoint_get_local_address: %s\n", detail());
        exit(1);
    }
}

static void add_account(side *s, const char *aor, const char *registrar)
{
    sw_account_config ac;
    sw_account_config_init(&ac);
    ac.aor = aor;
    ac.registrar = registrar;
    ac.expires = 3600;
    if (sw_account_add(s->ep, &ac, &s->account) != SW_OK || sw_account_register(s->account) != SW_OK) {
        fprintf(stderr, "%s: account: %s\n", s->name, detail());
        exit(1);
    }
}

static void report(const char *label, long calls, int64_t t0)
{
    printf("%-10s calls=%-6ld VmRSS=%6ld kB  VmHWM=%6ld kB  fds=%d  failed=%ld  elapsed=%.1f s\n", label, calls,
           proc_status_kb("VmRSS"), proc_status_kb("VmHWM"), open_fds(), s_alice.failures, (double)(now_ms() - t0) / 1000.0);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    long calls = argc > 1 ? atol(argv[1]) : 10000;
    int32_t t1_ms = argc > 2 ? (int32_t)atoi(argv[2]) : 20;
    int32_t max_transactions = argc > 3 ? (int32_t)atoi(argv[3]) : 8192;
    int gap_ms = argc > 4 ? atoi(argv[4]) : 1; /* polling between calls: bounds the calls inside one 64*T1 window */
    long i;
    long rss_1000 = -1;
    long rss_last = -1;
    int fds_1000 = -1;
    char reg_addr[64];
    char bob_addr[64];
    char registrar_uri[96];
    char bob_target[128];
    int64_t t0;

    if (calls < 1) {
        calls = 10000;
    }
    if (t1_ms < 1) {
        t1_ms = 20;
    }
    if (max_transactions < 1) {
        max_transactions = 8192;
    }
    s_registrar = make_endpoint(NULL, t1_ms, max_transactions);
    if (sw_registrar_start(s_registrar, "demo.test", 0) != SW_OK) {
        fprintf(stderr, "sw_registrar_start: %s\n", detail());
        return 1;
    }
    local_address(s_registrar, reg_addr, (int32_t)sizeof reg_addr);
    snprintf(registrar_uri, sizeof registrar_uri, "sip:%s", reg_addr);

    s_alice.ep = make_endpoint(&s_alice, t1_ms, max_transactions);
    s_bob.ep = make_endpoint(&s_bob, t1_ms, max_transactions);
    add_account(&s_alice, "sip:alice@demo.test", registrar_uri);
    add_account(&s_bob, "sip:bob@demo.test", registrar_uri);
    if (!pump_until(both_registered, 5000)) {
        fprintf(stderr, "registration did not complete in 5 s\n");
        return 1;
    }
    /* Direct to bob's listener: the INVITE goes to the target's IP host (sw_call_make). */
    local_address(s_bob.ep, bob_addr, (int32_t)sizeof bob_addr);
    snprintf(bob_target, sizeof bob_target, "sip:bob@%s", bob_addr);
    printf("registrar %s, bob %s, %ld calls, T1 %d ms, T4 %d ms, max_transactions %d, gap %d ms\n", registrar_uri, bob_target,
           calls, (int)t1_ms, (int)(t1_ms * 10), (int)max_transactions, gap_ms);
    report("start", 0, now_ms());

    t0 = now_ms();
    for (i = 1; i <= calls; i++) {
        sw_call *call = NULL;
        s_alice.established = s_alice.ended = 0;
        s_bob.established = s_bob.ended = 0;
        s_bob.call = NULL;
        if (sw_call_make(s_alice.account, bob_target, &call) != SW_OK) {
            fprintf(stderr, "call %ld: sw_call_make: %s\n", i, detail());
            return 1;
        }
        s_alice.call = call;
        /* INVITE -> 180 -> 200 (answered from on_incoming) -> ACK (RFC 3261 §13.2.2.4). */
        if (!pump_until(alice_settled, 10000)) {
            fprintf(stderr, "call %ld: neither established nor ended in 10 s\n", i);
            return 1;
        }
        if (s_alice.ended && !s_alice.established) {
            s_alice.failures++;
            fprintf(stderr, "call %ld: ended with %d before it was established\n", i, s_alice.end_status);
        } else {
            pump_until(bob_established, 2000);
            /* BYE -> 200 (RFC 3261 §15.1); wait for SW_CALL_ENDED on both sides. */
            if (sw_call_hangup(call) != SW_OK) {
                fprintf(stderr, "call %ld: sw_call_hangup: %s\n", i, detail());
                return 1;
            }
            if (!pump_until(both_ended, 10000)) {
                fprintf(stderr, "call %ld: SW_CALL_ENDED missing (alice ended %d status %d, bob established %d ended %d)\n", i,
                        s_alice.ended, s_alice.end_status, s_bob.established, s_bob.ended);
                return 1;
            }
        }
        if (gap_ms > 0) {
            pump_until(never, gap_ms);
        }
        if (s_alice.failures > 50) {
            fprintf(stderr, "too many failed calls; stopping\n");
            return 1;
        }
        if (i == 100 || i == 1000 || i == 5000 || i == calls || (i % 1000) == 0) {
            char label[32];
            snprintf(label, sizeof label, "call %ld", i);
            report(label, i, t0);
            if (i == 1000) {
                rss_1000 = proc_status_kb("VmRSS");
                fds_1000 = open_fds();
            }
            rss_last = proc_status_kb("VmRSS");
        }
    }
    /* Let the lingering transactions expire (Timer J/K/L = 64*T1, RFC 3261 §17.2.2, RFC 6026 §8.7). */
    {
        pump_until(never, 64 * t1_ms + 2000);
        report("settled", calls, t0);
    }
    if (rss_1000 > 0) {
        printf("growth 1,000 -> %ld calls: %+ld kB VmRSS, %+d fds; after settling %+ld kB\n", calls, rss_last - rss_1000,
               open_fds() - fds_1000, proc_status_kb("VmRSS") - rss_1000);
    }
    sw_endpoint_destroy(s_alice.ep);
    sw_endpoint_destroy(s_bob.ep);
    sw_endpoint_destroy(s_registrar);
    return s_alice.failures == 0 ? 0 : 2;
}
