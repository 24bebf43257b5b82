/* SPDX-License-Identifier: MIT */
/**
 * @file sipwire.h
 * @brief The Sipwire C ABI: SIP signaling and voice media for embedded devices.
 *
 * GENERATED from managed/Sipwire.Native by bindings/tools/Sipwire.HeaderGen: do not edit.
 * Regenerate with `build.ps1 generate`; `build.ps1 verify` fails when this file is stale.
 *
 * Conventions: every function returns sw_status (SW_OK = 0, errors negative) unless stated;
 * outputs go through out_* pointers; strings are NUL-terminated UTF-8; text outputs go to a
 * caller buffer and give SW_E_BUFFER_TOO_SMALL with the size needed; what the SDK creates,
 * the SDK destroys (sw_*_destroy).
 */
#ifndef SIPWIRE_H
#define SIPWIRE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SW_API
#define SW_API
#endif

#define SW_VERSION_MAJOR 0
#define SW_VERSION_MINOR 1
#define SW_VERSION_PATCH 0
/** @brief The version this header describes; compare with sw_version() at run time. */
#define SW_VERSION_NUMBER ((SW_VERSION_MAJOR << 16) | (SW_VERSION_MINOR << 8) | SW_VERSION_PATCH)

/** @brief What happened to a call (the event argument of sw_call_state_cb). */
typedef int32_t sw_call_event;
/** @brief Outgoing: the callee is ringing or in progress (180/183). */
#define SW_CALL_RINGING 1
/** @brief The call is up: 2xx and ACK exchanged, media negotiated. */
#define SW_CALL_ESTABLISHED 2
/** @brief A re-INVITE (ours or the peer's) changed the media: hold or resume. */
#define SW_CALL_MEDIA_UPDATED 3
/** @brief Our re-INVITE was refused (491, 488, ...); the previous media stays. */
#define SW_CALL_UPDATE_FAILED 4
/**
 * @brief The call ended (BYE, CANCEL, final error, timeout); the sw_call handle is stale once
 * the callback returns.
 */
#define SW_CALL_ENDED 5
/**
 * @brief Outgoing: a 3xx redirected the INVITE and the call now tries the next target (RFC 3261
 * §8.1.3.4); the reason names it.
 */
#define SW_CALL_REDIRECTED 6
/** @brief A session refresh (RFC 4028) succeeded. */
#define SW_CALL_REFRESHED 7

/**
 * @brief Severity of a log line; the endpoint passes lines at or above
 * sw_endpoint_config.log_level.
 */
typedef int32_t sw_log_level;
/** @brief Protocol detail: every message sent and received (first line only). */
#define SW_LOG_DEBUG 0
/** @brief State changes: registrations, calls. */
#define SW_LOG_INFO 1
/** @brief Something failed that the SDK recovers from (a retry, a malformed message). */
#define SW_LOG_WARNING 2
/** @brief Something failed that the application should know about. */
#define SW_LOG_ERROR 3
/** @brief No logging (as log_level). */
#define SW_LOG_NONE 4

/** @brief What happened to a call's media (the event argument of sw_call_media_cb). */
typedef int32_t sw_media_event;
/** @brief RTP runs: on the answer, or on 183 early media (RFC 3960); codec names the send codec. */
#define SW_MEDIA_STARTED 0
/** @brief A re-INVITE or UPDATE changed codec, address or direction (hold/resume). */
#define SW_MEDIA_UPDATED 1
/**
 * @brief The media could not start or update (RTP port in use, codec not in this build, bad SRTP
 * keys); the call goes on, text says why.
 */
#define SW_MEDIA_FAILED 2
/**
 * @brief The media stopped (call ended; RTCP BYE sent). Reads and writes give SW_E_INVALID_STATE
 * from now on.
 */
#define SW_MEDIA_STOPPED 3
/** @brief An RFC 4733 DTMF digit ended; value is the digit in ASCII ('0'-'9', '*', '#', 'A'-'D'). */
#define SW_MEDIA_DTMF 4

/**
 * @brief What happened to an account's registration (the event argument of
 * sw_account_registration_cb).
 */
typedef int32_t sw_registration_event;
/**
 * @brief A 2xx confirmed the binding (first registration or refresh); expires holds the granted
 * seconds.
 */
#define SW_REG_REGISTERED 0
/**
 * @brief A REGISTER failed (final non-2xx, 408 no response, 503 transport error, wrong
 * credentials); the SDK retries with back-off unless the credentials were refused.
 */
#define SW_REG_FAILED 1
/** @brief The binding was removed (sw_account_unregister() confirmed). */
#define SW_REG_UNREGISTERED 2

/** @brief How calls treat SRTP (RFC 3711 with SDES keys, RFC 4568). */
typedef int32_t sw_srtp_policy;
/** @brief Offer RTP/AVP; refuse RTP/SAVP offers. */
#define SW_SRTP_OFF 0
/** @brief Offer RTP/SAVP with SDES keys; refuse plain RTP (no downgrade). */
#define SW_SRTP_REQUIRED 1
/** @brief Offer RTP/AVP; accept an RTP/SAVP offer with a supported suite. */
#define SW_SRTP_ACCEPTED 2

/**
 * @brief Result of every C ABI call: 0 is success, negative values are errors. Values are
 * grouped in ranges and never renumbered: -1..-99 argument and state errors, -100..-199 resource
 * errors, -200..-299 network errors, -900..-999 internal errors.
 */
typedef int32_t sw_status;
/** @brief Success. */
#define SW_OK 0
/** @brief A NULL, stale or out-of-range argument; sw_last_error_detail() says which. */
#define SW_E_INVALID_ARG (-1)
/**
 * @brief The caller's buffer is too small; the needed size was stored in the out_needed
 * parameter.
 */
#define SW_E_BUFFER_TOO_SMALL (-2)
/** @brief The call is not allowed in the object's current state. */
#define SW_E_INVALID_STATE (-3)
/** @brief Memory could not be allocated. */
#define SW_E_NO_MEMORY (-100)
/** @brief A configured limit (handles, transactions, dialogs, ...) is reached. */
#define SW_E_LIMIT (-101)
/** @brief A socket could not be opened or bound (address in use, no such address, ...). */
#define SW_E_NETWORK (-200)
/** @brief An unexpected failure inside the SDK; sw_last_error_detail() has the detail. */
#define SW_E_INTERNAL (-999)

