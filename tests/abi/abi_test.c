/* SPDX-License-Identifier: MIT */
/* C99 ABI test: calls every export of sipwire.h, with NULL, stale and forged handles and short buffers. */
#include <sipwire.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

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

static void test_version(void)
{
    CHECK(sw_version() == (uint32_t)SW_VERSION_NUMBER);
}

static void test_status_str(void)
{
    const sw_status all[] = {SW_OK,        SW_E_INVALID_ARG, SW_E_BUFFER_TOO_SMALL, SW_E_INVALID_STATE,
                             SW_E_NO_MEMORY, SW_E_LIMIT,     SW_E_INTERNAL};
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
    printf("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed == 0 ? 0 : 1;
}
