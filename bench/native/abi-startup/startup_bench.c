/* SPDX-License-Identifier: MIT */
/* Time from sw_endpoint_create to the first REGISTER on the wire, against same-run baselines (sw_version, bare create). */
#define _POSIX_C_SOURCE 200809L
#include <sipwire.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    const char *name;
    int64_t median;
    int64_t p95;
    int64_t first;
} result;

static result summarize(const char *name, int64_t *t, int n)
{
    result r;
    r.name = name;
    r.first = t[0];
    qsort(t, (size_t)n, sizeof t[0], cmp);
    r.median = t[n / 2];
    r.p95 = t[(n * 95) / 100];
    return r;
}

static volatile int64_t s_first_send;

static int32_t on_send(int32_t transport, const char *destination, const uint8_t *data, int32_t length, void *user_data)
{
    (void)transport;
    (void)destination;
    (void)user_data;
    if (s_first_send == 0 && length > 9 && memcmp(data, "REGISTER ", 9) == 0) {
        s_first_send = now_ns();
    }
    return 0;
}

static void fail(const char *what)
{
    char buf[256];
    int32_t needed = 0;
    sw_last_error_detail(buf, (int32_t)sizeof buf, &needed);
    fprintf(stderr, "%s: %s\n", what, buf);
    exit(1);
}

