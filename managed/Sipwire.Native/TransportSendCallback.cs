// SPDX-License-Identifier: MIT
// The C signature of sw_transport_send_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>
/// Sends one complete SIP message over the firmware's own IP stack (sw_endpoint_config.transport_send).
/// Copy the bytes before returning. Called on the endpoint's thread, inside sw_endpoint_poll() or an API call.
/// </summary>
/// <param name="transport">An SW_TRANSPORT_* code.</param>
/// <param name="destination">"ip:port" or "[ipv6]:port", NUL-terminated; valid only during the call.</param>
/// <param name="data">The message bytes.</param>
/// <param name="length">Number of bytes in data.</param>
/// <param name="user_data">sw_endpoint_config.transport_user_data.</param>
/// <returns>0 when the message was sent; any other value is a transport error (RFC 3261 §17.1.4: the transaction fails with 503).</returns>
[CName("sw_transport_send_cb")]
internal unsafe delegate int TransportSendCallback(int transport, [CType("const char *")] byte* destination,
    [CType("const uint8_t *")] byte* data, int length, void* user_data);
