/* SPDX-License-Identifier: MIT */
/* C99 ABI test of call audio: two endpoints on loopback, a call, tones both ways through sw_call_write_audio/sw_call_read_audio. */
#define _POSIX_C_SOURCE 200809L
#include <sipwire.h>

#include <math.h>
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
            printf("FAIL %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, detail());                  \
        }                                                                                          \
    } while (0)

#define RATE 16000
#define FRAME (RATE / 50) /* 20 ms */
#define PI 3.14159265358979323846

static const char *detail(void)
{
    static char buf[512];
    int32_t needed = 0;
    if (sw_last_error_detail(buf, (int32_t)sizeof buf, &needed) != SW_OK) {
        return "<detail unavailable>";
    }
    return buf;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_until(int64_t t_us)
{
    int64_t d = t_us - now_us();
    if (d > 0) {
        struct timespec ts;
        ts.tv_sec = (time_t)(d / 1000000);
        ts.tv_nsec = (long)(d % 1000000) * 1000;
        nanosleep(&ts, NULL);
    }
}

typedef struct phone {
    const char *name;
    sw_endpoint *ep;
    sw_account *account;
    sw_call *call;
    int established;
    int ended;
    int media[5]; /* count per SW_MEDIA_* */
    char codec[32];
    char dtmf[16];
    double tone_hz;    /* what this phone sends */
    double phase;
    double power_own;  /* Goertzel power of the received audio at the peer's tone */
    double power_other;
    double energy;
    long frames_read;
    int audio_elsewhere; /* bob_audio_thread does this phone's frames */
} phone;

static void on_incoming(sw_account *account, sw_call *call, const char *from, void *user_data)
{
    phone *p = (phone *)user_data;
    (void)account;
    (void)from;
    p->call = call;
    CHECK(sw_call_answer(call) == SW_OK);
}

static void on_call_state(sw_call *call, int32_t ev, int32_t status_code, const char *reason, void *user_data)
{
    phone *p = (phone *)user_data;
    (void)call;
    (void)status_code;
    (void)reason;
    if (ev == SW_CALL_ESTABLISHED) {
        p->established++;
    } else if (ev == SW_CALL_ENDED) {
        /* SW_MEDIA_STOPPED comes before the handle dies. */
        CHECK(p->media[SW_MEDIA_STARTED] == 0 || p->media[SW_MEDIA_STOPPED] == 1);
        p->ended++;
    }
}

static void on_media(sw_call *call, int32_t ev, const char *codec, int32_t value, const char *text, void *user_data)
{
    phone *p = (phone *)user_data;
    (void)call;
    CHECK(codec != NULL && text != NULL);
    if (ev >= 0 && ev <= SW_MEDIA_DTMF) {
        p->media[ev]++;
    }
    if (ev == SW_MEDIA_STARTED) {
        snprintf(p->codec, sizeof p->codec, "%s", codec);
        CHECK(value >= 0 && value <= 127);
    } else if (ev == SW_MEDIA_DTMF) {
        size_t n = strlen(p->dtmf);
        if (n + 1 < sizeof p->dtmf) {
            p->dtmf[n] = (char)value;
            p->dtmf[n + 1] = 0;
        }
    } else if (ev == SW_MEDIA_FAILED) {
        printf("%s: media failed: %s\n", p->name, text);
    }
}

static void init_callbacks(sw_callbacks *cb, phone *p)
{
    CHECK(sw_callbacks_init(cb) == SW_OK);
    cb->on_incoming_call = on_incoming;
    cb->on_call_state = on_call_state;
    cb->on_media = on_media;
    cb->user_data = p;
}

/* Goertzel power of x at f (ITU-T Q.23/Q.24 style single-bin DFT). */
static double goertzel(const int16_t *x, int n, double f)
{
    double w = 2 * cos(2 * PI * f / RATE);
    double s1 = 0;
    double s2 = 0;
    int i;
    for (i = 0; i < n; i++) {
        double s0 = x[i] + w * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return s1 * s1 + s2 * s2 - w * s1 * s2;
}

static void tone(phone *p, int16_t *frame)
{
    int i;
    for (i = 0; i < FRAME; i++) {
        frame[i] = (int16_t)(8000 * sin(p->phase));
        p->phase += 2 * PI * p->tone_hz / RATE;
    }
}

static int create_phone(phone *p, const char *name, int sip_port_hint, int rtp_base, const char *codecs)
{
    sw_endpoint_config cfg;
    sw_callbacks cb;
    sw_media_config mc;
    sw_account_config ac;
    char aor[64];
    (void)sip_port_hint;
    p->name = name;
    init_callbacks(&cb, p);
    CHECK(sw_endpoint_config_init(&cfg) == SW_OK);
    cfg.bind_address = "127.0.0.1";
    cfg.udp_port = 0;
    cfg.callbacks = &cb;
    cfg.log_level = SW_LOG_WARNING;
    if (sw_endpoint_create(&cfg, &p->ep) != SW_OK) {
        printf("FAIL create %s: %s\n", name, detail());
        return 0;
    }
    CHECK(sw_media_config_init(&mc) == SW_OK);
    CHECK(mc.struct_size == sizeof mc && mc.sample_rate == 16000 && mc.frame_ms == 20 && mc.srtp == SW_SRTP_OFF);
    mc.codecs = codecs;
    mc.rtp_port_base = rtp_base;
    mc.rtp_port_count = 20;
    CHECK(sw_endpoint_set_media(p->ep, &mc) == SW_OK);
    CHECK(sw_account_config_init(&ac) == SW_OK);
    snprintf(aor, sizeof aor, "sip:%s@127.0.0.1", name);
    ac.aor = aor;
    ac.registrar = "sip:127.0.0.1:9"; /* never used: no sw_account_register() */
    CHECK(sw_account_add(p->ep, &ac, &p->account) == SW_OK);
    /* The SDP capabilities are fixed once an account exists. */
    CHECK(sw_endpoint_set_media(p->ep, &mc) == SW_E_INVALID_STATE);
    return 1;
}

static void test_config_errors(void)
{
    sw_endpoint_config cfg;
    sw_endpoint *ep = NULL;
    sw_media_config mc;
    sw_account_config ac;
    sw_account *acc = NULL;

    CHECK(sw_media_config_init(NULL) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_config_init(&cfg) == SW_OK);
    cfg.bind_address = "127.0.0.1";
    CHECK(sw_endpoint_create(&cfg, &ep) == SW_OK);
    CHECK(sw_media_config_init(&mc) == SW_OK);
    CHECK(sw_endpoint_set_media(NULL, &mc) == SW_E_INVALID_ARG);
    CHECK(sw_endpoint_set_media(ep, NULL) == SW_E_INVALID_ARG);
    mc.struct_size = 4;
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "struct_size") != NULL);
    CHECK(sw_media_config_init(&mc) == SW_OK);
    mc.codecs = "pcmu,gsm";
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "gsm") != NULL);
    mc.codecs = "pcmu,PCMU";
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "twice") != NULL);
    mc.codecs = "";
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG);
#ifndef SIPWIRE_WITH_OPUS
    /* The default libsipwire carries no Opus (feature switch Sipwire.Media.Opus). */
    mc.codecs = "opus,pcmu";
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "Opus") != NULL);
#endif
    mc.codecs = NULL;
    mc.sample_rate = 44100;
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "44100") != NULL);
    mc.sample_rate = 8000;
    mc.frame_ms = 30;
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "30") != NULL);
    mc.frame_ms = 10;
    mc.ptime_ms = 25;
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "ptime") != NULL);
    mc.ptime_ms = 20;
    mc.srtp = 7;
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "srtp") != NULL);
    /* SRTP needs libssl at run time (AES/HMAC-SHA1): accepted where one loads, else refused by name, never an abort. */
    mc.srtp = SW_SRTP_ACCEPTED;
    {
        sw_status st = sw_endpoint_set_media(ep, &mc);
        CHECK(st == SW_OK || (st == SW_E_INVALID_ARG && strstr(detail(), "libssl") != NULL));
    }
    mc.srtp = SW_SRTP_OFF;
    mc.rtp_port_base = 40001;
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "even") != NULL);
    mc.rtp_port_base = 65530;
    mc.rtp_port_count = 100;
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG && strstr(detail(), "rtp_port_count") != NULL);
    mc.rtp_port_base = 40000;
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_OK);
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_OK); /* replaceable until the first account */
    CHECK(sw_account_config_init(&ac) == SW_OK);
    ac.aor = "sip:carol@127.0.0.1";
    ac.registrar = "sip:127.0.0.1:9";
    CHECK(sw_account_add(ep, &ac, &acc) == SW_OK);
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_STATE && strstr(detail(), "sw_account_add") != NULL);
    sw_endpoint_destroy(ep);
    CHECK(sw_endpoint_set_media(ep, &mc) == SW_E_INVALID_ARG); /* destroyed */
}

