/* SPDX-License-Identifier: MIT */
/* C99 ABI test: calls every export of sipwire.h, with NULL, stale and forged handles and short buffers. */
#define _POSIX_C_SOURCE 200809L
#include <sipwire.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int s_passed;
static int s_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            s_passed++;                                                                            \
        } else {                                                                                   \
            s_failed++;                                                                            \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                                 \
        }                                                                                          \
    } while (0)

/* The calling thread's last error detail, in a static buffer. */
static const char *detail(void)
{
    static char buf[512];
    int32_t needed = 0;
    if (sw_last_error_detail(buf, (int32_t)sizeof buf, &needed) != SW_OK) {
        return "<detail unavailable>";
    }
    return buf;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- A firmware "IP stack" in memory: nodes with an address, wired by transport_send ---- */

#define MAX_NODES 4

typedef struct node node;
struct node {
    const char *address; /* "10.0.0.x" */
    int port;
    sw_endpoint *ep;
    sw_account *account;
    int registered;
    int reg_events;
    int last_reg_status;
    int reg_failed;
    int unregistered;
    sw_call *incoming;
    int incoming_count;
    int answer_in_callback;
    int reject_code;
    sw_call *last_call;
    int ended;
    int ended_status;
    int established;
    int ringing;
    int media_updated;
    int stale_ok;
    int log_lines;
    int sent;
    int drop; /* drop everything this node sends */
    int messages;
    char message_body[64];
    char message_type[64];
    int message_results;
    int message_status;
    int32_t message_id;
    int transfer_events[6];
    int transfer_status;
    sw_call *referred_call;
    int sub_events[5];
    int sub_status;
    sw_subscription *sub;
    char last_sent[256];
};

static node s_nodes[MAX_NODES];
static int s_node_count;

static node *node_at(const char *destination)
{
    int i;
    for (i = 0; i < s_node_count; i++) {
        char want[64];
        snprintf(want, sizeof want, "%s:%d", s_nodes[i].address, s_nodes[i].port);
        if (strcmp(want, destination) == 0) {
            return &s_nodes[i];
        }
    }
    return NULL;
}

/* The firmware's send: hand the bytes to the destination node's sw_endpoint_input (thread-safe, queued). */
static int32_t fw_send(int32_t transport, const char *destination, const uint8_t *data, int32_t length, void *user_data)
{
    node *from = (node *)user_data;
    node *to = node_at(destination);
    char source[64];
    from->sent++;
    snprintf(from->last_sent, sizeof from->last_sent, "%.*s", length < 200 ? (int)length : 200, (const char *)data);
    if (from->drop) {
        return 0; /* lost on the air */
    }
    if (to == NULL) {
        return -1; /* no route: a transport error */
    }
    snprintf(source, sizeof source, "%s:%d", from->address, from->port);
    return sw_endpoint_input(to->ep, transport, data, length, source) == SW_OK ? 0 : -1;
}

static void n_on_registration(sw_account *account, int32_t ev, int32_t status_code, const char *reason, int32_t expires,
                              void *user_data)
{
    node *n = (node *)user_data;
    (void)reason;
    (void)expires;
    n->reg_events++;
    n->last_reg_status = status_code;
    if (account != n->account) {
        n->stale_ok = -1000; /* wrong handle */
    }
    if (ev == SW_REG_REGISTERED) {
        n->registered = 1;
    } else if (ev == SW_REG_FAILED) {
        n->reg_failed++;
    } else if (ev == SW_REG_UNREGISTERED) {
        n->registered = 0;
        n->unregistered++;
    }
}

static void n_on_incoming(sw_account *account, sw_call *call, const char *from, void *user_data)
{
    node *n = (node *)user_data;
    char remote[128];
    int32_t needed = 0;
    (void)account;
    n->incoming = call;
    n->incoming_count++;
    /* Callbacks may call back into the API. */
    if (sw_call_get_remote(call, remote, (int32_t)sizeof remote, &needed) == SW_OK && strcmp(remote, from) == 0) {
        n->stale_ok++;
    }
    if (n->reject_code != 0) {
        sw_call_reject(call, n->reject_code);
    } else if (n->answer_in_callback) {
        sw_call_answer(call);
    }
}

static void n_on_call_state(sw_call *call, int32_t ev, int32_t status_code, const char *reason, void *user_data)
{
    node *n = (node *)user_data;
    (void)reason;
    n->last_call = call;
    if (ev == SW_CALL_ESTABLISHED) {
        n->established++;
    } else if (ev == SW_CALL_RINGING) {
        n->ringing++;
    } else if (ev == SW_CALL_MEDIA_UPDATED) {
        n->media_updated++;
    } else if (ev == SW_CALL_ENDED) {
        n->ended++;
        n->ended_status = status_code;
        /* Still valid during the callback. */
        if (sw_call_get_remote(call, NULL, 0, NULL) == SW_E_BUFFER_TOO_SMALL) {
            n->stale_ok++;
        }
    }
}

static void n_on_message(sw_account *account, const char *from, const char *content_type, const uint8_t *body,
                         int32_t body_length, void *user_data)
{
    node *n = (node *)user_data;
    (void)account;
    (void)from;
    n->messages++;
    snprintf(n->message_body, sizeof n->message_body, "%.*s", (int)body_length, (const char *)body);
    snprintf(n->message_type, sizeof n->message_type, "%s", content_type);
}

static void n_on_message_result(sw_account *account, int32_t message_id, int32_t status_code, const char *reason,
                                void *user_data)
{
    node *n = (node *)user_data;
    (void)account;
    (void)reason;
    if (message_id == n->message_id) {
        n->message_results++;
        n->message_status = status_code;
    }
}

static void n_on_transfer(sw_call *call, int32_t ev, int32_t status_code, const char *reason, sw_call *new_call,
                          void *user_data)
{
    node *n = (node *)user_data;
    (void)call;
    (void)reason;
    if (ev >= 0 && ev < 6) {
        n->transfer_events[ev]++;
    }
    n->transfer_status = status_code;
    if (ev == SW_TRANSFER_REFERRED) {
        n->referred_call = new_call;
    }
}

static void n_on_subscription(sw_subscription *sub, int32_t ev, int32_t status_code, const char *reason, int32_t expires,
                              const char *content_type, const uint8_t *body, int32_t body_length, void *user_data)
{
    node *n = (node *)user_data;
    (void)reason;
    (void)expires;
    (void)content_type;
    (void)body;
    (void)body_length;
    if (sub == n->sub && ev >= 0 && ev < 5) {
        n->sub_events[ev]++;
        n->sub_status = status_code;
    }
}

static void n_on_log(int32_t level, const char *line, void *user_data)
{
    node *n = (node *)user_data;
    if (level >= SW_LOG_DEBUG && level <= SW_LOG_ERROR && line != NULL && line[0] != '\0') {
        n->log_lines++;
    }
}

static node *add_node(const char *address)
{
    sw_endpoint_config cfg;
    sw_callbacks cb;
    node *n = &s_nodes[s_node_count++];
    memset(n, 0, sizeof *n);
    n->address = address;
    n->port = 5060;
    sw_callbacks_init(&cb);
    cb.on_registration = n_on_registration;
    cb.on_incoming_call = n_on_incoming;
    cb.on_call_state = n_on_call_state;
    cb.on_log = n_on_log;
    cb.on_message_received = n_on_message;
    cb.on_message_result = n_on_message_result;
    cb.on_transfer = n_on_transfer;
    cb.on_subscription = n_on_subscription;
    cb.user_data = n;
    sw_endpoint_config_init(&cfg);
    cfg.callbacks = &cb;
    cfg.transport_send = fw_send;
    cfg.transport_user_data = n;
    cfg.contact_address = address;
    cfg.udp_port = 5060;
    cfg.log_level = SW_LOG_DEBUG;
    if (sw_endpoint_create(&cfg, &n->ep) != SW_OK) {
        printf("FAIL add_node %s: %s\n", address, detail());
        s_failed++;
    }
    return n;
}

/* Polls every node until cond(arg) or the time is up. */
static int run_until(int (*cond)(void *), void *arg, int ms)
{
    int64_t end = now_ms() + ms;
    while (now_ms() < end) {
        int i;
        for (i = 0; i < s_node_count; i++) {
            if (s_nodes[i].ep != NULL) {
                sw_endpoint_poll(s_nodes[i].ep, 1);
            }
        }
        if (cond(arg)) {
            return 1;
        }
    }
    return cond(arg);
}

static int is_registered(void *arg) { return ((node *)arg)->registered; }
static int reg_failed(void *arg) { return ((node *)arg)->reg_failed > 0; }
static int is_unregistered(void *arg) { return ((node *)arg)->unregistered > 0; }
static int has_incoming(void *arg) { return ((node *)arg)->incoming_count > 0; }
static int is_established(void *arg) { return ((node *)arg)->established > 0; }
static int is_ended(void *arg) { return ((node *)arg)->ended > 0; }
static int media_updated(void *arg) { return ((node *)arg)->media_updated > 0; }
static int got_message_result(void *arg) { return ((node *)arg)->message_results > 0; }
static int sub_terminated(void *arg) { return ((node *)arg)->sub_events[SW_SUB_TERMINATED] > 0; }
static int transfer_done(void *arg)
{
    node *n = (node *)arg;
    return n->transfer_events[SW_TRANSFER_SUCCEEDED] + n->transfer_events[SW_TRANSFER_FAILED] > 0;
}
static int never(void *arg) { (void)arg; return 0; }

static void test_version(void)
{
    CHECK(sw_version() == (uint32_t)SW_VERSION_NUMBER);
}

static void test_status_str(void)
{
    const sw_status all[] = {SW_OK,      SW_E_INVALID_ARG, SW_E_BUFFER_TOO_SMALL, SW_E_INVALID_STATE, SW_E_NO_MEMORY,
                             SW_E_LIMIT, SW_E_NETWORK,     SW_E_INTERNAL};
    size_t i;
    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *s = sw_status_str(all[i]);
        CHECK(s != NULL && s[0] != '\0' && strcmp(s, "unknown status") != 0);
    }
    CHECK(strcmp(sw_status_str(SW_OK), "ok") == 0);
    CHECK(strcmp(sw_status_str(12345), "unknown status") == 0);
    /* The same static string every time: the caller never frees it. */
    CHECK(sw_status_str(SW_E_LIMIT) == sw_status_str(SW_E_LIMIT));
}