/** @brief What happened to a subscription (the event argument of sw_subscription_cb). */
typedef int32_t sw_subscription_event;
/** @brief The SUBSCRIBE was accepted (2xx); expires holds the granted seconds. */
#define SW_SUB_ACCEPTED 1
/** @brief A NOTIFY arrived; body and content_type hold the state (e.g. PIDF for presence). */
#define SW_SUB_NOTIFIED 2
/** @brief A refresh failed; the subscription lasts until it expires. */
#define SW_SUB_REFRESH_FAILED 3
/**
 * @brief The subscription ended (refused, expired, terminated by the notifier or by
 * sw_subscription_stop()); the handle is stale once the callback returns.
 */
#define SW_SUB_TERMINATED 4

/** @brief What a sw_tls_provider callback reports. */
typedef int32_t sw_tls_result;
/** @brief Done: the handshake finished, data was read or written, the session was opened. */
#define SW_TLS_OK 0
/**
 * @brief The TLS library needs more bytes from the peer (sw_tls_io_recv() gave 0); the SDK calls
 * again when they arrive.
 */
#define SW_TLS_WANT_READ 1
/** @brief read: the peer closed the TLS session (close_notify) or the connection. */
#define SW_TLS_CLOSED 2
/**
 * @brief A fatal error (bad certificate, name mismatch, protocol error); the connection is
 * closed.
 */
#define SW_TLS_ERROR (-1)

/** @brief What happened in a call transfer (the event argument of sw_call_transfer_cb). */
typedef int32_t sw_transfer_event;
/** @brief Transferor: the peer accepted our REFER (202). */
#define SW_TRANSFER_ACCEPTED 0
/** @brief Transferor: a NOTIFY reported progress (a 1xx of the new call). */
#define SW_TRANSFER_PROGRESS 1
/** @brief Transferor: the transfer target answered; this call is hung up. */
#define SW_TRANSFER_SUCCEEDED 2
/** @brief Transferor: the REFER was refused or the new call failed; this call stays up. */
#define SW_TRANSFER_FAILED 3
/** @brief Transferee: the peer referred us; new_call is the call we placed to the target. */
#define SW_TRANSFER_REFERRED 4
/** @brief Transfer target: new_call (with Replaces) takes this call's place; this call ends. */
#define SW_TRANSFER_REPLACED 5

/** @brief A SIP transport protocol. */
typedef int32_t sw_transport;
/** @brief UDP datagrams. */
#define SW_TRANSPORT_UDP 0
/** @brief TCP byte stream. */
#define SW_TRANSPORT_TCP 1
/** @brief TLS over TCP (sips). */
#define SW_TRANSPORT_TLS 2

/** @brief An account: one address-of-record with its registration and credentials. */
typedef struct sw_account sw_account;

/** @brief A call: one INVITE dialog usage, placed or received. */
typedef struct sw_call sw_call;

/** @brief An endpoint: transports, accounts, calls and subscriptions driven by one thread. */
typedef struct sw_endpoint sw_endpoint;

/**
 * @brief A subscription to an event package (RFC 6665): presence, ua-profile, dialog,
 * message-summary, ...
 */
typedef struct sw_subscription sw_subscription;

/**
 * @brief The TCP connection under one TLS session: the provider's I/O goes through
 * sw_tls_io_send() and sw_tls_io_recv().
 */
typedef struct sw_tls_io sw_tls_io;

/* Configuration and callback tables, defined below. */
typedef struct sw_account_config sw_account_config;
typedef struct sw_callbacks sw_callbacks;
typedef struct sw_endpoint_config sw_endpoint_config;
typedef struct sw_media_config sw_media_config;
typedef struct sw_tls_provider sw_tls_provider;