static void pump(phone *a, phone *b, int frames, int measure_from)
{
    int16_t out[FRAME];
    int16_t in[FRAME];
    int64_t t = now_us();
    int k;
    phone *ps[2];
    ps[0] = a;
    ps[1] = b;
    for (k = 0; k < frames; k++) {
        int j;
        for (j = 0; j < 2; j++) {
            phone *p = ps[j];
            phone *peer = ps[1 - j];
            int32_t written = -1;
            sw_endpoint_poll(p->ep, 0);
            if (p->call == NULL || p->ended || p->audio_elsewhere) {
                continue;
            }
            tone(p, out);
            if (sw_call_write_audio(p->call, out, FRAME) != SW_OK) {
                continue;
            }
            CHECK(sw_call_read_audio(p->call, in, FRAME, &written) == SW_OK && written == FRAME);
            p->frames_read++;
            if (k >= measure_from) {
                int i;
                p->power_own += goertzel(in, FRAME, peer->tone_hz);
                p->power_other += goertzel(in, FRAME, p->tone_hz);
                for (i = 0; i < FRAME; i++) {
                    p->energy += (double)in[i] * in[i];
                }
            }
        }
        t += 20000;
        sleep_until(t);
    }
}

static void test_call_audio(const char *alice_codecs, const char *bob_codecs, const char *expect_codec)
{
    phone alice;
    phone bob;
    sw_call *call = NULL;
    sw_call *stale;
    int16_t frame[2 * FRAME];
    int16_t small[FRAME];
    int32_t written = 7;
    char target[80];
    int rtp = 30000 + (int)(getpid() % 500) * 40;
    int i;
    char bob_addr[64];

    memset(&alice, 0, sizeof alice);
    memset(&bob, 0, sizeof bob);
    alice.tone_hz = 1000;
    bob.tone_hz = 600;
    if (!create_phone(&alice, "alice", 0, rtp, alice_codecs) || !create_phone(&bob, "bob", 0, rtp + 20, bob_codecs)) {
        return;
    }
    CHECK(sw_endpoint_get_local_address(bob.ep, SW_TRANSPORT_UDP, bob_addr, (int32_t)sizeof bob_addr, NULL) == SW_OK);
    snprintf(target, sizeof target, "sip:bob@%s", bob_addr);
    CHECK(sw_call_make(alice.account, target, &call) == SW_OK);
    alice.call = call;

    /* Before the answer there is no media: a clear state error, nothing written. */
    CHECK(sw_call_write_audio(call, frame, FRAME) == SW_E_INVALID_STATE);
    CHECK(sw_call_read_audio(call, small, FRAME, &written) == SW_E_INVALID_STATE && written == 0);

    for (i = 0; i < 250 && !(alice.established && bob.established && alice.media[SW_MEDIA_STARTED]); i++) {
        sw_endpoint_poll(alice.ep, 5);
        sw_endpoint_poll(bob.ep, 5);
    }
    CHECK(alice.established == 1 && bob.established == 1);
    CHECK(alice.media[SW_MEDIA_STARTED] == 1 && bob.media[SW_MEDIA_STARTED] == 1);
    /* Both send the codec of the answer (RFC 3264 §6.1). */
    CHECK(strcmp(alice.codec, bob.codec) == 0);
    CHECK(strcmp(alice.codec, expect_codec) == 0);
    printf("codec %s\n", alice.codec);

    /* Argument errors on a live call. */
    CHECK(sw_call_write_audio(NULL, frame, FRAME) == SW_E_INVALID_ARG);
    CHECK(sw_call_write_audio(call, NULL, FRAME) == SW_E_INVALID_ARG);
    CHECK(sw_call_write_audio(call, frame, FRAME - 1) == SW_E_INVALID_ARG && strstr(detail(), "320") != NULL);
    CHECK(sw_call_write_audio(call, frame, 0) == SW_E_INVALID_ARG);
    CHECK(sw_call_write_audio((sw_call *)&frame, frame, FRAME) == SW_E_INVALID_ARG); /* forged */
    CHECK(sw_call_read_audio(NULL, small, FRAME, &written) == SW_E_INVALID_ARG && written == 0);
    CHECK(sw_call_read_audio(call, NULL, FRAME, &written) == SW_E_INVALID_ARG);
    CHECK(sw_call_read_audio(call, small, FRAME - 1, &written) == SW_E_BUFFER_TOO_SMALL && written == FRAME);
    CHECK(sw_call_read_audio(call, small, FRAME, NULL) == SW_OK);

    /* Two frames in one write are accepted. */
    memset(frame, 0, sizeof frame);
    CHECK(sw_call_write_audio(call, frame, 2 * FRAME) == SW_OK);

    /* 2 s of tones both ways; the last 1.4 s are measured. */
    pump(&alice, &bob, 100, 30);
    printf("alice: frames %ld, 600 Hz %.3g, 1000 Hz %.3g, rms %.0f\n", alice.frames_read, alice.power_own, alice.power_other,
           sqrt(alice.energy / (70.0 * FRAME)));
    printf("bob:   frames %ld, 1000 Hz %.3g, 600 Hz %.3g, rms %.0f\n", bob.frames_read, bob.power_own, bob.power_other,
           sqrt(bob.energy / (70.0 * FRAME)));
    CHECK(alice.frames_read >= 95 && bob.frames_read >= 95);
    /* Each side hears the other's tone (the sent one at 8000 peak, about 5657 rms) and not its own. */
    CHECK(alice.power_own > 100 * alice.power_other && bob.power_own > 100 * bob.power_other);
    CHECK(sqrt(alice.energy / (70.0 * FRAME)) > 2000 && sqrt(bob.energy / (70.0 * FRAME)) > 2000);

    /* DTMF with media up goes as RFC 4733 events: bob's media callback reports the digits. */
    CHECK(sw_call_send_dtmf(call, "5#", 100) == SW_OK);
    pump(&alice, &bob, 40, 1000);
    CHECK(strcmp(bob.dtmf, "5#") == 0);

    /* Hang up: SW_MEDIA_STOPPED, then SW_CALL_ENDED; the handle is stale afterwards. */
    CHECK(sw_call_hangup(call) == SW_OK);
    for (i = 0; i < 200 && !(alice.ended && bob.ended); i++) {
        sw_endpoint_poll(alice.ep, 5);
        sw_endpoint_poll(bob.ep, 5);
    }
    CHECK(alice.ended == 1 && bob.ended == 1);
    CHECK(alice.media[SW_MEDIA_STOPPED] == 1 && bob.media[SW_MEDIA_STOPPED] == 1);
    CHECK(alice.media[SW_MEDIA_FAILED] == 0 && bob.media[SW_MEDIA_FAILED] == 0);
    stale = call;
    CHECK(sw_call_write_audio(stale, frame, FRAME) == SW_E_INVALID_ARG && strstr(detail(), "stale") != NULL);
    CHECK(sw_call_read_audio(stale, small, FRAME, &written) == SW_E_INVALID_ARG);

    sw_endpoint_destroy(alice.ep);
    sw_endpoint_destroy(bob.ep);
}

