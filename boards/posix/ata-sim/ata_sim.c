/* SPDX-License-Identifier: MIT */
/* ata-sim: sample ATA firmware on libsipwire - reads a config, registers, answers and places calls, reports. */
#define _POSIX_C_SOURCE 200809L
#include <sipwire.h>

#include "ata_audio.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LINES 8
#define MAX_TEXT 256

/* The firmware's configuration (one "key = value" per line, '#' comments). */
typedef struct {
    char name[32];
    char aor[MAX_TEXT];
    char registrar[MAX_TEXT];
    char outbound_proxy[MAX_TEXT];
    char username[64];
    char password[64];
    char bind[64];
    char registrar_role[MAX_TEXT]; /* non-empty: run as registrar/redirect server for this domain */
    char call[MAX_TEXT];           /* place a call to this URI once registered */
    char dtmf[32];                 /* digits sent once a placed call is up */
    char users[MAX_TEXT];          /* registrar role: "alice:pw,bob:pw" */
    int udp_port;
    int lines;
    int expires;
    int auto_answer_ms; /* ring this long before answering; -1 never answers (rejects with 486) */
    int call_delay_ms;
    int talk_ms;
    int run_ms;
    int expect_calls; /* exit status 1 unless this many calls were answered and ended normally */
    int log_level;
    /* Audio (on when rtp_port > 0): RTP ports from rtp_port, PCM16 frames through sw_call_write/read_audio. */
    int rtp_port;
    char codecs[64];              /* offer order, "pcmu,pcma,g722" */
    int sample_rate;              /* 8000 or 16000 */
    int frame_ms;                 /* 10 or 20 */
    int tone_hz;                  /* the tone sent when play_wav is empty */
    int echo_canceller;
    char play_wav[MAX_TEXT];      /* mono PCM16 WAV at sample_rate, looped */
    char record_wav[MAX_TEXT];    /* received audio of the calls, written as WAV */
} ata_config;

typedef struct {
    int used;
    sw_call *call;
    int outgoing;
    char remote[MAX_TEXT];
    int64_t started_ms;     /* INVITE sent / received */
    int64_t established_ms; /* 0 until up */
    int64_t answer_at_ms;   /* incoming: when to answer; 0 none */
    int64_t hangup_at_ms;   /* when to hang up; 0 none */
    int media_up;
    char codec[32];
    long frames_sent;
    ata_stats rx;
} ata_line;

typedef struct {
    int outgoing;
    char remote[MAX_TEXT];
    int setup_ms;
    int talk_ms;
    int status_code;
    char reason[96];
    char codec[32];
    long frames_sent;
    ata_stats rx;
} ata_record;

typedef struct {
    ata_config cfg;
    sw_endpoint *ep;
    sw_account *account;
    ata_line line[MAX_LINES];
    ata_record records[64];
    int record_count;
    int registered;
    int register_failures;
    int call_placed;
    int64_t call_at_ms;
    int64_t start_ms;
    int completed_calls;
    int stop_requested;
    int posted_runs;
    ata_source source;
    ata_wav_writer wav;
    int64_t next_frame_us;
} ata_state;

static volatile sig_atomic_t s_signal;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Log lines start with the wall-clock time of day, so the logs of several processes merge by sorting. */
static void say(const ata_state *s, const char *fmt, const char *a, const char *b)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    printf("%02d:%02d:%02d.%03ld %-9s ", tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000L, s->cfg.name);
    printf(fmt, a ? a : "", b ? b : "");
    printf("\n");
    fflush(stdout);
}

static const char *detail(void)
{
    static char buf[512];
    int32_t needed = 0;
    if (sw_last_error_detail(buf, (int32_t)sizeof buf, &needed) != SW_OK) {
        return "(no detail)";
    }
    return buf;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    size_t i = 0;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) {
        s[--n] = '\0';
    }
    while (s[i] == ' ' || s[i] == '\t') {
        i++;
    }
    memmove(s, s + i, n - i + 1);
}

static int copy_value(char *dst, size_t size, const char *value, const char *key, int lineno)
{
    if (strlen(value) >= size) {
        fprintf(stderr, "config line %d: %s is longer than %u characters\n", lineno, key, (unsigned)(size - 1));
        return -1;
    }
    strcpy(dst, value);
    return 0;
}