/**
 * @brief Reports a registration outcome of an account. Called only inside sw_endpoint_poll(), on
 * its thread; may call back into the API.
 * @param account The account.
 * @param registration_event An SW_REG_* code.
 * @param status_code The SIP status of the REGISTER (200, 401, 403, 423, 503, ...; 408 when nothing
 * answered; 0 when none was sent).
 * @param reason The reason phrase or a local explanation; valid only during the call.
 * @param expires With SW_REG_REGISTERED: the seconds the registrar granted; else 0.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_account_registration_cb)(sw_account *account, int32_t registration_event, int32_t status_code, const char *reason, int32_t expires, void *user_data);

/**
 * @brief A new call arrived and rings here (180 sent). Answer with sw_call_answer(), refuse with
 * sw_call_reject(), or do it later from the poll thread. Called only inside sw_endpoint_poll().
 * @param account The account the call is for (the endpoint's first account).
 * @param call The new call; valid until the SW_CALL_ENDED event of it returns.
 * @param from The caller's URI; valid only during the call.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_call_incoming_cb)(sw_account *account, sw_call *call, const char *from, void *user_data);

/**
 * @brief Reports a media event of a call. Called only inside sw_endpoint_poll(), on its thread.
 * @param call The call.
 * @param media_event An SW_MEDIA_* code.
 * @param codec The send codec as "PCMU/8000", "G722/8000", "opus/48000/2"; "" when none; valid only
 * during the callback.
 * @param value SW_MEDIA_STARTED/UPDATED: the RTP payload type sent; SW_MEDIA_DTMF: the digit; else
 * 0.
 * @param text SW_MEDIA_FAILED: the reason; else a short description; valid only during the
 * callback.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_call_media_cb)(sw_call *call, int32_t media_event, const char *codec, int32_t value, const char *text, void *user_data);

/**
 * @brief Reports a call event. Protocol outcomes are data: a 486 or a 408 arrives here as
 * status_code with SW_CALL_ENDED, never as an API error. Called only inside sw_endpoint_poll(), on
 * its thread.
 * @param call The call; after SW_CALL_ENDED returns, the handle is stale.
 * @param call_event An SW_CALL_* code.
 * @param status_code The SIP status behind the event (180, 200, 486, 487, 408, ...; 0 when none).
 * @param reason The reason phrase or a local explanation; valid only during the call.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_call_state_cb)(sw_call *call, int32_t call_event, int32_t status_code, const char *reason, void *user_data);

/**
 * @brief A transfer event of a call (as transferor, transferee or replaced call). Called only
 * inside sw_endpoint_poll().
 * @param call The call being transferred or replaced.
 * @param transfer_event An SW_TRANSFER_* code.
 * @param status_code The REFER's response, the status line of a NOTIFY's message/sipfrag, or 0.
 * @param reason The reason phrase or a local explanation; valid only during the call.
 * @param new_call With SW_TRANSFER_REFERRED and SW_TRANSFER_REPLACED: the new call (its events
 * follow on on_call_state); else NULL.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_call_transfer_cb)(sw_call *call, int32_t transfer_event, int32_t status_code, const char *reason, sw_call *new_call, void *user_data);

/**
 * @brief Receives one log line. Called only inside sw_endpoint_poll(), on its thread.
 * @param level An SW_LOG_* severity.
 * @param line The line, NUL-terminated UTF-8 without a newline; valid only during the call.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_log_cb)(int32_t level, const char *line, void *user_data);

/**
 * @brief A page-mode instant message arrived (RFC 3428) and was answered 200. Called only inside
 * sw_endpoint_poll().
 * @param account The endpoint's first account.
 * @param from The sender's URI; valid only during the call.
 * @param content_type The media type as received, e.g. "text/plain;charset=UTF-8".
 * @param body The body bytes (not NUL-terminated); valid only during the call.
 * @param body_length Number of bytes in body.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_message_received_cb)(sw_account *account, const char *from, const char *content_type, const uint8_t *body, int32_t body_length, void *user_data);

/**
 * @brief The outcome of a MESSAGE sent with sw_message_send(). Called only inside
 * sw_endpoint_poll().
 * @param account The account it was sent from.
 * @param message_id The id sw_message_send() returned.
 * @param status_code The final status (200/202 delivered; 404, 408, 415, 503, ... failed).
 * @param reason The reason phrase or a local explanation; valid only during the call.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_message_result_cb)(sw_account *account, int32_t message_id, int32_t status_code, const char *reason, void *user_data);

/**
 * @brief Work handed over with sw_endpoint_post(); runs inside sw_endpoint_poll() on the endpoint's
 * thread and may call any API.
 * @param user_data The user_data given to sw_endpoint_post().
 */
typedef void (*sw_post_cb)(void *user_data);

/**
 * @brief A subscription event: accepted, a NOTIFY with its body, a failed refresh, or the end.
 * Called only inside sw_endpoint_poll().
 * @param subscription The subscription; stale once the SW_SUB_TERMINATED callback returns.
 * @param subscription_event An SW_SUB_* code.
 * @param status_code The SUBSCRIBE's final status (SW_SUB_ACCEPTED, SW_SUB_TERMINATED on refusal),
 * else 0.
 * @param reason The reason phrase, or the Subscription-State reason (RFC 6665 §4.1.3: deactivated,
 * timeout, rejected, ...).
 * @param expires Seconds the subscription has left (granted or from Subscription-State).
 * @param content_type With SW_SUB_NOTIFIED: the body's media type ("" when none); valid only during
 * the call.
 * @param body With SW_SUB_NOTIFIED: the body bytes (not NUL-terminated), else NULL.
 * @param body_length Number of bytes in body.
 * @param user_data sw_callbacks.user_data.
 */
typedef void (*sw_subscription_cb)(sw_subscription *subscription, int32_t subscription_event, int32_t status_code, const char *reason, int32_t expires, const char *content_type, const uint8_t *body, int32_t body_length, void *user_data);

/**
 * @brief Sends close_notify if it can and frees the session; io is stale afterwards.
 * @param session The session.
 * @param user_data sw_tls_provider.user_data.
 */
typedef void (*sw_tls_close_cb)(void *session, void *user_data);

/**
 * @brief Advances the handshake as far as the received bytes allow.
 * @param session The session from open.
 * @param user_data sw_tls_provider.user_data.
 * @return SW_TLS_OK when complete (certificate verified), SW_TLS_WANT_READ for more input,
 * SW_TLS_ERROR.
 */
typedef int32_t (*sw_tls_handshake_cb)(void *session, void *user_data);

/**
 * @brief Creates a TLS session on a new TCP connection, as client (server_name set: SNI and
 * certificate name check, RFC 5922 §7) or server (server_name NULL). The session reads and writes
 * its record bytes with sw_tls_io_recv()/sw_tls_io_send() on io, without blocking.
 * @param is_server Nonzero for an accepted connection.
 * @param server_name Client: the host the certificate must name; server: NULL.
 * @param io The connection's I/O handle, valid until close.
 * @param out_session Receives the provider's session pointer.
 * @param user_data sw_tls_provider.user_data.
 * @return SW_TLS_OK or SW_TLS_ERROR.
 */
typedef int32_t (*sw_tls_open_cb)(int32_t is_server, const char *server_name, sw_tls_io *io, void **out_session, void *user_data);

/**
 * @brief Decrypts application data into buffer.
 * @param session The session.
 * @param buffer Receives plaintext.
 * @param size Size of buffer.
 * @param out_read Receives the bytes read with SW_TLS_OK (at least 1).
 * @param user_data sw_tls_provider.user_data.
 * @return SW_TLS_OK, SW_TLS_WANT_READ, SW_TLS_CLOSED or SW_TLS_ERROR.
 */
typedef int32_t (*sw_tls_read_cb)(void *session, uint8_t *buffer, int32_t size, int32_t *out_read, void *user_data);

/**
 * @brief Encrypts and sends all of data (through sw_tls_io_send()).
 * @param session The session.
 * @param data Plaintext.
 * @param length Bytes in data.
 * @param user_data sw_tls_provider.user_data.
 * @return SW_TLS_OK when all was sent, else SW_TLS_ERROR.
 */