static void test_config_init(void)
{
    sw_endpoint_config cfg;
    CHECK(sw_endpoint_config_init(NULL) == SW_E_INVALID_ARG);
    CHECK(strcmp(detail(), "config is NULL") == 0);
    memset(&cfg, 0xAB, sizeof cfg);
    CHECK(sw_endpoint_config_init(&cfg) == SW_OK);
    CHECK(cfg.struct_size == sizeof cfg);
    CHECK(cfg.max_transactions == 256 && cfg.max_dialogs == 64);
    CHECK(cfg.t1_ms == 500 && cfg.t2_ms == 4000 && cfg.t4_ms == 5000);
    CHECK(cfg.user_agent == NULL);
    CHECK(cfg.callbacks == NULL && cfg.bind_address == NULL && cfg.contact_address == NULL);
    CHECK(cfg.udp_port == 0 && cfg.tcp_port == -1 && cfg.log_level == SW_LOG_INFO);
    CHECK(cfg.transport_send == NULL && cfg.transport_user_data == NULL);
    CHECK(cfg.tls_port == -1 && cfg.tls_provider == NULL);
}

/* The TLS I/O exports only serve a provider inside its callbacks: anything else is refused. */
static void test_tls_io(void)
{
    uint8_t buf[16] = {0};
    int32_t got = 7;
    CHECK(sw_tls_io_send(NULL, buf, 1) == SW_E_INVALID_ARG);
    CHECK(sw_tls_io_send((sw_tls_io *)(uintptr_t)0x4242, buf, 1) == SW_E_INVALID_ARG);
    CHECK(sw_tls_io_recv(NULL, buf, (int32_t)sizeof buf, &got) == SW_E_INVALID_ARG && got == 0);
    CHECK(sw_tls_io_recv((sw_tls_io *)(uintptr_t)0x4242, buf, (int32_t)sizeof buf, &got) == SW_E_INVALID_ARG);
    CHECK(sw_tls_io_recv((sw_tls_io *)(uintptr_t)0x4242, buf, (int32_t)sizeof buf, NULL) == SW_E_INVALID_ARG);
}