static int parse_int(const char *value, int *out, const char *key, int lineno)
{
    char *end = NULL;
    long v;
    errno = 0;
    v = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || v < -1 || v > 86400000L) {
        fprintf(stderr, "config line %d: %s = '%s' is not a number in -1..86400000\n", lineno, key, value);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Reads the config; returns 0, or -1 after printing which line is wrong. */
static int load_config(const char *path, ata_config *c)
{
    char text[512];
    int lineno = 0;
    FILE *f = fopen(path, "r");
    memset(c, 0, sizeof *c);
    strcpy(c->name, "ata");
    strcpy(c->bind, "127.0.0.1");
    c->udp_port = 0;
    c->lines = 2;
    c->expires = 300;
    c->auto_answer_ms = 500;
    c->call_delay_ms = 500;
    c->sample_rate = 8000;
    c->frame_ms = 20;
    c->tone_hz = 1000;
    c->talk_ms = 3000;
    c->run_ms = 0;
    c->expect_calls = 0;
    c->log_level = SW_LOG_INFO;
    if (f == NULL) {
        fprintf(stderr, "cannot open config %s: %s\n", path, strerror(errno));
        return -1;
    }
    while (fgets(text, sizeof text, f) != NULL) {
        char *eq;
        char *key = text;
        char *value;
        int rc = 0;
        lineno++;
        trim(text);
        if (text[0] == '\0' || text[0] == '#') {
            continue;
        }
        eq = strchr(text, '=');
        if (eq == NULL) {
            fprintf(stderr, "config line %d: expected 'key = value', got '%s'\n", lineno, text);
            fclose(f);
            return -1;
        }
        *eq = '\0';
        value = eq + 1;
        trim(key);
        trim(value);
        if (strcmp(key, "name") == 0) rc = copy_value(c->name, sizeof c->name, value, key, lineno);
        else if (strcmp(key, "aor") == 0) rc = copy_value(c->aor, sizeof c->aor, value, key, lineno);
        else if (strcmp(key, "registrar") == 0) rc = copy_value(c->registrar, sizeof c->registrar, value, key, lineno);
        else if (strcmp(key, "outbound_proxy") == 0) rc = copy_value(c->outbound_proxy, sizeof c->outbound_proxy, value, key, lineno);
        else if (strcmp(key, "username") == 0) rc = copy_value(c->username, sizeof c->username, value, key, lineno);
        else if (strcmp(key, "password") == 0) rc = copy_value(c->password, sizeof c->password, value, key, lineno);
        else if (strcmp(key, "bind") == 0) rc = copy_value(c->bind, sizeof c->bind, value, key, lineno);
        else if (strcmp(key, "registrar_role") == 0) rc = copy_value(c->registrar_role, sizeof c->registrar_role, value, key, lineno);
        else if (strcmp(key, "users") == 0) rc = copy_value(c->users, sizeof c->users, value, key, lineno);
        else if (strcmp(key, "call") == 0) rc = copy_value(c->call, sizeof c->call, value, key, lineno);
        else if (strcmp(key, "dtmf") == 0) rc = copy_value(c->dtmf, sizeof c->dtmf, value, key, lineno);
        else if (strcmp(key, "udp_port") == 0) rc = parse_int(value, &c->udp_port, key, lineno);
        else if (strcmp(key, "lines") == 0) rc = parse_int(value, &c->lines, key, lineno);
        else if (strcmp(key, "expires") == 0) rc = parse_int(value, &c->expires, key, lineno);
        else if (strcmp(key, "auto_answer_ms") == 0) rc = parse_int(value, &c->auto_answer_ms, key, lineno);
        else if (strcmp(key, "call_delay_ms") == 0) rc = parse_int(value, &c->call_delay_ms, key, lineno);
        else if (strcmp(key, "talk_ms") == 0) rc = parse_int(value, &c->talk_ms, key, lineno);
        else if (strcmp(key, "run_ms") == 0) rc = parse_int(value, &c->run_ms, key, lineno);
        else if (strcmp(key, "expect_calls") == 0) rc = parse_int(value, &c->expect_calls, key, lineno);
        else if (strcmp(key, "rtp_port") == 0) rc = parse_int(value, &c->rtp_port, key, lineno);
        else if (strcmp(key, "codecs") == 0) rc = copy_value(c->codecs, sizeof c->codecs, value, key, lineno);
        else if (strcmp(key, "sample_rate") == 0) rc = parse_int(value, &c->sample_rate, key, lineno);
        else if (strcmp(key, "frame_ms") == 0) rc = parse_int(value, &c->frame_ms, key, lineno);
        else if (strcmp(key, "tone_hz") == 0) rc = parse_int(value, &c->tone_hz, key, lineno);
        else if (strcmp(key, "echo_canceller") == 0) rc = parse_int(value, &c->echo_canceller, key, lineno);
        else if (strcmp(key, "play_wav") == 0) rc = copy_value(c->play_wav, sizeof c->play_wav, value, key, lineno);
        else if (strcmp(key, "record_wav") == 0) rc = copy_value(c->record_wav, sizeof c->record_wav, value, key, lineno);
        else if (strcmp(key, "log_level") == 0) {
            if (strcmp(value, "debug") == 0) c->log_level = SW_LOG_DEBUG;
            else if (strcmp(value, "info") == 0) c->log_level = SW_LOG_INFO;
            else if (strcmp(value, "warning") == 0) c->log_level = SW_LOG_WARNING;
            else if (strcmp(value, "error") == 0) c->log_level = SW_LOG_ERROR;
            else if (strcmp(value, "none") == 0) c->log_level = SW_LOG_NONE;
            else {
                fprintf(stderr, "config line %d: log_level must be debug, info, warning, error or none\n", lineno);
                rc = -1;
            }
        } else {
            fprintf(stderr, "config line %d: unknown key '%s'\n", lineno, key);
            rc = -1;
        }
        if (rc != 0) {
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    if (c->lines < 1 || c->lines > MAX_LINES) {
        fprintf(stderr, "config: lines must be 1..%d\n", MAX_LINES);
        return -1;
    }
    if (c->sample_rate != 8000 && c->sample_rate != 16000) {
        fprintf(stderr, "config: sample_rate must be 8000 or 16000\n");
        return -1;
    }
    if (c->frame_ms != 10 && c->frame_ms != 20) {
        fprintf(stderr, "config: frame_ms must be 10 or 20\n");
        return -1;
    }
    if (c->tone_hz < 1 || c->tone_hz >= c->sample_rate / 2) {
        fprintf(stderr, "config: tone_hz must be 1..%d\n", c->sample_rate / 2 - 1);
        return -1;
    }
    if (c->rtp_port != 0 && (c->rtp_port < 2 || c->rtp_port > 65534 || c->rtp_port % 2 != 0)) {
        fprintf(stderr, "config: rtp_port must be an even port (RFC 3550 section 11) or 0 for no audio\n");
        return -1;
    }
    if (c->registrar_role[0] == '\0' && (c->aor[0] == '\0' || c->registrar[0] == '\0')) {
        fprintf(stderr, "config: a phone needs aor and registrar (or set registrar_role)\n");
        return -1;
    }
    return 0;
}

static ata_line *line_of(ata_state *s, sw_call *call)
{
    int i;
    for (i = 0; i < s->cfg.lines; i++) {
        if (s->line[i].used && s->line[i].call == call) {
            return &s->line[i];
        }
    }
    return NULL;
}

static ata_line *free_line(ata_state *s)
{
    int i;
    for (i = 0; i < s->cfg.lines; i++) {
        if (!s->line[i].used) {
            return &s->line[i];
        }
    }
    return NULL;
}

static int any_line_used(const ata_state *s)
{
    int i;
    for (i = 0; i < s->cfg.lines; i++) {
        if (s->line[i].used) {
            return 1;
        }
    }
    return 0;
}

static void on_log(int32_t level, const char *line, void *user_data)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    ata_state *s = (ata_state *)user_data;
    say(s, "sdk %s: %s", level >= 0 && level <= 3 ? names[level] : "?", line);
}

static void on_registration(sw_account *account, int32_t ev, int32_t status_code, const char *reason, int32_t expires,
                            void *user_data)
{
    ata_state *s = (ata_state *)user_data;
    char code[64];
    (void)account;
    snprintf(code, sizeof code, "%d, expires %d s", (int)status_code, (int)expires);
    if (ev == SW_REG_REGISTERED) {
        if (!s->registered) {
            say(s, "registered (%s) %s", code, reason);
            if (s->cfg.call[0] != '\0' && !s->call_placed) {
                s->call_at_ms = now_ms() + s->cfg.call_delay_ms;
            }
        }
        s->registered = 1;
    } else if (ev == SW_REG_FAILED) {
        s->register_failures++;
        say(s, "registration failed (%s) %s", code, reason);
    } else {
        s->registered = 0;
        say(s, "unregistered (%s) %s", code, reason);
    }
}

static void on_incoming_call(sw_account *account, sw_call *call, const char *from, void *user_data)
{
    ata_state *s = (ata_state *)user_data;
    ata_line *l = free_line(s);
    (void)account;
    if (l == NULL || s->cfg.auto_answer_ms < 0) {
        say(s, "incoming call from %s: %s", from, l == NULL ? "all lines busy, 486" : "not answering, 486");
        if (sw_call_reject(call, 486) != SW_OK) {
            say(s, "reject failed: %s%s", detail(), NULL);
        }
        return;
    }
    memset(l, 0, sizeof *l);
    l->used = 1;
    l->call = call;
    l->started_ms = now_ms();
    l->answer_at_ms = now_ms() + s->cfg.auto_answer_ms;
    snprintf(l->remote, sizeof l->remote, "%s", from);
    say(s, "incoming call from %s: ringing line %s", from, l == &s->line[0] ? "1" : "2+");
}

/* Bounded copy with a NUL (truncates). */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) {
        n = size - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void record_end(ata_state *s, ata_line *l, int32_t status_code, const char *reason)
{
    ata_record *r;
    int64_t t = now_ms();
    if (s->record_count >= (int)(sizeof s->records / sizeof s->records[0])) {
        return;
    }
    r = &s->records[s->record_count++];
    r->outgoing = l->outgoing;
    copy_text(r->remote, sizeof r->remote, l->remote);
    r->setup_ms = l->established_ms ? (int)(l->established_ms - l->started_ms) : -1;
    r->talk_ms = l->established_ms ? (int)(t - l->established_ms) : 0;
    r->status_code = status_code;
    copy_text(r->reason, sizeof r->reason, reason);
    copy_text(r->codec, sizeof r->codec, l->codec);
    r->frames_sent = l->frames_sent;
    r->rx = l->rx;
    if (l->established_ms && (status_code == 0 || status_code == 200)) {
        s->completed_calls++;
    }
}

static void on_call_state(sw_call *call, int32_t ev, int32_t status_code, const char *reason, void *user_data)
{
    ata_state *s = (ata_state *)user_data;
    ata_line *l = line_of(s, call);
    char code[32];
    snprintf(code, sizeof code, "%d", (int)status_code);
    if (l == NULL) {
        return;
    }
    switch (ev) {
    case SW_CALL_RINGING:
        say(s, "call to %s: ringing (%s)", l->remote, code);
        break;
    case SW_CALL_ESTABLISHED:
        l->established_ms = now_ms();
        say(s, "call with %s: established (%s)", l->remote, code);
        if (l->outgoing) {
            l->hangup_at_ms = now_ms() + s->cfg.talk_ms;
            if (s->cfg.dtmf[0] != '\0' && sw_call_send_dtmf(call, s->cfg.dtmf, 160) != SW_OK) {
                say(s, "DTMF failed: %s%s", detail(), NULL);
            }
        }
        break;
    case SW_CALL_MEDIA_UPDATED:
        say(s, "call with %s: media updated%s", l->remote, NULL);
        break;
    case SW_CALL_UPDATE_FAILED:
        say(s, "call with %s: re-INVITE refused (%s)", l->remote, code);
        break;
    case SW_CALL_ENDED:
        say(s, "call with %s: ended (%s)", l->remote, reason);
        record_end(s, l, status_code, reason);
        memset(l, 0, sizeof *l); /* the handle is stale after this callback */
        break;
    default:
        break;
    }
}

static void on_media(sw_call *call, int32_t ev, const char *codec, int32_t value, const char *text, void *user_data)
{
    ata_state *s = (ata_state *)user_data;
    ata_line *l = line_of(s, call);
    char digit[2];
    if (l == NULL) {
        return;
    }
    switch (ev) {
    case SW_MEDIA_STARTED:
        l->media_up = 1;
        snprintf(l->codec, sizeof l->codec, "%s", codec);
        say(s, "media started: %s %s", codec, text);
        break;
    case SW_MEDIA_UPDATED:
        snprintf(l->codec, sizeof l->codec, "%s", codec);
        say(s, "media updated: %s %s", codec, text);
        break;
    case SW_MEDIA_FAILED:
        say(s, "media failed: %s%s", text, NULL);
        break;
    case SW_MEDIA_STOPPED:
        l->media_up = 0;
        say(s, "media stopped (%s)%s", codec, NULL);
        break;
    case SW_MEDIA_DTMF:
        digit[0] = (char)value;
        digit[1] = '\0';
        say(s, "DTMF %s received (RFC 4733, %s)", digit, text);
        break;
    default:
        break;
    }
}

/* The audio clock: every frame_ms, each line with media sends a frame of the source and reads one. */
static void run_audio(ata_state *s)
{
    int16_t frame[320];
    int n = s->cfg.sample_rate * s->cfg.frame_ms / 1000;
    int64_t t = now_us();
    int i;
    if (s->cfg.rtp_port == 0) {
        return;
    }
    if (s->next_frame_us == 0) {
        s->next_frame_us = t;
    }
    while (t >= s->next_frame_us) {
        s->next_frame_us += (int64_t)s->cfg.frame_ms * 1000;
        for (i = 0; i < s->cfg.lines; i++) {
            ata_line *l = &s->line[i];
            int32_t written = 0;
            if (!l->used || !l->media_up) {
                continue;
            }
            ata_source_next(&s->source, frame, n);
            if (sw_call_write_audio(l->call, frame, n) == SW_OK) {
                l->frames_sent++;
            }
            if (sw_call_read_audio(l->call, frame, (int32_t)(sizeof frame / sizeof frame[0]), &written) == SW_OK) {
                ata_stats_add(&l->rx, frame, written);
                ata_wav_write(&s->wav, frame, written);
            }
        }
    }
}

/* How long the next poll may wait: until the next audio frame while a call has media. */
static int poll_timeout_ms(const ata_state *s)
{
    int64_t left;
    if (s->cfg.rtp_port == 0 || s->next_frame_us == 0) {
        return 20;
    }
    left = (s->next_frame_us - now_us()) / 1000;
    return left < 0 ? 0 : left > 20 ? 20 : (int)left;
}

static void place_call(ata_state *s)
{
    ata_line *l = free_line(s);
    sw_call *call = NULL;
    s->call_placed = 1;
    if (l == NULL) {
        say(s, "no free line for %s%s", s->cfg.call, NULL);
        return;
    }
    if (sw_call_make(s->account, s->cfg.call, &call) != SW_OK) {
        say(s, "sw_call_make failed: %s%s", detail(), NULL);
        return;
    }
    memset(l, 0, sizeof *l);
    l->used = 1;
    l->call = call;
    l->outgoing = 1;
    l->started_ms = now_ms();
    snprintf(l->remote, sizeof l->remote, "%s", s->cfg.call);
    say(s, "calling %s%s", s->cfg.call, NULL);
}

/* Timers of the firmware itself, run from the poll loop (the SDK's own timers run inside poll). */
static void run_timers(ata_state *s)
{
    int i;
    int64_t t = now_ms();
    if (s->call_at_ms != 0 && t >= s->call_at_ms) {
        s->call_at_ms = 0;
        place_call(s);
    }
    for (i = 0; i < s->cfg.lines; i++) {
        ata_line *l = &s->line[i];
        if (!l->used) {
            continue;
        }
        if (l->answer_at_ms != 0 && t >= l->answer_at_ms) {
            l->answer_at_ms = 0;
            if (sw_call_answer(l->call) != SW_OK) {
                say(s, "answer failed: %s%s", detail(), NULL);
            } else {
                say(s, "answered %s%s", l->remote, NULL);
            }
        }
        if (l->hangup_at_ms != 0 && t >= l->hangup_at_ms) {
            l->hangup_at_ms = 0;
            say(s, "hanging up on %s%s", l->remote, NULL);
            if (sw_call_hangup(l->call) != SW_OK) {
                say(s, "hangup failed: %s%s", detail(), NULL);
            }
        }
    }
}

/* Runs on the endpoint's thread through sw_endpoint_post(): the watchdog thread asks for a stop. */
static void posted_stop(void *user_data)
{
    ata_state *s = (ata_state *)user_data;
    s->posted_runs++;
    s->stop_requested = 1;
}

typedef struct {
    ata_state *state;
    int run_ms;
} watchdog_args;

/* A second thread (like an ATA's hook/keypad task) that hands work to the SIP task through the post queue. */
static void *watchdog(void *arg)
{
    watchdog_args *w = (watchdog_args *)arg;
    int64_t end = now_ms() + w->run_ms;
    while (now_ms() < end && !s_signal) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (sw_endpoint_post(w->state->ep, posted_stop, w->state) != SW_OK) {
        fprintf(stderr, "sw_endpoint_post failed: %s\n", detail());
    }
    return NULL;
}

static void on_signal(int sig)
{
    s_signal = sig;
}

static int start_registrar_role(ata_state *s)
{
    char users[MAX_TEXT];
    char *save = NULL;
    char *item;
    int auth = s->cfg.users[0] != '\0';
    if (sw_registrar_start(s->ep, s->cfg.registrar_role, auth) != SW_OK) {
        say(s, "sw_registrar_start failed: %s%s", detail(), NULL);
        return -1;
    }
    snprintf(users, sizeof users, "%s", s->cfg.users);
    for (item = strtok_r(users, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(item, ':');
        if (colon == NULL) {
            say(s, "users: '%s' is not user:password%s", item, NULL);
            return -1;
        }
        *colon = '\0';
        if (sw_registrar_add_user(s->ep, item, colon + 1) != SW_OK) {
            say(s, "sw_registrar_add_user failed: %s%s", detail(), NULL);
            return -1;
        }
    }
    return 0;
}

static void report(const ata_state *s)
{
    int i;
    printf("\n==== call report: %s ====\n", s->cfg.name);
    if (s->cfg.registrar_role[0] == '\0') {
        printf("registration: %s, %d failure(s)\n", s->registered ? "registered" : "not registered", s->register_failures);
    }
    if (s->record_count == 0) {
        printf("no calls\n");
    }
    for (i = 0; i < s->record_count; i++) {
        const ata_record *r = &s->records[i];
        printf("call %d: %-8s %-32s setup %5d ms  talk %6.2f s  end %d %s\n", i + 1, r->outgoing ? "outgoing" : "incoming",
               r->remote, r->setup_ms, (double)r->talk_ms / 1000.0, r->status_code, r->reason);
        if (s->cfg.rtp_port != 0) {
            printf("call %d audio: codec %s, frames sent %ld, received %ld (%ld with sound), level %.1f dBFS, tone %.0f Hz\n", i + 1,
                   r->codec[0] ? r->codec : "none", r->frames_sent, r->rx.frames, r->rx.loud_frames, ata_stats_dbfs(&r->rx),
                   ata_stats_hz(&r->rx, s->cfg.sample_rate));
        }
    }
    if (s->cfg.record_wav[0] != '\0') {
        printf("received audio: %s (%.2f s at %d Hz)\n", s->cfg.record_wav, (double)s->wav.samples / s->cfg.sample_rate, s->cfg.sample_rate);
    }
    printf("completed calls: %d (expected %d)\n", s->completed_calls, s->cfg.expect_calls);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static ata_state s;
    sw_endpoint_config ec;
    sw_callbacks cb;
    pthread_t thread;
    watchdog_args wargs;
    int have_thread = 0;
    int rc = 0;
    char local[64];
    int32_t needed = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CONFIG\n", argv[0]);
        return 2;
    }
    if (load_config(argv[1], &s.cfg) != 0) {
        return 2;
    }
    s.start_ms = now_ms();
    if ((sw_version() >> 16) != SW_VERSION_MAJOR) {
        fprintf(stderr, "libsipwire major version %u, header %d\n", (unsigned)(sw_version() >> 16), SW_VERSION_MAJOR);
        return 2;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    sw_callbacks_init(&cb);
    cb.on_registration = on_registration;
    cb.on_incoming_call = on_incoming_call;
    cb.on_call_state = on_call_state;
    cb.on_log = on_log;
    cb.on_media = on_media;
    cb.user_data = &s;
    sw_endpoint_config_init(&ec);
    ec.callbacks = &cb;
    ec.bind_address = s.cfg.bind;
    ec.udp_port = s.cfg.udp_port;
    ec.log_level = s.cfg.log_level;
    ec.user_agent = "ata-sim";
    if (sw_endpoint_create(&ec, &s.ep) != SW_OK) {
        fprintf(stderr, "sw_endpoint_create: %s\n", detail());
        return 2;
    }
    if (sw_endpoint_get_local_address(s.ep, SW_TRANSPORT_UDP, local, (int32_t)sizeof local, &needed) == SW_OK) {
        say(&s, "listening on udp %s%s", local, NULL);
    }
    if (s.cfg.rtp_port != 0) {
        sw_media_config mc;
        char err[512];
        sw_media_config_init(&mc);
        mc.codecs = s.cfg.codecs[0] ? s.cfg.codecs : NULL;
        mc.sample_rate = s.cfg.sample_rate;
        mc.frame_ms = s.cfg.frame_ms;
        mc.echo_canceller = s.cfg.echo_canceller;
        mc.rtp_port_base = s.cfg.rtp_port;
        mc.rtp_port_count = 2 * s.cfg.lines + 2;
        if (sw_endpoint_set_media(s.ep, &mc) != SW_OK) {
            fprintf(stderr, "media: %s\n", detail());
            sw_endpoint_destroy(s.ep);
            return 2;
        }
        if (s.cfg.play_wav[0] != '\0') {
            if (ata_source_load_wav(&s.source, s.cfg.play_wav, s.cfg.sample_rate, err, sizeof err) != 0) {
                fprintf(stderr, "play_wav: %s\n", err);
                sw_endpoint_destroy(s.ep);
                return 2;
            }
        } else {
            ata_source_tone(&s.source, s.cfg.tone_hz, s.cfg.sample_rate);
        }
        if (s.cfg.record_wav[0] != '\0' && ata_wav_open(&s.wav, s.cfg.record_wav, s.cfg.sample_rate) != 0) {
            fprintf(stderr, "record_wav: cannot write %s\n", s.cfg.record_wav);
            ata_source_free(&s.source);
            sw_endpoint_destroy(s.ep);
            return 2;
        }
    }
    if (s.cfg.registrar_role[0] != '\0') {
        if (start_registrar_role(&s) != 0) {
            sw_endpoint_destroy(s.ep);
            return 2;
        }
    } else {
        sw_account_config ac;
        sw_account_config_init(&ac);
        ac.aor = s.cfg.aor;
        ac.registrar = s.cfg.registrar;
        ac.outbound_proxy = s.cfg.outbound_proxy[0] ? s.cfg.outbound_proxy : NULL;
        ac.username = s.cfg.username[0] ? s.cfg.username : NULL;
        ac.password = s.cfg.username[0] ? s.cfg.password : NULL;
        ac.expires = s.cfg.expires;
        if (sw_account_add(s.ep, &ac, &s.account) != SW_OK || sw_account_register(s.account) != SW_OK) {
            fprintf(stderr, "account %s: %s\n", s.cfg.aor, detail());
            sw_endpoint_destroy(s.ep);
            return 2;
        }
    }
    if (s.cfg.run_ms > 0) {
        wargs.state = &s;
        wargs.run_ms = s.cfg.run_ms;
        have_thread = pthread_create(&thread, NULL, watchdog, &wargs) == 0;
    }

    while (!s.stop_requested && !s_signal) {
        if (sw_endpoint_poll(s.ep, poll_timeout_ms(&s)) != SW_OK) {
            fprintf(stderr, "sw_endpoint_poll: %s\n", detail());
            rc = 1;
            break;
        }
        run_audio(&s);
        run_timers(&s);
    }

    /* Orderly shutdown: hang up, unregister (RFC 3261 §10.2.2) and give it up to 2 s. */
    {
        int i;
        int64_t until = now_ms() + 2000;
        for (i = 0; i < s.cfg.lines; i++) {
            if (s.line[i].used) {
                sw_call_hangup(s.line[i].call);
            }
        }
        if (s.account != NULL && s.registered) {
            sw_account_unregister(s.account);
        }
        while (now_ms() < until && (s.registered || any_line_used(&s))) {
            sw_endpoint_poll(s.ep, 20);
        }
    }
    if (have_thread) {
        pthread_join(thread, NULL);
    }
    sw_endpoint_destroy(s.ep);
    if (ata_wav_close(&s.wav) != 0) {
        fprintf(stderr, "record_wav: writing %s failed\n", s.cfg.record_wav);
        rc = 1;
    }
    ata_source_free(&s.source);
    report(&s);
    if (s.cfg.expect_calls > 0 && s.completed_calls < s.cfg.expect_calls) {
        rc = 1;
    }
    return rc;
}
