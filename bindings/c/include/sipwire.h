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

/**
 * @brief Result of every C ABI call: 0 is success, negative values are errors. Values are
 * grouped in ranges and never renumbered: -1..-99 argument and state errors, -100..-199 resource
 * errors, -900..-999 internal errors.
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
/** @brief An unexpected failure inside the SDK; sw_last_error_detail() has the detail. */
#define SW_E_INTERNAL (-999)

/** @brief An endpoint: transports, accounts, calls and subscriptions driven by one thread. */
typedef struct sw_endpoint sw_endpoint;

/**
 * @brief Configuration of an endpoint. Fill it with sw_endpoint_config_init(), then change
 * fields.
 */
typedef struct sw_endpoint_config {
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
} sw_endpoint_config;

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
 * @brief Destroys an endpoint and everything it owns. NULL and already destroyed endpoints are
 * ignored.
 * @param endpoint The endpoint, or NULL.
 * @par Thread
 * The endpoint's thread, outside sw_endpoint_poll().
 */
SW_API void sw_endpoint_destroy(sw_endpoint *endpoint);

/**
 * @brief Reads back the configuration an endpoint runs with.
 * @param endpoint The endpoint.
 * @param out_config Receives the configuration; its user_agent is NULL (read strings with their own
 * getters).
 * @return SW_OK, or SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL out_config.
 * @par Thread
 * The endpoint's thread.
 */
SW_API sw_status sw_endpoint_get_config(sw_endpoint *endpoint, sw_endpoint_config *out_config);

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