static void expect_create_rejected(const sw_endpoint_config *cfg, const char *detail_part)
{
    sw_endpoint *ep = (sw_endpoint *)&ep; /* must be reset to NULL */
    CHECK(sw_endpoint_create(cfg, &ep) == SW_E_INVALID_ARG);
    CHECK(ep == NULL);
    CHECK(strstr(detail(), detail_part) != NULL);
}

static void test_create_invalid(void)
{
    sw_endpoint_config cfg;
    sw_endpoint_config_init(&cfg);

    CHECK(sw_endpoint_create(&cfg, NULL) == SW_E_INVALID_ARG);
    expect_create_rejected(NULL, "config is NULL");

    cfg.struct_size = 8;
    expect_create_rejected(&cfg, "struct_size");
    sw_endpoint_config_init(&cfg);

    cfg.max_transactions = 0;
    expect_create_rejected(&cfg, "MaxTransactions");
    sw_endpoint_config_init(&cfg);

    cfg.t1_ms = 1000;
    cfg.t2_ms = 500;
    expect_create_rejected(&cfg, "T2");
    sw_endpoint_config_init(&cfg);

    cfg.user_agent = "phone\r\nVia: forged";
    expect_create_rejected(&cfg, "control characters");

    cfg.user_agent = "\xC3\x28 bad UTF-8";
    expect_create_rejected(&cfg, "UTF-8");
    sw_endpoint_config_init(&cfg);

    {
        sw_callbacks cb;
        CHECK(sw_callbacks_init(NULL) == SW_E_INVALID_ARG);
        memset(&cb, 0x5A, sizeof cb);
        CHECK(sw_callbacks_init(&cb) == SW_OK);
        CHECK(cb.struct_size == sizeof cb && cb.on_log == NULL && cb.on_call_state == NULL && cb.user_data == NULL);
        cb.struct_size = 4;
        cfg.callbacks = &cb;
        expect_create_rejected(&cfg, "sw_callbacks_init");
        sw_endpoint_config_init(&cfg);
    }
    cfg.bind_address = "not-an-address";
    expect_create_rejected(&cfg, "bind_address");
    sw_endpoint_config_init(&cfg);
    cfg.log_level = 9;
    expect_create_rejected(&cfg, "log_level");
    sw_endpoint_config_init(&cfg);
    cfg.udp_port = 70000;
    expect_create_rejected(&cfg, "udp_port");
    sw_endpoint_config_init(&cfg);
    cfg.contact_address = "host.example";
    expect_create_rejected(&cfg, "contact_address");
    sw_endpoint_config_init(&cfg);
    cfg.tls_port = 0;
    expect_create_rejected(&cfg, "tls_provider");
    {
        sw_tls_provider tls;
        memset(&tls, 0, sizeof tls);
        tls.struct_size = sizeof tls;
        cfg.tls_provider = &tls;
        expect_create_rejected(&cfg, "all five callbacks");
    }
    sw_endpoint_config_init(&cfg);
    cfg.transport_send = fw_send;
    expect_create_rejected(&cfg, "contact_address is required");
    cfg.contact_address = "10.0.0.1";
    cfg.udp_port = 0;
    expect_create_rejected(&cfg, "udp_port must be the port");
}

static void test_lifecycle(void)
{
    sw_endpoint_config cfg;
    sw_endpoint_config got;
    sw_endpoint *ep = NULL;

    sw_endpoint_config_init(&cfg);
    cfg.max_dialogs = 8;
    cfg.t1_ms = 250;
    cfg.user_agent = "Sipwire ABI test \xE2\x9C\x93";
    CHECK(sw_endpoint_create(&cfg, &ep) == SW_OK);
    CHECK(ep != NULL);

    memset(&got, 0, sizeof got);
    CHECK(sw_endpoint_get_config(ep, &got) == SW_OK);
    CHECK(got.struct_size == sizeof got && got.max_dialogs == 8 && got.t1_ms == 250);
    CHECK(sw_endpoint_get_config(ep, NULL) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_get_config(NULL, &got) == SW_E_INVALID_ARG);

    sw_endpoint_destroy(ep);
    /* Stale handle: rejected, never dereferenced. */
    CHECK(sw_endpoint_get_config(ep, &got) == SW_E_INVALID_ARG);
    CHECK(strstr(detail(), "destroyed") != NULL);
    sw_endpoint_destroy(ep);
    sw_endpoint_destroy(NULL);
    /* Forged handle values. */
    CHECK(sw_endpoint_get_config((sw_endpoint *)(uintptr_t)0x12345, &got) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_get_config((sw_endpoint *)(uintptr_t)-1, &got) == SW_E_INVALID_ARG);
    sw_endpoint_destroy((sw_endpoint *)(uintptr_t)0x12345);
}

static void test_limit(void)
{
    enum { LIMIT = 64 };
    sw_endpoint *eps[LIMIT];
    sw_endpoint *extra = NULL;
    sw_endpoint_config cfg;
    int i;
    int ok = 1;

    sw_endpoint_config_init(&cfg);
    for (i = 0; i < LIMIT; i++) {
        ok &= sw_endpoint_create(&cfg, &eps[i]) == SW_OK;
    }
    CHECK(ok);
    CHECK(sw_endpoint_create(&cfg, &extra) == SW_E_LIMIT);
    CHECK(extra == NULL);
    for (i = 0; i < LIMIT; i++) {
        sw_endpoint_destroy(eps[i]);
    }
    /* Slots are reused after destroy, and old handles stay stale. */
    CHECK(sw_endpoint_create(&cfg, &extra) == SW_OK);
    CHECK(extra != eps[LIMIT - 1] && extra != eps[0]);
    sw_endpoint_destroy(extra);
}