/* Bob's audio on a thread of its own while the main thread polls (the documented "any thread" rule). */
typedef struct {
    phone *p;
    sw_call *call;
    double peer_hz;
    volatile int stop;
    long ok_frames;
    long stale;
    long other;
    double power_peer;
    double power_own;
} audio_thread_args;

static void *bob_audio_thread(void *arg)
{
    audio_thread_args *a = (audio_thread_args *)arg;
    int16_t out[FRAME];
    int16_t in[FRAME];
    int64_t t = now_us();
    while (!a->stop) {
        int32_t written = 0;
        sw_status w;
        sw_status r;
        tone(a->p, out);
        w = sw_call_write_audio(a->call, out, FRAME);
        r = sw_call_read_audio(a->call, in, FRAME, &written);
        if (w == SW_OK && r == SW_OK && written == FRAME) {
            a->ok_frames++;
            if (a->ok_frames > 25) {
                a->power_peer += goertzel(in, FRAME, a->peer_hz);
                a->power_own += goertzel(in, FRAME, a->p->tone_hz);
            }
        } else if (w == SW_E_INVALID_ARG && r == SW_E_INVALID_ARG) {
            a->stale++; /* the call ended and its handle went stale */
        } else if (!(w == SW_E_INVALID_STATE && r == SW_E_INVALID_STATE)) {
            a->other++;
        }
        t += 20000;
        sleep_until(t);
    }
    return NULL;
}