typedef int32_t (*sw_tls_write_cb)(void *session, const uint8_t *data, int32_t length, void *user_data);

/**
 * @brief Sends one complete SIP message over the firmware's own IP stack
 * (sw_endpoint_config.transport_send). Copy the bytes before returning. Called on the endpoint's
 * thread, inside sw_endpoint_poll() or an API call.
 * @param transport An SW_TRANSPORT_* code.
 * @param destination "ip:port" or "[ipv6]:port", NUL-terminated; valid only during the call.
 * @param data The message bytes.
 * @param length Number of bytes in data.
 * @param user_data sw_endpoint_config.transport_user_data.
 * @return 0 when the message was sent; any other value is a transport error (RFC 3261 §17.1.4: the
 * transaction fails with 503).
 */
typedef int32_t (*sw_transport_send_cb)(int32_t transport, const char *destination, const uint8_t *data, int32_t length, void *user_data);

/**
 * @brief Configuration of an account. Fill it with sw_account_config_init(), then set the
 * strings (all copied by sw_account_add()).
 */
struct sw_account_config {
    /** @brief sizeof(sw_account_config), set by sw_account_config_init(). */
    uint32_t struct_size;
    /** @brief The address-of-record, "sip:alice@example.test" (required). */
    const char *aor;
    /**
     * @brief The registrar as a SIP URI with an IP-literal host,
     * "sip:192.0.2.1:5060;transport=tcp" (required; no DNS in the SDK).
     */
    const char *registrar;
    /**
     * @brief Outbound proxy URI (IP-literal host) that REGISTER and calls are sent to instead;
     * NULL for none.
     */
    const char *outbound_proxy;
    /** @brief Digest user name (RFC 3261 §22); NULL for no credentials. */
    const char *username;
    /** @brief Digest password; never sent, only hashed. */
    const char *password;
    /** @brief The realm the credentials are for; NULL for any realm. */
    const char *realm;
    /**
     * @brief Requested registration interval in seconds (default 3600); the registrar may
     * shorten it.
     */
    int32_t expires;
};

/**
 * @brief The events of an endpoint. Every callback runs only inside sw_endpoint_poll(), on the
 * thread that polls; callbacks may call back into the API (except sw_endpoint_poll() itself).
 * Any entry may be NULL. Fill with sw_callbacks_init().
 */
struct sw_callbacks {
    /** @brief sizeof(sw_callbacks), set by sw_callbacks_init(). */
    uint32_t struct_size;
    /** @brief Registration outcomes of accounts. */
    sw_account_registration_cb on_registration;
    /** @brief A new incoming call. */
    sw_call_incoming_cb on_incoming_call;
    /** @brief Call events with status code and reason. */
    sw_call_state_cb on_call_state;
    /** @brief Log lines at or above sw_endpoint_config.log_level. */
    sw_log_cb on_log;
    /** @brief Incoming MESSAGE requests (RFC 3428). */
    sw_message_received_cb on_message_received;
    /** @brief Outcomes of sw_message_send(). */
    sw_message_result_cb on_message_result;
    /** @brief Call transfer events (REFER, Replaces). */
    sw_call_transfer_cb on_transfer;
    /** @brief Subscription events and NOTIFY bodies. */
    sw_subscription_cb on_subscription;
    /**
     * @brief Media events of calls (started, updated, failed, stopped, RFC 4733 digits); needs
     * sw_endpoint_set_media().
     */
    sw_call_media_cb on_media;
    /** @brief Passed as the last argument of every callback above. */
    void *user_data;
};

/**
 * @brief Configuration of an endpoint. Fill it with sw_endpoint_config_init(), then change
 * fields.
 */
struct sw_endpoint_config {
    /**
     * @brief sizeof(sw_endpoint_config), set by sw_endpoint_config_init(); lets the struct grow
     * without breaking the ABI.
     */
    uint32_t struct_size;
    /** @brief Most transactions alive at once (default 256). */
    int32_t max_transactions;
    /** @brief Most dialogs alive at once (default 64). */
    int32_t max_dialogs;
    /** @brief RFC 3261 T1 in milliseconds (default 500). */
    int32_t t1_ms;
    /** @brief RFC 3261 T2 in milliseconds, at least t1_ms (default 4000). */
    int32_t t2_ms;
    /** @brief RFC 3261 T4 in milliseconds (default 5000). */
    int32_t t4_ms;
    /**
     * @brief User-Agent header value, UTF-8; NULL for the default "Sipwire", "" for none. Copied
     * at create.
     */
    const char *user_agent;
    /** @brief The event table, or NULL for none; copied at create. */
    const sw_callbacks *callbacks;
    /**
     * @brief Local address the socket listeners bind to, "0.0.0.0" (the default for NULL), "::"
     * or one address; ignored with transport_send.
     */
    const char *bind_address;
    /**
     * @brief UDP listener port: 0 (the default) picks a free port, -1 opens none; with
     * transport_send, the port the firmware receives on.
     */
    int32_t udp_port;
    /** @brief TCP listener port: -1 (the default) opens none, 0 picks a free port. */
    int32_t tcp_port;
    /**
     * @brief TLS listener port: -1 (the default) opens none, 0 picks a free port; needs
     * tls_provider.
     */
    int32_t tls_port;
    /**
     * @brief The firmware's TLS implementation for the TLS transport (listener and
     * sips/transport=tls targets), or NULL for none; copied at create.
     */
    const sw_tls_provider *tls_provider;
    /**
     * @brief Address written into Via and Contact; NULL: the bind address, or when that is
     * unspecified, the local address that routes to the registrar. Required with transport_send.
     */
    const char *contact_address;
    /** @brief Lowest SW_LOG_* level passed to on_log (default SW_LOG_INFO). */
    int32_t log_level;
    /**
     * @brief NULL for the SDK's own sockets; else every message goes out through this callback
     * and comes in through sw_endpoint_input() (devices with their own IP stack).
     */
    sw_transport_send_cb transport_send;
    /** @brief Passed to transport_send. */
    void *transport_user_data;
};

/**
 * @brief Media settings of an endpoint, given to sw_endpoint_set_media() before the first
 * account. Fill it with sw_media_config_init(), then change fields.
 */