static void test_short_buffers(void)
{
    char small[4];
    char big[256];
    int32_t needed = 0;

    CHECK(sw_endpoint_config_init(NULL) == SW_E_INVALID_ARG); /* detail = "config is NULL" */
    CHECK(sw_last_error_detail(NULL, 0, &needed) == SW_E_BUFFER_TOO_SMALL);
    CHECK(needed == (int32_t)strlen("config is NULL") + 1);
    memset(small, 'x', sizeof small);
    CHECK(sw_last_error_detail(small, (int32_t)sizeof small, &needed) == SW_E_BUFFER_TOO_SMALL);
    CHECK(small[0] == 'x'); /* nothing written */
    CHECK(sw_last_error_detail(big, needed, NULL) == SW_OK);
    CHECK(strcmp(big, "config is NULL") == 0);
    CHECK(sw_last_error_detail(NULL, 10, &needed) == SW_E_INVALID_ARG);
    CHECK(sw_last_error_detail(big, -1, &needed) == SW_E_INVALID_ARG);
}

static void *second_thread(void *arg)
{
    char buf[64];
    int32_t needed = 0;
    (void)arg;
    /* A fresh thread has no detail of its own, whatever the main thread did. */
    if (sw_last_error_detail(buf, (int32_t)sizeof buf, &needed) != SW_OK || buf[0] != '\0') {
        return (void *)1;
    }
    if (sw_endpoint_config_init(NULL) != SW_E_INVALID_ARG) {
        return (void *)2;
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t t;
    void *result = (void *)99;
    CHECK(sw_endpoint_create(NULL, NULL) == SW_E_INVALID_ARG);
    CHECK(pthread_create(&t, NULL, second_thread, NULL) == 0);
    CHECK(pthread_join(t, &result) == 0);
    CHECK(result == NULL);
    CHECK(strcmp(detail(), "out_endpoint is NULL") == 0);
}

static void test_accounts_and_calls(void)
{
    node *reg;
    node *alice;
    node *bob;
    sw_account_config ac;
    sw_account *acc = NULL;
    sw_call *call = NULL;
    sw_call *ended_call;
    char small[4];
    char remote[64];
    int32_t needed = 0;
    int i;

    s_node_count = 0;
    reg = add_node("10.0.0.1");
    alice = add_node("10.0.0.2");
    bob = add_node("10.0.0.3");

    /* The registrar role. */
    CHECK(sw_registrar_start(NULL, "demo.test", 1) == SW_E_INVALID_ARG);
    CHECK(sw_registrar_start(reg->ep, NULL, 1) == SW_E_INVALID_ARG);
    CHECK(sw_registrar_start(reg->ep, "demo test\r\n", 1) == SW_E_INVALID_ARG);
    CHECK(sw_registrar_start(reg->ep, "demo.test", 1) == SW_OK);
    CHECK(sw_registrar_start(reg->ep, "demo.test", 1) == SW_E_INVALID_STATE);
    CHECK(sw_registrar_add_user(reg->ep, NULL, "pw") == SW_E_INVALID_ARG);
    CHECK(sw_registrar_add_user(reg->ep, "alice", NULL) == SW_E_INVALID_ARG);
    CHECK(sw_registrar_add_user(NULL, "alice", "pw") == SW_E_INVALID_ARG);
    CHECK(sw_registrar_add_user(reg->ep, "alice", "alice-pw") == SW_OK);
    CHECK(sw_registrar_add_user(reg->ep, "bob", "bob-pw") == SW_OK);

    /* Account configuration errors: each named by the detail, out_account reset to NULL. */
    CHECK(sw_account_config_init(NULL) == SW_E_INVALID_ARG);
    memset(&ac, 0x33, sizeof ac);
    CHECK(sw_account_config_init(&ac) == SW_OK);
    CHECK(ac.struct_size == sizeof ac && ac.expires == 3600 && ac.aor == NULL && ac.password == NULL);
    acc = (sw_account *)&acc;
    CHECK(sw_account_add(alice->ep, &ac, &acc) == SW_E_INVALID_ARG && acc == NULL);
    CHECK(strstr(detail(), "aor") != NULL);
    CHECK(sw_account_add(alice->ep, NULL, &acc) == SW_E_INVALID_ARG);
    CHECK(sw_account_add(alice->ep, &ac, NULL) == SW_E_INVALID_ARG);
    CHECK(sw_account_add(NULL, &ac, &acc) == SW_E_INVALID_ARG);
    ac.aor = "sip:alice@demo.test";
    ac.registrar = "sip:registrar.demo.test";
    CHECK(sw_account_add(alice->ep, &ac, &acc) == SW_E_INVALID_ARG && strstr(detail(), "IP-address host") != NULL);
    ac.registrar = "sip:10.0.0.1:5060";
    ac.aor = "tel:+15550100";
    CHECK(sw_account_add(alice->ep, &ac, &acc) == SW_E_INVALID_ARG && strstr(detail(), "sip: or sips:") != NULL);
    ac.aor = "sip:alice@demo.test";
    ac.expires = 0;
    CHECK(sw_account_add(alice->ep, &ac, &acc) == SW_E_INVALID_ARG && strstr(detail(), "expires") != NULL);
    ac.expires = 120;
    ac.username = "alice";
    CHECK(sw_account_add(alice->ep, &ac, &acc) == SW_E_INVALID_ARG && strstr(detail(), "password") != NULL);
    ac.registrar = "sip:10.0.0.1:5060;transport=tcp";
    ac.password = "wrong";
    CHECK(sw_account_add(alice->ep, &ac, &acc) == SW_E_INVALID_ARG && strstr(detail(), "listener") != NULL);
    ac.registrar = "sip:10.0.0.1:5060";
    ac.struct_size = 3;
    CHECK(sw_account_add(alice->ep, &ac, &acc) == SW_E_INVALID_ARG && strstr(detail(), "struct_size") != NULL);
    ac.struct_size = sizeof ac;

    /* A wrong password is refused (401 again after the challenge), then fixed at run time. */
    CHECK(sw_account_add(alice->ep, &ac, &alice->account) == SW_OK && alice->account != NULL);
    CHECK(sw_account_register(NULL) == SW_E_INVALID_ARG);
    CHECK(sw_account_register(alice->account) == SW_OK);
    CHECK(alice->reg_events == 0); /* events only inside poll */
    CHECK(run_until(reg_failed, alice, 5000));
    CHECK(alice->last_reg_status == 401 || alice->last_reg_status == 403);
    CHECK(sw_account_set_credentials(alice->account, "alice", NULL, NULL) == SW_E_INVALID_ARG);
    CHECK(sw_account_set_credentials(NULL, "alice", "alice-pw", NULL) == SW_E_INVALID_ARG);
    CHECK(sw_account_set_credentials(alice->account, "alice", "alice-pw", "demo.test") == SW_OK);
    CHECK(sw_account_register(alice->account) == SW_OK);
    CHECK(run_until(is_registered, alice, 5000));
    CHECK(alice->last_reg_status == 200);
    CHECK(alice->log_lines > 0 && reg->log_lines > 0);

    ac.aor = "sip:bob@demo.test";
    ac.username = "bob";
    ac.password = "bob-pw";
    CHECK(sw_account_add(bob->ep, &ac, &bob->account) == SW_OK);
    CHECK(sw_account_register(bob->account) == SW_OK);
    CHECK(run_until(is_registered, bob, 5000));

    /* A call straight to bob's IP (no outbound proxy); bob answers from inside its callback. */
    bob->answer_in_callback = 1;
    CHECK(sw_call_make(NULL, "sip:bob@10.0.0.3:5060", &call) == SW_E_INVALID_ARG);
    CHECK(sw_call_make(alice->account, NULL, &call) == SW_E_INVALID_ARG);
    CHECK(sw_call_make(alice->account, "sip:bob@10.0.0.3:5060", NULL) == SW_E_INVALID_ARG);
    CHECK(sw_call_make(alice->account, "not a uri", &call) == SW_E_INVALID_ARG && call == NULL);
    CHECK(sw_call_make(alice->account, "sip:bob@10.0.0.3:5060", &call) == SW_OK && call != NULL);
    CHECK(run_until(is_established, alice, 5000));
    CHECK(bob->incoming_count == 1 && bob->established == 1);
    CHECK(bob->stale_ok >= 1); /* get_remote from inside on_incoming_call matched "from" */

    CHECK(sw_call_get_remote(call, small, (int32_t)sizeof small, &needed) == SW_E_BUFFER_TOO_SMALL);
    CHECK(needed == (int32_t)strlen("sip:bob@10.0.0.3:5060") + 1);
    CHECK(sw_call_get_remote(call, remote, (int32_t)sizeof remote, &needed) == SW_OK);
    CHECK(strcmp(remote, "sip:bob@10.0.0.3:5060") == 0);
    CHECK(sw_call_get_remote(NULL, remote, (int32_t)sizeof remote, &needed) == SW_E_INVALID_ARG);

    /* Wrong state and bad arguments on a live call. */
    CHECK(sw_call_answer(call) == SW_E_INVALID_STATE);
    CHECK(strstr(detail(), "Active") != NULL);
    CHECK(sw_call_reject(call, 486) == SW_E_INVALID_STATE);
    CHECK(sw_call_reject(call, 200) == SW_E_INVALID_ARG);
    CHECK(sw_call_send_dtmf(call, "12x", 160) == SW_E_INVALID_ARG);
    CHECK(sw_call_send_dtmf(call, "", 160) == SW_E_INVALID_ARG);
    CHECK(sw_call_send_dtmf(call, NULL, 160) == SW_E_INVALID_ARG);
    CHECK(sw_call_send_dtmf(call, "1", 10) == SW_E_INVALID_ARG);
    CHECK(sw_call_send_dtmf(call, "159#*D", 160) == SW_OK);
    CHECK(strstr(alice->last_sent, "INFO ") == alice->last_sent);

    /* Hold and resume: re-INVITEs, MEDIA_UPDATED on both sides. */
    CHECK(sw_call_hold(call) == SW_OK);
    CHECK(run_until(media_updated, alice, 5000));
    alice->media_updated = 0;
    CHECK(sw_call_resume(call) == SW_OK);
    CHECK(run_until(media_updated, alice, 5000));
    CHECK(bob->media_updated >= 2);

    /* Hang up: ENDED on both sides, then the handle is stale and never dereferenced. */
    CHECK(sw_call_hangup(call) == SW_OK);
    CHECK(run_until(is_ended, alice, 5000));
    CHECK(run_until(is_ended, bob, 5000));
    CHECK(alice->stale_ok >= 1); /* the handle was still valid inside the ENDED callback */
    CHECK(sw_call_hangup(call) == SW_E_INVALID_ARG);
    CHECK(strstr(detail(), "stale") != NULL);
    CHECK(sw_call_get_remote(call, remote, (int32_t)sizeof remote, &needed) == SW_E_INVALID_ARG);
    CHECK(sw_call_hold(call) == SW_E_INVALID_ARG);
    CHECK(sw_call_resume(call) == SW_E_INVALID_ARG);
    CHECK(sw_call_send_dtmf(call, "1", 160) == SW_E_INVALID_ARG);
    CHECK(sw_call_answer(bob->incoming) == SW_E_INVALID_ARG);
    CHECK(sw_call_reject(bob->incoming, 486) == SW_E_INVALID_ARG);

    /* Rejected: a 486 arrives as data in the ENDED event. */
    alice->ended = 0;
    bob->reject_code = 486;
    CHECK(sw_call_make(alice->account, "sip:bob@10.0.0.3:5060", &call) == SW_OK);
    CHECK(run_until(is_ended, alice, 5000));
    CHECK(alice->ended_status == 486);

    /* No route to the target: the firmware's send fails, the call ends with 503 (RFC 3261 §8.1.3.1). */
    alice->ended = 0;
    CHECK(sw_call_make(alice->account, "sip:carol@10.0.0.9:5060", &call) == SW_OK);
    CHECK(run_until(is_ended, alice, 5000));
    CHECK(alice->ended_status == 503);

    /* Hang up an outgoing call that still rings: CANCEL, 487. */
    alice->ended = 0;
    bob->reject_code = 0;
    bob->answer_in_callback = 0;
    bob->incoming_count = 0;
    CHECK(sw_call_make(alice->account, "sip:bob@10.0.0.3:5060", &call) == SW_OK);
    CHECK(run_until(has_incoming, bob, 5000));
    run_until(never, NULL, 50);
    ended_call = call;
    CHECK(sw_call_hangup(call) == SW_OK);
    CHECK(run_until(is_ended, alice, 5000));
    CHECK(alice->ended_status == 487);
    CHECK(sw_call_get_remote(ended_call, NULL, 0, &needed) == SW_E_INVALID_ARG);

    /* Firmware input: argument checks, and a malformed request is answered 400 (RFC 3261 §21.4.1). */
    {
        static const char bad[] = "OPTIONS sip:bob@10.0.0.3 SIP/2.0\r\n"
                                  "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKabi1\r\n"
                                  "From: <sip:alice@demo.test>;tag=1\r\nTo: <sip:bob@demo.test>\r\n"
                                  "Call-ID: abi-bad-cseq\r\nCSeq: abc OPTIONS\r\nMax-Forwards: 70\r\n"
                                  "Content-Length: 0\r\n\r\n";
        const uint8_t *b = (const uint8_t *)bad;
        int32_t n = (int32_t)strlen(bad);
        CHECK(sw_endpoint_input(NULL, SW_TRANSPORT_UDP, b, n, "10.0.0.2:5060") == SW_E_INVALID_ARG);
        CHECK(sw_endpoint_input(bob->ep, SW_TRANSPORT_UDP, NULL, n, "10.0.0.2:5060") == SW_E_INVALID_ARG);
        CHECK(sw_endpoint_input(bob->ep, SW_TRANSPORT_UDP, b, 0, "10.0.0.2:5060") == SW_E_INVALID_ARG);
        CHECK(sw_endpoint_input(bob->ep, 7, b, n, "10.0.0.2:5060") == SW_E_INVALID_ARG);
        CHECK(sw_endpoint_input(bob->ep, SW_TRANSPORT_UDP, b, n, "nowhere") == SW_E_INVALID_ARG);
        CHECK(sw_endpoint_input(bob->ep, SW_TRANSPORT_UDP, b, n, NULL) == SW_E_INVALID_ARG);
        CHECK(sw_endpoint_input(bob->ep, SW_TRANSPORT_UDP, b, 1 << 20, "10.0.0.2:5060") == SW_E_INVALID_ARG);
        bob->last_sent[0] = '\0';
        CHECK(sw_endpoint_input(bob->ep, SW_TRANSPORT_UDP, b, n, "10.0.0.2:5060") == SW_OK);
        run_until(never, NULL, 30);
        CHECK(strncmp(bob->last_sent, "SIP/2.0 400", 11) == 0);
    }

    /* MESSAGE (RFC 3428): delivered to bob's callback, 200 back to alice's. */
    CHECK(sw_message_send(NULL, "sip:bob@10.0.0.3:5060", "text/plain", (const uint8_t *)"hi", 2, NULL) == SW_E_INVALID_ARG);
    CHECK(sw_message_send(alice->account, NULL, "text/plain", (const uint8_t *)"hi", 2, NULL) == SW_E_INVALID_ARG);
    CHECK(sw_message_send(alice->account, "sip:bob@10.0.0.3:5060", NULL, (const uint8_t *)"hi", 2, NULL) == SW_E_INVALID_ARG);
    CHECK(sw_message_send(alice->account, "sip:bob@10.0.0.3:5060", "text/plain", NULL, 2, NULL) == SW_E_INVALID_ARG);
    CHECK(sw_message_send(alice->account, "sip:bob@10.0.0.3:5060", "text/plain", (const uint8_t *)"hi", -1, NULL) == SW_E_INVALID_ARG);
    CHECK(sw_message_send(alice->account, "sip:bob@10.0.0.3:5060", "text/plain;charset=UTF-8",
                          (const uint8_t *)"hello bob", 9, &alice->message_id) == SW_OK);
    CHECK(run_until(got_message_result, alice, 5000));
    CHECK(alice->message_status == 200);
    CHECK(bob->messages == 1 && strcmp(bob->message_body, "hello bob") == 0);
    CHECK(strncmp(bob->message_type, "text/plain", 10) == 0);

    /* SUBSCRIBE to a package bob does not serve: 489 Bad Event ends it (RFC 6665 §4.1.2.1), handle stale after. */
    {
        sw_subscription *sub = (sw_subscription *)&sub;
        CHECK(sw_subscription_create(NULL, "presence", "sip:bob@10.0.0.3:5060", NULL, 60, &sub) == SW_E_INVALID_ARG && sub == NULL);
        CHECK(sw_subscription_create(alice->account, NULL, "sip:bob@10.0.0.3:5060", NULL, 60, &sub) == SW_E_INVALID_ARG);
        CHECK(sw_subscription_create(alice->account, "presence", NULL, NULL, 60, &sub) == SW_E_INVALID_ARG);
        CHECK(sw_subscription_create(alice->account, "presence", "sip:bob@10.0.0.3:5060", NULL, -5, &sub) == SW_E_INVALID_ARG);
        CHECK(sw_subscription_create(alice->account, "presence", "sip:bob@10.0.0.3:5060", "bogus", 60, &sub) == SW_E_INVALID_ARG);
        CHECK(sw_subscription_create(alice->account, "presence", "sip:bob@10.0.0.3:5060", NULL, 60, NULL) == SW_E_INVALID_ARG);
        CHECK(sw_subscription_create(alice->account, "presence", "sip:bob@10.0.0.3:5060", "application/pidf+xml", 60,
                                     &alice->sub) == SW_OK);
        CHECK(run_until(sub_terminated, alice, 5000));
        CHECK(alice->sub_status == 489);
        CHECK(sw_subscription_stop(alice->sub) == SW_E_INVALID_ARG);
        CHECK(sw_subscription_stop(NULL) == SW_E_INVALID_ARG);
    }

    /* Blind transfer (RFC 5589 §6): alice calls bob, refers bob to carol; bob's new call reaches carol. */
    {
        node *carol = add_node("10.0.0.4");
        sw_call *first = NULL;
        ac.aor = "sip:carol@demo.test";
        ac.username = NULL;
        ac.password = NULL;
        CHECK(sw_account_add(carol->ep, &ac, &carol->account) == SW_OK);
        carol->answer_in_callback = 1;
        bob->answer_in_callback = 1;
        bob->reject_code = 0;
        alice->established = 0;
        alice->ended = 0;
        CHECK(sw_call_make(alice->account, "sip:bob@10.0.0.3:5060", &first) == SW_OK);
        CHECK(run_until(is_established, alice, 5000));
        CHECK(sw_call_transfer(NULL, "sip:carol@10.0.0.4:5060") == SW_E_INVALID_ARG);
        CHECK(sw_call_transfer(first, NULL) == SW_E_INVALID_ARG);
        CHECK(sw_call_transfer(first, "carol") == SW_E_INVALID_ARG);
        CHECK(sw_call_transfer_attended(first, first) == SW_E_INVALID_ARG);
        CHECK(sw_call_transfer_attended(first, NULL) == SW_E_INVALID_ARG);
        CHECK(sw_call_transfer_attended(NULL, first) == SW_E_INVALID_ARG);
        CHECK(sw_call_transfer(first, "sip:carol@10.0.0.4:5060") == SW_OK);
        CHECK(sw_call_transfer(first, "sip:carol@10.0.0.4:5060") == SW_E_INVALID_STATE);
        CHECK(run_until(transfer_done, alice, 8000));
        CHECK(alice->transfer_events[SW_TRANSFER_SUCCEEDED] == 1);
        CHECK(bob->transfer_events[SW_TRANSFER_REFERRED] == 1 && bob->referred_call != NULL);
        CHECK(carol->incoming_count == 1);
        CHECK(run_until(is_ended, alice, 5000)); /* the transferred call is hung up */
        CHECK(sw_call_hangup(bob->referred_call) == SW_OK);
        CHECK(run_until(is_ended, carol, 5000));
    }

    /* Unregister (RFC 3261 §10.2.2). */
    CHECK(sw_account_unregister(NULL) == SW_E_INVALID_ARG);
    CHECK(sw_account_unregister(alice->account) == SW_OK);
    CHECK(run_until(is_unregistered, alice, 5000));
    CHECK(alice->stale_ok >= 0); /* every registration event named the right account */

    for (i = 0; i < s_node_count; i++) {
        sw_endpoint_destroy(s_nodes[i].ep);
    }
    /* Every handle of a destroyed endpoint is stale. */
    CHECK(sw_account_register(alice->account) == SW_E_INVALID_ARG);
    CHECK(sw_account_set_credentials(bob->account, "bob", "x", NULL) == SW_E_INVALID_ARG);
    CHECK(sw_call_make(bob->account, "sip:alice@10.0.0.2", &call) == SW_E_INVALID_ARG);
    CHECK(sw_registrar_add_user(reg->ep, "carol", "pw") == SW_E_INVALID_ARG);
    /* Forged handles. */
    CHECK(sw_account_register((sw_account *)(uintptr_t)0x777) == SW_E_INVALID_ARG);
    CHECK(sw_call_hangup((sw_call *)(uintptr_t)0x777) == SW_E_INVALID_ARG);
    CHECK(sw_call_answer(NULL) == SW_E_INVALID_ARG && sw_call_hold(NULL) == SW_E_INVALID_ARG);
    CHECK(sw_call_resume(NULL) == SW_E_INVALID_ARG && sw_call_hangup(NULL) == SW_E_INVALID_ARG);
    CHECK(sw_call_reject(NULL, 486) == SW_E_INVALID_ARG && sw_call_send_dtmf(NULL, "1", 160) == SW_E_INVALID_ARG);
}

typedef struct {
    sw_endpoint *ep;
    int runs;
    int reentrant_poll;
    int get_config_ok;
    int repost;
    int destroy;
    pthread_t poll_thread;
    int wrong_thread;
} post_state;

static void posted(void *user_data)
{
    post_state *p = (post_state *)user_data;
    sw_endpoint_config got;
    p->runs++;
    if (!pthread_equal(pthread_self(), p->poll_thread)) {
        p->wrong_thread++;
    }
    /* Callbacks may call back into the API, but not poll itself. */
    p->reentrant_poll = sw_endpoint_poll(p->ep, 0);
    p->get_config_ok = sw_endpoint_get_config(p->ep, &got) == SW_OK;
    if (p->repost > 0) {
        p->repost--;
        sw_endpoint_post(p->ep, posted, p);
    }
    if (p->destroy) {
        sw_endpoint_destroy(p->ep);
    }
}

typedef struct {
    sw_endpoint *ep;
    post_state *state;
    int count;
    int delay_ms;
    int failures;
} poster_args;

static void *poster(void *arg)
{
    poster_args *a = (poster_args *)arg;
    int i;
    if (a->delay_ms > 0) {
        struct timespec ts;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)a->delay_ms * 1000000L;
        nanosleep(&ts, NULL);
    }
    for (i = 0; i < a->count; i++) {
        if (sw_endpoint_post(a->ep, posted, a->state) != SW_OK) {
            a->failures++;
        }
    }
    return NULL;
}