static void test_audio_thread(void)
{
    phone alice;
    phone bob;
    sw_call *call = NULL;
    char bob_addr[64];
    char target[80];
    audio_thread_args args;
    pthread_t thread;
    int rtp = 30000 + (int)(getpid() % 500) * 40 + 4;
    int i;

    memset(&alice, 0, sizeof alice);
    memset(&bob, 0, sizeof bob);
    memset(&args, 0, sizeof args);
    alice.tone_hz = 1000;
    bob.tone_hz = 600;
    if (!create_phone(&alice, "alice", 0, rtp, "pcma") || !create_phone(&bob, "bob", 0, rtp + 20, NULL)) {
        return;
    }
    CHECK(sw_endpoint_get_local_address(bob.ep, SW_TRANSPORT_UDP, bob_addr, (int32_t)sizeof bob_addr, NULL) == SW_OK);
    snprintf(target, sizeof target, "sip:bob@%s", bob_addr);
    CHECK(sw_call_make(alice.account, target, &call) == SW_OK);
    alice.call = call;
    for (i = 0; i < 250 && !(alice.established && bob.established && bob.media[SW_MEDIA_STARTED]); i++) {
        sw_endpoint_poll(alice.ep, 5);
        sw_endpoint_poll(bob.ep, 5);
    }
    CHECK(bob.media[SW_MEDIA_STARTED] == 1 && strcmp(bob.codec, "PCMA/8000") == 0);
    bob.audio_elsewhere = 1;
    args.p = &bob;
    args.call = bob.call;
    args.peer_hz = 1000;
    if (pthread_create(&thread, NULL, bob_audio_thread, &args) != 0) {
        CHECK(!"pthread_create");
        return;
    }
    pump(&alice, &bob, 75, 25);
    CHECK(sw_call_hangup(call) == SW_OK);
    for (i = 0; i < 60; i++) {
        sw_endpoint_poll(alice.ep, 5);
        sw_endpoint_poll(bob.ep, 5);
    }
    CHECK(alice.ended == 1 && bob.ended == 1);
    args.stop = 1;
    pthread_join(thread, NULL);
    printf("audio thread: %ld frames, 1000 Hz %.3g, 600 Hz %.3g, %ld stale\n", args.ok_frames, args.power_peer, args.power_own, args.stale);
    CHECK(args.ok_frames >= 60 && args.other == 0 && args.stale > 0);
    CHECK(args.power_peer > 100 * args.power_own);
    /* And alice heard bob's thread. */
    CHECK(alice.power_own > 100 * alice.power_other);
    sw_endpoint_destroy(alice.ep);
    sw_endpoint_destroy(bob.ep);
}