struct sw_media_config {
    /** @brief sizeof(sw_media_config), set by sw_media_config_init(). */
    uint32_t struct_size;
    /**
     * @brief Codecs in offer order, comma-separated from "pcmu", "pcma", "g722", "opus" (default
     * "pcmu,pcma,g722"); "opus" needs a libsipwire built with it. Copied at
     * sw_endpoint_set_media().
     */
    const char *codecs;
    /**
     * @brief Sample rate of the PCM16 mono frames of sw_call_write_audio()/sw_call_read_audio():
     * 8000 or 16000 (default 16000), whatever the codec.
     */
    int32_t sample_rate;
    /** @brief Length of one frame: 10 or 20 ms (default 20). */
    int32_t frame_ms;
    /**
     * @brief Packet time asked for in the SDP (a=ptime, RFC 4566 §6): 10, 20, 30, 40, 50 or 60
     * ms (default 20).
     */
    int32_t ptime_ms;
    /**
     * @brief Nonzero runs the echo canceller on written frames with read frames as the far end
     * (default 0).
     */
    int32_t echo_canceller;
    /** @brief An SW_SRTP_* policy (default SW_SRTP_OFF). */
    int32_t srtp;
    /**
     * @brief First RTP port, even (RFC 3550 §11); call n of the endpoint uses rtp_port_base + 2n
     * (default 40000).
     */
    int32_t rtp_port_base;
    /** @brief Ports in the RTP range, at least 2 (default 1000). */
    int32_t rtp_port_count;
};

/**
 * @brief A TLS implementation the firmware plugs in (RFC 3261 §26.2 TLS transport; libsipwire
 * carries no TLS of its own). Calls for one session never overlap; different sessions may run at
 * the same time on different threads (the SDK's I/O completion threads and the polling thread),
 * so a provider keeps per-session state (including its random generator) or locks shared state.
 */
struct sw_tls_provider {
    /** @brief sizeof(sw_tls_provider). */
    uint32_t struct_size;
    /** @brief Creates a session. */
    sw_tls_open_cb open;
    /** @brief Advances the handshake. */
    sw_tls_handshake_cb handshake;
    /** @brief Reads plaintext. */
    sw_tls_read_cb read;
    /** @brief Writes plaintext. */
    sw_tls_write_cb write;
    /** @brief Closes and frees a session. */
    sw_tls_close_cb close;
    /** @brief Passed as the last argument of every callback above. */
    void *user_data;
};

/**
 * @brief Adds an account to an endpoint; it does not register until sw_account_register(). The
 * first account of an endpoint is its identity for calls (From of sw_call_make(), owner of incoming
 * calls).
 * @param endpoint The endpoint.
 * @param config Filled by sw_account_config_init(); aor and registrar are required.
 * @param out_account Receives the account; NULL on failure.
 * @return SW_OK; SW_E_INVALID_ARG for NULL or destroyed arguments, a wrong struct_size, a malformed
 * URI, a registrar that is not an IP-literal URI or a transport without a listener (the detail
 * names it); SW_E_LIMIT when 1024 accounts exist in the process.
 * @par Ownership
 * The endpoint owns the account; it goes with sw_endpoint_destroy(). Strings are copied.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_account_add(sw_endpoint *endpoint, const sw_account_config *config, sw_account **out_account);

/**
 * @brief Fills an account configuration with the defaults (all strings NULL, expires 3600) and sets
 * its struct_size.
 * @param config The configuration to fill.
 * @return SW_OK, or SW_E_INVALID_ARG when config is NULL.
 * @par Thread
 * Any thread.
 */
SW_API sw_status sw_account_config_init(sw_account_config *config);

/**
 * @brief Starts registering (RFC 3261 §10.2): REGISTER now, refreshes before expiry, retries with
 * back-off (RFC 5626 §4.5); outcomes arrive at on_registration.
 * @param account The account.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale account; SW_E_INVALID_STATE from another
 * thread during a poll.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_account_register(sw_account *account);

/**
 * @brief Replaces the digest credentials (RFC 3261 §22.1); used from the next challenge on. NULL
 * username removes them.
 * @param account The account.
 * @param username User name, or NULL for none.
 * @param password Password (required with a username).
 * @param realm The realm they are for, or NULL for any realm.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale account or a username without password.
 * @par Ownership
 * Strings are copied.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_account_set_credentials(sw_account *account, const char *username, const char *password, const char *realm);

/**
 * @brief Removes the binding (REGISTER with expires 0, RFC 3261 §10.2.2) and stops refreshing;
 * SW_REG_UNREGISTERED follows.
 * @param account The account.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale account; SW_E_INVALID_STATE from another
 * thread during a poll.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_account_unregister(sw_account *account);

/**
 * @brief Answers an incoming call with 200 OK and our SDP answer (RFC 3261 §13.3.1.4).
 * @param call The call.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call; SW_E_INVALID_STATE when it is not an
 * incoming call that rings.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_answer(sw_call *call);

/**
 * @brief Writes the remote party's URI (To of an outgoing call, From of an incoming one).
 * @param call The call.
 * @param buffer Receives the NUL-terminated URI; may be NULL when buffer_size is 0.
 * @param buffer_size Size of buffer in bytes.
 * @param out_needed Receives the size needed including the NUL; may be NULL.
 * @return SW_OK; SW_E_BUFFER_TOO_SMALL (nothing written, out_needed set); SW_E_INVALID_ARG for a
 * NULL or stale call.
 * @par Ownership
 * The caller owns buffer.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_get_remote(sw_call *call, char *buffer, int32_t buffer_size, int32_t *out_needed);

/**
 * @brief Ends a call: CANCEL while an outgoing call rings (RFC 3261 §9.1), BYE once established
 * (§15.1), 603 for an unanswered incoming call.
 * @param call The call.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call; SW_E_INVALID_STATE when it is already
 * ending.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_hangup(sw_call *call);

/**
 * @brief Puts the peer on hold: re-INVITE with a=sendonly (RFC 3264 §8.4); SW_CALL_MEDIA_UPDATED or
 * SW_CALL_UPDATE_FAILED follows.
 * @param call The call.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call; SW_E_INVALID_STATE unless established
 * with no re-INVITE in flight.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_hold(sw_call *call);

/**
 * @brief Places a call: INVITE with an SDP offer (RFC 3261 §13.2.1) to the outbound proxy, else the
 * target's IP host, else the registrar. Outcomes arrive at on_call_state.
 * @param account The account placing the call.
 * @param target The callee's SIP URI, "sip:bob@example.test" or "sip:bob@192.0.2.7:5060".
 * @param out_call Receives the call; NULL on failure.
 * @return SW_OK (even when the INVITE cannot be sent: SW_CALL_ENDED with 503 follows in the next
 * poll); SW_E_INVALID_ARG for a NULL or stale account, a NULL out_call or a malformed target;
 * SW_E_LIMIT with 4096 calls alive.
 * @par Ownership
 * The call handle is valid until its SW_CALL_ENDED callback returns.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_make(sw_account *account, const char *target, sw_call **out_call);

/**
 * @brief Reads one frame of loudspeaker audio: PCM16 mono at sw_media_config.sample_rate, frame_ms
 * long, from the jitter buffer and decoder; concealment for lost packets, silence before the first
 * packet and on hold. Call it at the frame rate (every frame_ms); received packets are taken in by
 * sw_endpoint_poll().
 * @param call The call.
 * @param samples Receives the frame.
 * @param capacity Room in samples, at least one frame.
 * @param out_written Receives the samples written (one frame); 0 on failure; may be NULL.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call or NULL samples; SW_E_BUFFER_TOO_SMALL
 * when capacity is below one frame (nothing written, out_written gets the frame length);
 * SW_E_INVALID_STATE when the call has no running media.
 * @par Ownership
 * The caller owns samples.
 * @par Thread
 * Any thread: the media session takes a lock of its own; one reader per call at a time.
 */
