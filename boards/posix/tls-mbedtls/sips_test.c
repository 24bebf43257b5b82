/* SPDX-License-Identifier: MIT */
/* SIPS through the mbedTLS provider: a phone registers over TLS to a registrar endpoint; a wrong CA is refused. */
#define _POSIX_C_SOURCE 200809L
#include "sw_tls_mbedtls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

typedef struct {
    const char *name;
    int registered;
    int failed;
    int last_status;
    int tls_registers; /* registrar: REGISTERs that arrived over TLS */
} node;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *detail(void)
{
    static char buf[512];
    int32_t needed = 0;
    return sw_last_error_detail(buf, (int32_t)sizeof buf, &needed) == SW_OK ? buf : "?";
}

static void on_log(int32_t level, const char *line, void *user_data)
{
    node *n = (node *)user_data;
    (void)level;
    printf("  [%s] %s\n", n->name, line);
    if (strstr(line, "REGISTER") != NULL && strstr(line, "from TLS:") != NULL && strstr(line, "-> 200") != NULL) {
        n->tls_registers++;
    }
}

static void on_registration(sw_account *account, int32_t ev, int32_t status_code, const char *reason, int32_t expires,
                            void *user_data)
{
    node *n = (node *)user_data;
    (void)account;
    (void)reason;
    (void)expires;
    n->last_status = status_code;
    if (ev == SW_REG_REGISTERED) {
        n->registered = 1;
    } else if (ev == SW_REG_FAILED) {
        n->failed++;
    } else {
        n->registered = 0;
    }
}

static sw_endpoint *make(node *n, sw_callbacks *cb, const sw_tls_provider *tls)
{
    sw_endpoint_config cfg;
    sw_endpoint *ep = NULL;
    sw_callbacks_init(cb);
    cb->on_log = on_log;
    cb->on_registration = on_registration;
    cb->user_data = n;
    sw_endpoint_config_init(&cfg);
    cfg.callbacks = cb;
    cfg.bind_address = "127.0.0.1";
    cfg.tls_port = 0;
    cfg.tls_provider = tls;
    /* A refused handshake surfaces as the transaction's timeout (Timer F = 64*T1): keep it short. */
    cfg.t1_ms = 100;
    cfg.t2_ms = 400;
    if (sw_endpoint_create(&cfg, &ep) != SW_OK) {
        printf("FAIL create %s: %s\n", n->name, detail());
        s_failed++;
    }
    return ep;
}

static void poll_all(sw_endpoint **eps, int count, int ms, const int *until)
{
    int64_t end = now_ms() + ms;
    while (now_ms() < end && (until == NULL || !*until)) {
        int i;
        for (i = 0; i < count; i++) {
            sw_endpoint_poll(eps[i], 5);
        }
    }
}

int main(int argc, char **argv)
{
    sw_tls_mbedtls server_tls;
    sw_tls_mbedtls client_tls;
    sw_tls_mbedtls rogue_tls;
    sw_tls_provider server_p;
    sw_tls_provider client_p;
    sw_tls_provider rogue_p;
    sw_callbacks cb_reg;
    sw_callbacks cb_phone;
    sw_callbacks cb_rogue;
    node reg = {"registrar", 0, 0, 0, 0};
    node phone = {"phone", 0, 0, 0, 0};
    node rogue = {"rogue-ca", 0, 0, 0, 0};
    sw_endpoint *eps[3];
    sw_account *acc = NULL;
    sw_account *acc2 = NULL;
    sw_account_config ac;
    char path[3][512];
    char addr[64];
    char uri[128];
    int32_t needed = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CERT_DIR (ca.pem, server.pem, server.key, rogue-ca.pem)\n", argv[0]);
        return 2;
    }
    snprintf(path[0], sizeof path[0], "%s/ca.pem", argv[1]);
    snprintf(path[1], sizeof path[1], "%s/server.pem", argv[1]);
    snprintf(path[2], sizeof path[2], "%s/server.key", argv[1]);
    CHECK(sw_tls_mbedtls_init(&server_tls, NULL, path[1], path[2]) == 0);
    CHECK(sw_tls_mbedtls_init(&client_tls, path[0], NULL, NULL) == 0);
    snprintf(path[0], sizeof path[0], "%s/rogue-ca.pem", argv[1]);
    CHECK(sw_tls_mbedtls_init(&rogue_tls, path[0], NULL, NULL) == 0);
    sw_tls_mbedtls_provider(&server_tls, &server_p);
    sw_tls_mbedtls_provider(&client_tls, &client_p);
    sw_tls_mbedtls_provider(&rogue_tls, &rogue_p);

    eps[0] = make(&reg, &cb_reg, &server_p);
    eps[1] = make(&phone, &cb_phone, &client_p);
    eps[2] = make(&rogue, &cb_rogue, &rogue_p);
    CHECK(sw_registrar_start(eps[0], "demo.test", 0) == SW_OK);
    CHECK(sw_endpoint_get_local_address(eps[0], SW_TRANSPORT_TLS, addr, (int32_t)sizeof addr, &needed) == SW_OK);
    snprintf(uri, sizeof uri, "sip:%s;transport=tls", addr);
    printf("registrar TLS listener: %s\n", uri);

    /* RFC 3261 §26.2 / RFC 5630: REGISTER over TLS, the server certificate verified for 127.0.0.1. */
    sw_account_config_init(&ac);
    ac.aor = "sip:phone@demo.test";
    ac.registrar = uri;
    ac.expires = 60;
    CHECK(sw_account_add(eps[1], &ac, &acc) == SW_OK);
    CHECK(sw_account_register(acc) == SW_OK);
    poll_all(eps, 3, 10000, &phone.registered);
    CHECK(phone.registered && phone.last_status == 200);
    CHECK(reg.tls_registers >= 1);

    /* A client that trusts another CA refuses the server: no registration, a transport failure. */
    ac.aor = "sip:rogue@demo.test";
    CHECK(sw_account_add(eps[2], &ac, &acc2) == SW_OK);
    CHECK(sw_account_register(acc2) == SW_OK);
    poll_all(eps, 3, 15000, &rogue.failed);
    CHECK(!rogue.registered && rogue.failed >= 1);
    printf("wrong CA: registration failed with %d; mbedTLS error -0x%04x\n", rogue.last_status, (unsigned)-rogue_tls.last_error);
    CHECK(rogue_tls.last_error == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED);

    /* Unregister over the same connection. */
    CHECK(sw_account_unregister(acc) == SW_OK);
    {
        int gone = 0;
        int64_t end = now_ms() + 5000;
        while (!gone && now_ms() < end) {
            poll_all(eps, 3, 20, NULL);
            gone = !phone.registered;
        }
        CHECK(gone);
    }

    sw_endpoint_destroy(eps[0]);
    sw_endpoint_destroy(eps[1]);
    sw_endpoint_destroy(eps[2]);
    sw_tls_mbedtls_free(&server_tls);
    sw_tls_mbedtls_free(&client_tls);
    sw_tls_mbedtls_free(&rogue_tls);
    printf("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed == 0 ? 0 : 1;
}