int main(int argc, char **argv)
{
    enum { MAX = 2000, WARMUP = 20 };
    static int64_t t[MAX];
    int n = argc > 1 ? atoi(argv[1]) : 300;
    int i;
    result base;
    result bare;
    result fw;
    result udp;
    sw_endpoint_config cfg;
    sw_account_config ac;
    int sink;
    struct sockaddr_in reg_addr;
    socklen_t len = sizeof reg_addr;
    char registrar[64];
    uint8_t rx[4096];

    int64_t cold_t0 = now_ns(); /* before the process's first call into libsipwire (runtime start) */

    if (n < 20 || n > MAX) {
        n = 300;
    }
    sw_account_config_init(&ac);
    ac.aor = "sip:bench@demo.test";
    ac.expires = 600;

    /* Cold: the very first create -> REGISTER of the process (runtime start included). */
    s_first_send = 0;
    sw_endpoint_config_init(&cfg);
    cfg.transport_send = on_send;
    cfg.contact_address = "10.0.0.2";
    cfg.udp_port = 5060;
    {
        sw_endpoint *ep = NULL;
        sw_account *acc = NULL;
        int64_t t0 = cold_t0;
        ac.registrar = "sip:10.0.0.1:5060";
        if (sw_endpoint_create(&cfg, &ep) != SW_OK || sw_account_add(ep, &ac, &acc) != SW_OK || sw_account_register(acc) != SW_OK) {
            fail("cold");
        }
        printf("cold: first call into libsipwire (runtime start) -> create -> REGISTER sent %.3f ms\n",
               (double)(s_first_send - t0) / 1e6);
        sw_endpoint_destroy(ep);
    }

    /* Baseline 1: a trivial call across the ABI. */
    for (i = -WARMUP; i < n; i++) { /* the first WARMUP rounds are not recorded */
        int64_t t0 = now_ns();
        int k;
        for (k = 0; k < 100; k++) {
            (void)sw_version();
        }
        if (i >= 0) t[i] = (now_ns() - t0) / 100;
    }
    base = summarize("sw_version()", t, n);

    /* Firmware transport: create -> add account -> register -> REGISTER handed to the send callback. */
    sw_endpoint_config_init(&cfg);
    cfg.transport_send = on_send;
    cfg.contact_address = "10.0.0.2";
    cfg.udp_port = 5060;
    for (i = -WARMUP; i < n; i++) { /* the first WARMUP rounds are not recorded */
        sw_endpoint *ep = NULL;
        sw_account *acc = NULL;
        int64_t t0;
        s_first_send = 0;
        t0 = now_ns();
        if (sw_endpoint_create(&cfg, &ep) != SW_OK || sw_account_add(ep, &ac, &acc) != SW_OK || sw_account_register(acc) != SW_OK) {
            fail("firmware transport");
        }
        if (s_first_send == 0) {
            fail("no REGISTER sent");
        }
        if (i >= 0) t[i] = s_first_send - t0;
        sw_endpoint_destroy(ep);
    }
    fw = summarize("create -> REGISTER (firmware transport)", t, n);

    /* Sockets: create -> REGISTER received by a UDP socket standing in for the registrar. */
    sink = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&reg_addr, 0, sizeof reg_addr);
    reg_addr.sin_family = AF_INET;
    reg_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (sink < 0 || bind(sink, (struct sockaddr *)&reg_addr, sizeof reg_addr) != 0 ||
        getsockname(sink, (struct sockaddr *)&reg_addr, &len) != 0) {
        perror("registrar socket");
        return 1;
    }
    snprintf(registrar, sizeof registrar, "sip:127.0.0.1:%d", ntohs(reg_addr.sin_port));
    ac.registrar = registrar;
    sw_endpoint_config_init(&cfg);
    cfg.bind_address = "127.0.0.1";
    for (i = -WARMUP; i < n; i++) { /* the first WARMUP rounds are not recorded */
        sw_endpoint *ep = NULL;
        sw_account *acc = NULL;
        struct pollfd pfd;
        int64_t t0 = now_ns();
        if (sw_endpoint_create(&cfg, &ep) != SW_OK || sw_account_add(ep, &ac, &acc) != SW_OK || sw_account_register(acc) != SW_OK) {
            fail("sockets");
        }
        pfd.fd = sink;
        pfd.events = POLLIN;
        if (poll(&pfd, 1, 2000) != 1 || recv(sink, rx, sizeof rx, 0) < 9 || memcmp(rx, "REGISTER ", 9) != 0) {
            fail("no REGISTER received");
        }
        if (i >= 0) t[i] = now_ns() - t0;
        sw_endpoint_destroy(ep);
    }
    udp = summarize("create -> REGISTER received (UDP loopback)", t, n);
    close(sink);

    /* Baseline 2 (measured last, after the same warm-up as the others): a bare endpoint with a UDP socket, created and destroyed. */
    sw_endpoint_config_init(&cfg);
    cfg.bind_address = "127.0.0.1";
    for (i = -WARMUP; i < n; i++) { /* the first WARMUP rounds are not recorded */
        sw_endpoint *ep = NULL;
        int64_t t0 = now_ns();
        if (sw_endpoint_create(&cfg, &ep) != SW_OK) {
            fail("create");
        }
        if (i >= 0) t[i] = now_ns() - t0;
        sw_endpoint_destroy(ep);
    }
    bare = summarize("bare sw_endpoint_create (UDP socket)", t, n);


    printf("%d rounds each, same run; medians (p95):\n", n);
    printf("  %-44s %10.3f us (%.3f)\n", base.name, (double)base.median / 1e3, (double)base.p95 / 1e3);
    printf("  %-44s %10.3f us (%.3f)  ratio %.0fx sw_version\n", bare.name, (double)bare.median / 1e3, (double)bare.p95 / 1e3,
           (double)bare.median / (double)base.median);
    printf("  %-44s %10.3f us (%.3f)  ratio %.2fx bare create\n", fw.name, (double)fw.median / 1e3, (double)fw.p95 / 1e3,
           (double)fw.median / (double)bare.median);
    printf("  %-44s %10.3f us (%.3f)  ratio %.2fx bare create\n", udp.name, (double)udp.median / 1e3, (double)udp.p95 / 1e3,
           (double)udp.median / (double)bare.median);
    printf("target create -> first REGISTER < 20 ms: %s (UDP p95 %.3f ms)\n", udp.p95 < 20000000LL ? "met" : "MISSED",
           (double)udp.p95 / 1e6);
    return udp.p95 < 20000000LL ? 0 : 1;
}