static void test_poll_post(void)
{
    sw_endpoint_config cfg;
    sw_endpoint *ep = NULL;
    post_state ps;
    pthread_t threads[4];
    poster_args args[4];
    int64_t started;
    int i;

    sw_endpoint_config_init(&cfg);
    cfg.bind_address = "127.0.0.1";
    CHECK(sw_endpoint_create(&cfg, &ep) == SW_OK);
    memset(&ps, 0, sizeof ps);
    ps.ep = ep;
    ps.poll_thread = pthread_self();

    CHECK(sw_endpoint_poll(NULL, 0) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_poll(ep, -1) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_post(ep, NULL, &ps) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_post(NULL, posted, &ps) == SW_E_INVALID_ARG);

    /* Posted work runs only inside poll, on the polling thread; re-posts run in the same poll. */
    ps.repost = 1;
    CHECK(sw_endpoint_post(ep, posted, &ps) == SW_OK);
    CHECK(ps.runs == 0);
    CHECK(sw_endpoint_poll(ep, 0) == SW_OK);
    CHECK(ps.runs == 2);
    CHECK(ps.reentrant_poll == SW_E_INVALID_STATE && ps.get_config_ok);

    /* A post from another thread wakes a long poll early. */
    ps.runs = 0;
    args[0].ep = ep;
    args[0].state = &ps;
    args[0].count = 1;
    args[0].delay_ms = 100;
    args[0].failures = 0;
    started = now_ms();
    CHECK(pthread_create(&threads[0], NULL, poster, &args[0]) == 0);
    while (ps.runs == 0 && now_ms() - started < 10000) {
        CHECK(sw_endpoint_poll(ep, 5000) == SW_OK);
    }
    CHECK(pthread_join(threads[0], NULL) == 0);
    CHECK(ps.runs == 1);
    CHECK(now_ms() - started < 2500);

    /* Four threads post 1000 each while this thread polls: every one runs once, on this thread. */
    ps.runs = 0;
    for (i = 0; i < 4; i++) {
        args[i].ep = ep;
        args[i].state = &ps;
        args[i].count = 1000;
        args[i].delay_ms = 0;
        args[i].failures = 0;
        CHECK(pthread_create(&threads[i], NULL, poster, &args[i]) == 0);
    }
    started = now_ms();
    while (ps.runs < 4000 && now_ms() - started < 20000) {
        sw_endpoint_poll(ep, 10);
    }
    for (i = 0; i < 4; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(args[i].failures == 0);
    }
    CHECK(ps.runs == 4000);
    CHECK(ps.wrong_thread == 0);

    /* Destroy from inside a callback: the endpoint goes when the poll returns; later work never runs. */
    ps.runs = 0;
    ps.destroy = 1;
    CHECK(sw_endpoint_post(ep, posted, &ps) == SW_OK);
    CHECK(sw_endpoint_post(ep, posted, &ps) == SW_OK);
    CHECK(sw_endpoint_poll(ep, 0) == SW_OK);
    CHECK(ps.runs == 1);
    CHECK(sw_endpoint_poll(ep, 0) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_post(ep, posted, &ps) == SW_E_INVALID_ARG);
}