SW_API sw_status sw_call_read_audio(sw_call *call, int16_t *samples, int32_t capacity, int32_t *out_written);

/**
 * @brief Rejects an incoming call that still rings with a final status (486 Busy Here, 603 Decline,
 * 480, ...).
 * @param call The call.
 * @param status_code A final status 400..699.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call or a code outside 400..699;
 * SW_E_INVALID_STATE when it does not ring.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_reject(sw_call *call, int32_t status_code);

/**
 * @brief Takes the peer off hold: re-INVITE with a=sendrecv.
 * @param call The call.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call; SW_E_INVALID_STATE unless established
 * with no re-INVITE in flight.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_resume(sw_call *call);

/**
 * @brief Sends DTMF digits. With running media (sw_endpoint_set_media) and telephone-event agreed
 * in the SDP they go as RFC 4733 events in the RTP stream (100 ms each, 60 ms apart; they play out
 * as sw_call_write_audio() sends frames); otherwise as SIP INFO with application/dtmf-relay bodies,
 * one INFO per digit of duration_ms (the widely deployed Cisco/SIP INFO convention; RFC 6086).
 * @param call An established call.
 * @param digits Digits from 0-9, *, #, A-D.
 * @param duration_ms Tone duration per digit, 40..5000 ms.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call, an empty or invalid digit string or
 * duration; SW_E_INVALID_STATE unless established; SW_E_LIMIT when the transaction table is full.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_send_dtmf(sw_call *call, const char *digits, int32_t duration_ms);

/**
 * @brief Blind transfer (RFC 5589 §6): REFER in this call with Refer-To target (RFC 3515); progress
 * arrives at on_transfer; on success the call is hung up, on failure it stays up.
 * @param call An established call.
 * @param target The transfer target's SIP URI.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call or a target that is not a SIP URI;
 * SW_E_INVALID_STATE unless established with no transfer running.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_transfer(sw_call *call, const char *target);

/**
 * @brief Attended transfer (RFC 5589 §7): REFER in call whose Refer-To is the consultation call's
 * peer with Replaces (RFC 3891), so the peer's new call replaces the consultation. On success call
 * is hung up.
 * @param call The established call to transfer.
 * @param consultation The established call with the transfer target.
 * @return SW_OK; SW_E_INVALID_ARG for NULL, stale or identical calls or calls of different
 * endpoints; SW_E_INVALID_STATE unless both are established with no transfer running.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_call_transfer_attended(sw_call *call, sw_call *consultation);

/**
 * @brief Sends microphone audio: one or more whole frames of PCM16 mono at
 * sw_media_config.sample_rate (frame_ms each: 160/320 samples at 8/16 kHz for 20 ms). The session
 * encodes them with the negotiated codec and sends RTP; queued RFC 4733 digits replace the audio
 * while they play. On hold (sendonly/inactive from the peer) the frames only advance the RTP clock.
 * @param call The call.
 * @param samples The PCM16 samples; only read during the call.
 * @param sample_count A positive multiple of the frame length in samples.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale call, NULL samples or a count that is not
 * whole frames; SW_E_INVALID_STATE when the call has no running media (not yet answered, media
 * failed or stopped, or no sw_endpoint_set_media()).
 * @par Ownership
 * The caller owns samples.
 * @par Thread
 * Any thread: the media session takes a lock of its own; one writer per call at a time.
 */
SW_API sw_status sw_call_write_audio(sw_call *call, const int16_t *samples, int32_t sample_count);

/**
 * @brief Fills a callback table with NULL entries and sets its struct_size.
 * @param callbacks The table to fill.
 * @return SW_OK, or SW_E_INVALID_ARG when callbacks is NULL.
 * @par Thread
 * Any thread.
 */
SW_API sw_status sw_callbacks_init(sw_callbacks *callbacks);

/**
 * @brief Fills a configuration with the defaults and sets its struct_size.
 * @param config The configuration to fill.
 * @return SW_OK, or SW_E_INVALID_ARG when config is NULL.
 * @par Thread
 * Any thread.
 */
SW_API sw_status sw_endpoint_config_init(sw_endpoint_config *config);

