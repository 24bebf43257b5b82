/* Thin C wrapper over libsrtp2 for P/Invoke: one session per direction, AES_CM_128_HMAC_SHA1_80/_32. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

/* Returns 0 on success, else the srtp_err_status_t of srtp_init. */
SHIM_EXPORT int32_t sw_srtp_shim_init(void)
{
    static int initialized;
    if (!initialized) {
        srtp_err_status_t st = srtp_init();
        if (st != srtp_err_status_ok) {
            return (int32_t)st;
        }
        initialized = 1;
    }
    return 0;
}

/* tag_bits: 80 or 32 (RTP tag; RTCP always uses the 80-bit tag, RFC 4568 §6.2).
 * key_salt: 30 octets (16-octet master key then 14-octet master salt).
 * outbound: 1 for protect, 0 for unprotect. On success *out_session is set and 0 returned. */
SHIM_EXPORT int32_t sw_srtp_shim_create(int32_t tag_bits, const uint8_t *key_salt, int32_t outbound, void **out_session)
{
    srtp_policy_t policy;
    srtp_t session = NULL;
    uint8_t key[SRTP_AES_ICM_128_KEY_LEN_WSALT];
    srtp_err_status_t st;

    if (key_salt == NULL || out_session == NULL || (tag_bits != 80 && tag_bits != 32)) {
        return -1;
    }
    memset(&policy, 0, sizeof(policy));
    if (tag_bits == 80) {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    } else {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
    }
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    memcpy(key, key_salt, sizeof(key));
    policy.key = key;
    policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
    policy.window_size = 128;
    policy.allow_repeat_tx = 0;
    policy.next = NULL;
    st = srtp_create(&session, &policy);
    if (st != srtp_err_status_ok) {
        return (int32_t)st;
    }
    *out_session = session;
    return 0;
}

/* In place. *len is the RTP packet length on input, the SRTP length on output; capacity must
 * leave room for the tag (SRTP_MAX_TRAILER_LEN). Returns 0 or the srtp_err_status_t. */
SHIM_EXPORT int32_t sw_srtp_shim_protect(void *session, uint8_t *packet, int32_t *len, int32_t capacity)
{
    int n;
    srtp_err_status_t st;
    if (session == NULL || packet == NULL || len == NULL || *len + SRTP_MAX_TRAILER_LEN > capacity) {
        return -1;
    }
    n = *len;
    st = srtp_protect((srtp_t)session, packet, &n);
    *len = n;
    return (int32_t)st;
}

SHIM_EXPORT int32_t sw_srtp_shim_unprotect(void *session, uint8_t *packet, int32_t *len)
{
    int n;
    srtp_err_status_t st;
    if (session == NULL || packet == NULL || len == NULL) {
        return -1;
    }
    n = *len;
    st = srtp_unprotect((srtp_t)session, packet, &n);
    *len = n;
    return (int32_t)st;
}

SHIM_EXPORT int32_t sw_srtp_shim_protect_rtcp(void *session, uint8_t *packet, int32_t *len, int32_t capacity)
{
    int n;
    srtp_err_status_t st;
    if (session == NULL || packet == NULL || len == NULL || *len + SRTP_MAX_TRAILER_LEN + 4 > capacity) {
        return -1;
    }
    n = *len;
    st = srtp_protect_rtcp((srtp_t)session, packet, &n);
    *len = n;
    return (int32_t)st;
}

SHIM_EXPORT int32_t sw_srtp_shim_unprotect_rtcp(void *session, uint8_t *packet, int32_t *len)
{
    int n;
    srtp_err_status_t st;
    if (session == NULL || packet == NULL || len == NULL) {
        return -1;
    }
    n = *len;
    st = srtp_unprotect_rtcp((srtp_t)session, packet, &n);
    *len = n;
    return (int32_t)st;
}

SHIM_EXPORT void sw_srtp_shim_destroy(void *session)
{
    if (session != NULL) {
        srtp_dealloc((srtp_t)session);
    }
}