static void test_transports(void)
{
    sw_endpoint_config cfg;
    sw_endpoint *ep = NULL;
    sw_endpoint *clash = NULL;
    char buf[64];
    char small[4];
    int32_t needed = 0;

    sw_endpoint_config_init(&cfg);
    cfg.bind_address = "127.0.0.1";
    cfg.tcp_port = 0;
    CHECK(sw_endpoint_create(&cfg, &ep) == SW_OK);
    CHECK(sw_endpoint_get_local_address(ep, SW_TRANSPORT_UDP, buf, (int32_t)sizeof buf, &needed) == SW_OK);
    CHECK(strncmp(buf, "127.0.0.1:", 10) == 0 && atoi(buf + 10) > 0);
    CHECK(sw_endpoint_get_local_address(ep, SW_TRANSPORT_UDP, small, (int32_t)sizeof small, &needed) == SW_E_BUFFER_TOO_SMALL);
    CHECK(needed == (int32_t)strlen(buf) + 1);
    CHECK(sw_endpoint_get_local_address(ep, SW_TRANSPORT_TCP, buf, (int32_t)sizeof buf, &needed) == SW_OK);
    CHECK(sw_endpoint_get_local_address(ep, SW_TRANSPORT_TLS, buf, (int32_t)sizeof buf, &needed) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_get_local_address(NULL, SW_TRANSPORT_UDP, buf, (int32_t)sizeof buf, &needed) == SW_E_INVALID_ARG);
    /* Input is for firmware-transport endpoints only. */
    CHECK(sw_endpoint_input(ep, SW_TRANSPORT_UDP, (const uint8_t *)"x", 1, "127.0.0.1:5060") == SW_E_INVALID_STATE);
    CHECK(sw_endpoint_get_local_address(ep, SW_TRANSPORT_UDP, buf, (int32_t)sizeof buf, &needed) == SW_OK);
    /* The same UDP port twice: SW_E_NETWORK, not a crash. */
    cfg.tcp_port = -1;
    cfg.udp_port = atoi(buf + 10);
    CHECK(sw_endpoint_create(&cfg, &clash) == SW_E_NETWORK && clash == NULL);
    sw_endpoint_destroy(ep);

    /* IPv6 listeners. */
    sw_endpoint_config_init(&cfg);
    cfg.bind_address = "::1";
    cfg.tcp_port = 0;
    CHECK(sw_endpoint_create(&cfg, &ep) == SW_OK);
    CHECK(sw_endpoint_get_local_address(ep, SW_TRANSPORT_UDP, buf, (int32_t)sizeof buf, &needed) == SW_OK);
    CHECK(strncmp(buf, "[::1]:", 6) == 0);
    sw_endpoint_destroy(ep);
    CHECK(sw_endpoint_get_local_address(ep, SW_TRANSPORT_UDP, buf, (int32_t)sizeof buf, &needed) == SW_E_INVALID_ARG);
}