/**
 * @brief Creates an endpoint.
 * @param config Configuration filled by sw_endpoint_config_init(); only read during the call.
 * @param out_endpoint Receives the new endpoint; set to NULL on failure.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL argument, a wrong struct_size or a value out of range
 * (sw_last_error_detail() names it); SW_E_LIMIT when 64 endpoints exist.
 * @par Ownership
 * The caller owns the endpoint and frees it with sw_endpoint_destroy().
 * @par Thread
 * Any thread; the endpoint is then driven by one thread at a time.
 */
SW_API sw_status sw_endpoint_create(const sw_endpoint_config *config, sw_endpoint **out_endpoint);

/**
 * @brief Destroys an endpoint and everything it owns: its accounts and calls become stale handles
 * (no unregistration is sent; call sw_account_unregister() and poll first for that). NULL and
 * already destroyed endpoints are ignored. Called from a callback, the endpoint goes when that poll
 * returns and no further callback of it runs.
 * @param endpoint The endpoint, or NULL.
 * @par Thread
 * The endpoint's thread (also from inside its callbacks); never while another thread polls it.
 */
SW_API void sw_endpoint_destroy(sw_endpoint *endpoint);

/**
 * @brief Reads back the configuration an endpoint runs with.
 * @param endpoint The endpoint.
 * @param out_config Receives the configuration; its string and callback-table pointers are NULL
 * (they were copied at create).
 * @return SW_OK, or SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL out_config.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_endpoint_get_config(sw_endpoint *endpoint, sw_endpoint_config *out_config);

/**
 * @brief Writes the local address of a listener ("127.0.0.1:5060", "[::1]:5060"), e.g. to learn the
 * port picked for port 0.
 * @param endpoint The endpoint.
 * @param transport SW_TRANSPORT_UDP, SW_TRANSPORT_TCP or SW_TRANSPORT_TLS.
 * @param buffer Receives the NUL-terminated address; may be NULL when buffer_size is 0.
 * @param buffer_size Size of buffer in bytes.
 * @param out_needed Receives the size needed including the NUL; may be NULL.
 * @return SW_OK; SW_E_BUFFER_TOO_SMALL (nothing written, out_needed set); SW_E_INVALID_ARG for a
 * NULL or destroyed endpoint or a transport without a listener.
 * @par Ownership
 * The caller owns buffer.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_endpoint_get_local_address(sw_endpoint *endpoint, int32_t transport, char *buffer, int32_t buffer_size, int32_t *out_needed);

/**
 * @brief Gives the endpoint one complete SIP message the firmware's IP stack received (endpoints
 * created with transport_send). The bytes are copied; they are parsed in the next
 * sw_endpoint_poll(), which is woken. A malformed request is answered there with 400/505/513 (RFC
 * 3261 §21.4) and dropped.
 * @param endpoint The endpoint.
 * @param transport SW_TRANSPORT_UDP, or SW_TRANSPORT_TCP/SW_TRANSPORT_TLS with one whole message
 * (the firmware frames by Content-Length, RFC 3261 §18.3).
 * @param data The message bytes.
 * @param length Number of bytes, 1 up to the message size limit (64 KiB by default).
 * @param source Where it came from, "ip:port" or "[ipv6]:port".
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint, NULL data, a bad length,
 * transport or source; SW_E_INVALID_STATE for an endpoint with its own sockets.
 * @par Ownership
 * The SDK copies data before returning.
 * @par Thread
 * Any thread (the firmware's receive task), concurrently with sw_endpoint_poll().
 */
SW_API sw_status sw_endpoint_input(sw_endpoint *endpoint, int32_t transport, const uint8_t *data, int32_t length, const char *source);

/**
 * @brief Drives the endpoint: runs work posted with sw_endpoint_post(), waits for network input
 * until timeout_ms or the next protocol timer (whichever comes first; a post or input wakes it
 * early), handles what arrived, fires due timers (retransmissions, registration refreshes) and
 * delivers every queued event to the callback table. Callbacks run only here.
 * @param endpoint The endpoint.
 * @param timeout_ms Longest wait in milliseconds, 0 to not wait.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint or a negative timeout;
 * SW_E_INVALID_STATE when called from one of this endpoint's callbacks or while another thread
 * polls it.
 * @par Thread
 * One thread at a time per endpoint (the firmware's SIP task).
 */
SW_API sw_status sw_endpoint_poll(sw_endpoint *endpoint, int32_t timeout_ms);

/**
 * @brief Hands work to the endpoint's thread: callback(user_data) runs inside the next
 * sw_endpoint_poll(), which is woken if it waits. Work still queued when the endpoint is destroyed
 * never runs.
 * @param endpoint The endpoint.
 * @param callback The function to run.
 * @param user_data Passed to callback.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL callback;
 * SW_E_INVALID_STATE when the endpoint is being destroyed.
 * @par Ownership
 * user_data stays the caller's; it must stay valid until callback has run.
 * @par Thread
 * Any thread, concurrently with sw_endpoint_poll().
 */
SW_API sw_status sw_endpoint_post(sw_endpoint *endpoint, sw_post_cb callback, void *user_data);

/**
 * @brief Gives the endpoint's calls audio: the SDP offers config->codecs in that order (RFC 3264
 * §5.1), and every call gets an RTP session (RFC 3550) on the port the UA core allocated, started
 * on the answer or on early media, updated on re-INVITE, stopped with the call. Without this call
 * the endpoint negotiates SDP (PCMU, PCMA) but carries no audio.
 * @param endpoint The endpoint.
 * @param config Filled by sw_media_config_init(); only read during the call.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint, a NULL config, a wrong
 * struct_size, an unknown codec, "opus" in a build without Opus, or a value out of range
 * (sw_last_error_detail() names it); SW_E_INVALID_STATE after the first sw_account_add().
 * @par Thread
 * The endpoint's thread, before the first sw_account_add().
 */
SW_API sw_status sw_endpoint_set_media(sw_endpoint *endpoint, const sw_media_config *config);