/* An endpoint without sw_endpoint_set_media negotiates SDP but carries no audio. */
static void test_no_media(void)
{
    phone alice;
    phone bob;
    sw_endpoint_config cfg;
    sw_callbacks cba;
    sw_callbacks cbb;
    sw_account_config ac;
    sw_call *call = NULL;
    int16_t frame[FRAME];
    char addr[64];
    char target[80];
    int i;
    memset(&alice, 0, sizeof alice);
    memset(&bob, 0, sizeof bob);
    init_callbacks(&cba, &alice);
    init_callbacks(&cbb, &bob);
    CHECK(sw_endpoint_config_init(&cfg) == SW_OK);
    cfg.bind_address = "127.0.0.1";
    cfg.log_level = SW_LOG_NONE;
    cfg.callbacks = &cba;
    CHECK(sw_endpoint_create(&cfg, &alice.ep) == SW_OK);
    cfg.callbacks = &cbb;
    CHECK(sw_endpoint_create(&cfg, &bob.ep) == SW_OK);
    CHECK(sw_account_config_init(&ac) == SW_OK);
    ac.aor = "sip:alice@127.0.0.1";
    ac.registrar = "sip:127.0.0.1:9";
    CHECK(sw_account_add(alice.ep, &ac, &alice.account) == SW_OK);
    ac.aor = "sip:bob@127.0.0.1";
    CHECK(sw_account_add(bob.ep, &ac, &bob.account) == SW_OK);
    CHECK(sw_endpoint_get_local_address(bob.ep, SW_TRANSPORT_UDP, addr, (int32_t)sizeof addr, NULL) == SW_OK);
    snprintf(target, sizeof target, "sip:bob@%s", addr);
    CHECK(sw_call_make(alice.account, target, &call) == SW_OK);
    for (i = 0; i < 200 && !alice.established; i++) {
        sw_endpoint_poll(alice.ep, 5);
        sw_endpoint_poll(bob.ep, 5);
    }
    CHECK(alice.established == 1);
    memset(frame, 0, sizeof frame);
    CHECK(sw_call_write_audio(call, frame, FRAME) == SW_E_INVALID_STATE && strstr(detail(), "sw_endpoint_set_media") != NULL);
    CHECK(alice.media[SW_MEDIA_STARTED] == 0);
    sw_endpoint_destroy(alice.ep);
    sw_endpoint_destroy(bob.ep);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_config_errors();
    /* Alice offers G.722 first; bob (pcmu,pcma,g722) answers with the first codec of the offer it supports. */
    test_call_audio("g722,pcmu", NULL, "G722/8000");
#ifdef SIPWIRE_WITH_OPUS
    test_call_audio("opus,pcmu", "opus,pcma,pcmu", "opus/48000/2");
#endif
    test_audio_thread();
    test_no_media();
    printf("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed == 0 ? 0 : 1;
}