static long rss_kib(void)
{
    long pages_total = 0;
    long pages_resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL) {
        return -1;
    }
    if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) {
        pages_resident = -1;
    }
    fclose(f);
    return pages_resident < 0 ? -1 : pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* create/destroy many times: resident memory must not grow (no handle, socket or heap leak). */
static void test_create_destroy_rss(void)
{
    enum { WARMUP = 1000, ROUNDS = 10000 };
    sw_endpoint_config cfg;
    sw_endpoint *ep = NULL;
    long before;
    long after;
    int i;
    int ok = 1;
    const char *env = getenv("SW_ABI_RSS_ROUNDS");
    int rounds = env != NULL ? atoi(env) : ROUNDS;

    sw_endpoint_config_init(&cfg);
    cfg.bind_address = "127.0.0.1";
    for (i = 0; i < WARMUP; i++) {
        ok &= sw_endpoint_create(&cfg, &ep) == SW_OK;
        sw_endpoint_destroy(ep);
    }
    before = rss_kib();
    for (i = 0; i < rounds; i++) {
        ok &= sw_endpoint_create(&cfg, &ep) == SW_OK;
        sw_endpoint_destroy(ep);
    }
    after = rss_kib();
    CHECK(ok);
    CHECK(before > 0 && after > 0);
    printf("create/destroy x%d: RSS %ld KiB -> %ld KiB (%+ld KiB)\n", rounds, before, after, after - before);
    /* 1 MiB over 10,000 rounds is 100 bytes per endpoint: a leak of any socket or table shows above it. */
    CHECK(after - before < 1024);
}

int main(void)
{
    test_version();
    test_status_str();
    test_config_init();
    test_create_invalid();
    test_lifecycle();
    test_limit();
    test_short_buffers();
    test_threads();
    test_tls_io();
    test_poll_post();
    test_transports();
    test_accounts_and_calls();
    test_create_destroy_rss();
    printf("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed == 0 ? 0 : 1;
}
