/* SPDX-License-Identifier: MIT */
/**
 * @file sw_tls_mbedtls.h
 * @brief A sw_tls_provider over mbedTLS 2.28: the TLS transport for firmware builds without SslStream.
 *
 * Fill a ::sw_tls_mbedtls with sw_tls_mbedtls_init(), then put the table from
 * sw_tls_mbedtls_provider() into sw_endpoint_config.tls_provider. Clients verify the server's
 * certificate against the CA file and the host name (RFC 5922 §7.1); servers present cert/key.
 * Each session has its own DRBG, so sessions on different threads never share mutable state.
 */
#ifndef SW_TLS_MBEDTLS_H
#define SW_TLS_MBEDTLS_H

#include <sipwire.h>

#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Trust anchors and own certificate, shared read-only by every session (each has its own config and DRBG). */
typedef struct sw_tls_mbedtls {
    mbedtls_x509_crt ca;
    mbedtls_x509_crt cert;
    mbedtls_pk_context key;
    int has_cert;
    /** @brief The last mbedTLS error code of a failed session (for logs); 0 when none. */
    volatile int last_error;
} sw_tls_mbedtls;

/**
 * @brief Loads the CA file (PEM, required for clients) and, for servers, the certificate and key.
 * @param ctx The context to fill.
 * @param ca_file PEM trust anchors; NULL to refuse client sessions.
 * @param cert_file PEM certificate chain for the server side; NULL for client-only.
 * @param key_file PEM private key matching cert_file; NULL for client-only.
 * @return 0, or a negative mbedTLS error code (the context is freed again).
 */
int sw_tls_mbedtls_init(sw_tls_mbedtls *ctx, const char *ca_file, const char *cert_file, const char *key_file);

/** @brief Frees what sw_tls_mbedtls_init() loaded; endpoints using it must be destroyed first. */
void sw_tls_mbedtls_free(sw_tls_mbedtls *ctx);

/** @brief Fills a provider table whose user_data is ctx. */
void sw_tls_mbedtls_provider(sw_tls_mbedtls *ctx, sw_tls_provider *out_provider);

#ifdef __cplusplus
}
#endif

#endif /* SW_TLS_MBEDTLS_H */