/**
 * @brief Copies the detail of the last failed call made on this thread.
 * @param buffer Receives NUL-terminated UTF-8; may be NULL when buffer_size is 0.
 * @param buffer_size Size of buffer in bytes.
 * @param out_needed If not NULL, receives the size needed, NUL included.
 * @return SW_OK (the empty string when no call has failed), SW_E_BUFFER_TOO_SMALL,
 * SW_E_INVALID_ARG.
 * @par Thread
 * Any thread; each thread has its own detail.
 */
SW_API sw_status sw_last_error_detail(char *buffer, int32_t buffer_size, int32_t *out_needed);

/**
 * @brief Fills a media configuration with the defaults ("pcmu,pcma,g722", 16 kHz, 20 ms frames,
 * ptime 20, no echo canceller, SRTP off, RTP ports 40000..40999) and sets its struct_size.
 * @param config The configuration to fill.
 * @return SW_OK, or SW_E_INVALID_ARG when config is NULL.
 * @par Thread
 * Any thread.
 */
SW_API sw_status sw_media_config_init(sw_media_config *config);

/**
 * @brief Sends a MESSAGE (RFC 3428) from an account to the outbound proxy, else the target's IP
 * host, else the registrar; answers digest challenges with the account's credentials. The outcome
 * arrives at on_message_result with the id stored in out_message_id.
 * @param account The sending account.
 * @param target The recipient's SIP URI.
 * @param content_type The body's media type, e.g. "text/plain;charset=UTF-8".
 * @param body The body bytes.
 * @param body_length Number of bytes; over UDP at most what fits the 1300-byte message limit (RFC
 * 3428 §9).
 * @param out_message_id Receives the message id; may be NULL.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale account, a NULL or malformed target or
 * content type, NULL body with a positive length, or a body too large; SW_E_LIMIT when the
 * transaction table is full.
 * @par Ownership
 * The body and strings are copied.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_message_send(sw_account *account, const char *target, const char *content_type, const uint8_t *body, int32_t body_length, int32_t *out_message_id);

/**
 * @brief Adds (or replaces) a user the registrar role authenticates; the user name is the user part
 * of the address-of-record.
 * @param endpoint The endpoint.
 * @param user The user name.
 * @param password The password.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL/empty user or NULL
 * password.
 * @par Ownership
 * Strings are copied.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_registrar_add_user(sw_endpoint *endpoint, const char *user, const char *password);

/**
 * @brief Makes the endpoint a registrar for one domain (RFC 3261 §10.3, bindings kept in memory)
 * and a redirect server for it: an out-of-dialog INVITE to a user of the domain gets 302 with the
 * registered contacts (§8.3), or 480 when the user is not registered.
 * @param endpoint The endpoint.
 * @param domain The domain served, e.g. "demo.test" or "192.0.2.1".
 * @param require_auth Nonzero to require digest authentication (RFC 3261 §22) against the users of
 * sw_registrar_add_user().
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL/empty domain;
 * SW_E_INVALID_STATE when the role already runs.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_registrar_start(sw_endpoint *endpoint, const char *domain, int32_t require_auth);

/**
 * @brief A short English description of a status code.
 * @param status Any value; unknown values get "unknown status".
 * @return A static NUL-terminated string, never NULL.
 * @par Ownership
 * The string is owned by the library and valid for the life of the process; do not free it.
 * @par Thread
 * Any thread.
 */
SW_API const char *sw_status_str(sw_status status);

/**
 * @brief Subscribes from an account to an event package of a resource (RFC 6665 §4.1): e.g.
 * "presence" with accept "application/pidf+xml" (RFC 3856), or "ua-profile" (RFC 6080) for
 * provisioning. Refreshes before expiry; every NOTIFY body arrives at on_subscription.
 * @param account The subscribing account.
 * @param event_package The Event header value, e.g. "presence", "ua-profile;profile-type=device".
 * @param target The resource's SIP URI.
 * @param accept Comma-separated media types for Accept, or NULL for the package default.
 * @param expires Requested duration in seconds (default 3600 when 0).
 * @param out_subscription Receives the subscription; NULL on failure.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale account, NULL strings, a malformed URI, event
 * or media type, or a negative expires; SW_E_LIMIT with 1024 subscriptions alive.
 * @par Ownership
 * The handle is valid until its SW_SUB_TERMINATED callback returns. Strings are copied.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_subscription_create(sw_account *account, const char *event_package, const char *target, const char *accept, int32_t expires, sw_subscription **out_subscription);

/**
 * @brief Ends a subscription: SUBSCRIBE with Expires: 0 (RFC 6665 §4.1.2.3); SW_SUB_TERMINATED
 * follows, then the handle is stale.
 * @param subscription The subscription.
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or stale subscription; SW_E_INVALID_STATE when it is
 * already ending.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_subscription_stop(sw_subscription *subscription);

/**
 * @brief Takes received TLS record bytes of a session (the provider's BIO receive); never blocks.
 * @param io The io handle given to sw_tls_open_cb.
 * @param buffer Receives the bytes.
 * @param size Size of buffer.
 * @param out_received Receives the byte count; 0 when nothing has arrived yet (answer
 * SW_TLS_WANT_READ).
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or closed io or bad buffer; SW_E_NETWORK when the peer
 * closed the connection.
 * @par Thread
 * Only from inside the provider's callbacks for that session.
 */
SW_API sw_status sw_tls_io_recv(sw_tls_io *io, uint8_t *buffer, int32_t size, int32_t *out_received);

/**
 * @brief Sends TLS record bytes of a session over its TCP connection (the provider's BIO send).
 * @param io The io handle given to sw_tls_open_cb.
 * @param data The bytes.
 * @param length Number of bytes (all are sent).
 * @return SW_OK; SW_E_INVALID_ARG for a NULL or closed io or a bad buffer; SW_E_NETWORK when the
 * connection failed.
 * @par Thread
 * Only from inside the provider's callbacks for that session.
 */
SW_API sw_status sw_tls_io_send(sw_tls_io *io, const uint8_t *data, int32_t length);

/**
 * @brief The library version as (major << 16) | (minor << 8) | patch.
 * @return The version of the loaded library; compare it with SW_VERSION_NUMBER from the header the
 * caller was built with.
 * @par Thread
 * Any thread.
 */
SW_API uint32_t sw_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SIPWIRE_H */
