/* SPDX-License-Identifier: MIT */
/* sw_tls_provider over mbedTLS 2.28: non-blocking sessions whose BIO is sw_tls_io_send/sw_tls_io_recv. */
#include "sw_tls_mbedtls.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>

#include <stdlib.h>
#include <string.h>

typedef struct {
    mbedtls_ssl_config conf; /* per session: mbedTLS 2.28 keeps the RNG in the config */
    mbedtls_ssl_context ssl;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    sw_tls_io *io;
    sw_tls_mbedtls *ctx;
} session;

static int bio_send(void *p, const unsigned char *buf, size_t len)
{
    session *s = (session *)p;
    if (len > 0x7FFFFFFF) {
        len = 0x7FFFFFFF;
    }
    return sw_tls_io_send(s->io, buf, (int32_t)len) == SW_OK ? (int)len : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *p, unsigned char *buf, size_t len)
{
    session *s = (session *)p;
    int32_t got = 0;
    sw_status st = sw_tls_io_recv(s->io, buf, (int32_t)(len > 0x7FFFFFFF ? 0x7FFFFFFF : len), &got);
    if (st == SW_E_NETWORK) {
        return 0; /* the peer closed the connection */
    }
    if (st != SW_OK) {
        return MBEDTLS_ERR_NET_RECV_FAILED;
    }
    return got == 0 ? MBEDTLS_ERR_SSL_WANT_READ : (int)got;
}

static void session_free(session *s)
{
    mbedtls_ssl_free(&s->ssl);
    mbedtls_ssl_config_free(&s->conf);
    mbedtls_ctr_drbg_free(&s->drbg);
    mbedtls_entropy_free(&s->entropy);
    free(s);
}

static int setup_config(mbedtls_ssl_config *conf, int endpoint)
{
    int rc = mbedtls_ssl_config_defaults(conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc == 0) {
        /* TLS 1.2 at least (RFC 8996 deprecates 1.0/1.1). */
        mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    }
    return rc;
}

static int32_t tls_open(int32_t is_server, const char *server_name, sw_tls_io *io, void **out_session, void *user_data)
{
    sw_tls_mbedtls *ctx = (sw_tls_mbedtls *)user_data;
    static const unsigned char personal[] = "sipwire-mbedtls";
    session *s;
    int rc;
    *out_session = NULL;
    if (is_server ? !ctx->has_cert : ctx->ca.version == 0) {
        return SW_TLS_ERROR;
    }
    s = (session *)calloc(1, sizeof *s);
    if (s == NULL) {
        return SW_TLS_ERROR;
    }
    s->io = io;
    s->ctx = ctx;
    mbedtls_ssl_config_init(&s->conf);
    mbedtls_ssl_init(&s->ssl);
    mbedtls_entropy_init(&s->entropy);
    mbedtls_ctr_drbg_init(&s->drbg);
    rc = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy, personal, sizeof personal - 1);
    if (rc == 0) {
        rc = setup_config(&s->conf, is_server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT);
    }
    if (rc == 0) {
        mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, &s->drbg);
        if (is_server) {
            mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_NONE);
            rc = mbedtls_ssl_conf_own_cert(&s->conf, &ctx->cert, &ctx->key);
        } else {
            /* Clients always verify the server (RFC 5922 §7.1); no "optional" mode. */
            mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
            mbedtls_ssl_conf_ca_chain(&s->conf, &ctx->ca, NULL);
        }
    }
    if (rc == 0) {
        rc = mbedtls_ssl_setup(&s->ssl, &s->conf);
    }
    if (rc == 0 && !is_server) {
        /* RFC 5922 §7.1: the server certificate must name the host we connected to; SNI too. */
        rc = mbedtls_ssl_set_hostname(&s->ssl, server_name);
    }
    if (rc != 0) {
        ctx->last_error = rc;
        session_free(s);
        return SW_TLS_ERROR;
    }
    mbedtls_ssl_set_bio(&s->ssl, s, bio_send, bio_recv, NULL);
    *out_session = s;
    return SW_TLS_OK;
}

static int32_t tls_handshake(void *p, void *user_data)
{
    session *s = (session *)p;
    int rc = mbedtls_ssl_handshake(&s->ssl);
    (void)user_data;
    if (rc == 0) {
        return SW_TLS_OK;
    }
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
        return SW_TLS_WANT_READ;
    }
    s->ctx->last_error = rc;
    return SW_TLS_ERROR;
}

static int32_t tls_read(void *p, uint8_t *buffer, int32_t size, int32_t *out_read, void *user_data)
{
    session *s = (session *)p;
    int rc = mbedtls_ssl_read(&s->ssl, buffer, (size_t)size);
    (void)user_data;
    *out_read = 0;
    if (rc > 0) {
        *out_read = rc;
        return SW_TLS_OK;
    }
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
        return SW_TLS_WANT_READ;
    }
    if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
        return SW_TLS_CLOSED;
    }
    s->ctx->last_error = rc;
    return SW_TLS_ERROR;
}

static int32_t tls_write(void *p, const uint8_t *data, int32_t length, void *user_data)
{
    session *s = (session *)p;
    int32_t done = 0;
    (void)user_data;
    while (done < length) {
        int rc = mbedtls_ssl_write(&s->ssl, data + done, (size_t)(length - done));
        if (rc > 0) {
            done += rc;
        } else if (rc != MBEDTLS_ERR_SSL_WANT_WRITE) {
            s->ctx->last_error = rc;
            return SW_TLS_ERROR;
        }
    }
    return SW_TLS_OK;
}

static void tls_close(void *p, void *user_data)
{
    session *s = (session *)p;
    (void)user_data;
    mbedtls_ssl_close_notify(&s->ssl);
    session_free(s);
}

int sw_tls_mbedtls_init(sw_tls_mbedtls *ctx, const char *ca_file, const char *cert_file, const char *key_file)
{
    int rc = 0;
    memset(ctx, 0, sizeof *ctx);
    mbedtls_x509_crt_init(&ctx->ca);
    mbedtls_x509_crt_init(&ctx->cert);
    mbedtls_pk_init(&ctx->key);
    if (ca_file != NULL) {
        rc = mbedtls_x509_crt_parse_file(&ctx->ca, ca_file);
    }
    if (rc == 0 && cert_file != NULL && key_file != NULL) {
        rc = mbedtls_x509_crt_parse_file(&ctx->cert, cert_file);
        if (rc == 0) {
            rc = mbedtls_pk_parse_keyfile(&ctx->key, key_file, NULL);
        }
        ctx->has_cert = rc == 0;
    }
    if (rc != 0) {
        sw_tls_mbedtls_free(ctx);
    }
    return rc;
}

void sw_tls_mbedtls_free(sw_tls_mbedtls *ctx)
{
    mbedtls_pk_free(&ctx->key);
    mbedtls_x509_crt_free(&ctx->cert);
    mbedtls_x509_crt_free(&ctx->ca);
}

void sw_tls_mbedtls_provider(sw_tls_mbedtls *ctx, sw_tls_provider *out_provider)
{
    memset(out_provider, 0, sizeof *out_provider);
    out_provider->struct_size = (uint32_t)sizeof *out_provider;
    out_provider->open = tls_open;
    out_provider->handshake = tls_handshake;
    out_provider->read = tls_read;
    out_provider->write = tls_write;
    out_provider->close = tls_close;
    out_provider->user_data = ctx;
}
