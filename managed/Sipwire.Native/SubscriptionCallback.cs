// SPDX-License-Identifier: MIT
// The C signature of sw_subscription_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>A subscription event: accepted, a NOTIFY with its body, a failed refresh, or the end. Called only inside sw_endpoint_poll().</summary>
/// <param name="subscription">The subscription; stale once the SW_SUB_TERMINATED callback returns.</param>
/// <param name="subscription_event">An SW_SUB_* code.</param>
/// <param name="status_code">The SUBSCRIBE's final status (SW_SUB_ACCEPTED, SW_SUB_TERMINATED on refusal), else 0.</param>
/// <param name="reason">The reason phrase, or the Subscription-State reason (RFC 6665 §4.1.3: deactivated, timeout, rejected, ...).</param>
/// <param name="expires">Seconds the subscription has left (granted or from Subscription-State).</param>
/// <param name="content_type">With SW_SUB_NOTIFIED: the body's media type ("" when none); valid only during the call.</param>
/// <param name="body">With SW_SUB_NOTIFIED: the body bytes (not NUL-terminated), else NULL.</param>
/// <param name="body_length">Number of bytes in body.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_subscription_cb")]
internal unsafe delegate void SubscriptionCallback(SubscriptionHandle* subscription, int subscription_event, int status_code,
    [CType("const char *")] byte* reason, int expires, [CType("const char *")] byte* content_type,
    [CType("const uint8_t *")] byte* body, int body_length, void* user_data);
