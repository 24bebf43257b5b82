// SPDX-License-Identifier: MIT
// sw_callbacks: the event table a firmware gives at sw_endpoint_create.

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>
/// The events of an endpoint. Every callback runs only inside sw_endpoint_poll(), on the thread that
/// polls; callbacks may call back into the API (except sw_endpoint_poll() itself). Any entry may be NULL.
/// Fill with sw_callbacks_init().
/// </summary>
[CName("sw_callbacks")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Callbacks
{
    /// <summary>sizeof(sw_callbacks), set by sw_callbacks_init().</summary>
    public uint struct_size;

    /// <summary>Registration outcomes of accounts.</summary>
    [CType("sw_account_registration_cb")]
    public delegate* unmanaged<AccountHandle*, int, int, byte*, int, void*, void> on_registration;

    /// <summary>A new incoming call.</summary>
    [CType("sw_call_incoming_cb")]
    public delegate* unmanaged<AccountHandle*, CallHandle*, byte*, void*, void> on_incoming_call;

    /// <summary>Call events with status code and reason.</summary>
    [CType("sw_call_state_cb")]
    public delegate* unmanaged<CallHandle*, int, int, byte*, void*, void> on_call_state;

    /// <summary>Log lines at or above sw_endpoint_config.log_level.</summary>
    [CType("sw_log_cb")]
    public delegate* unmanaged<int, byte*, void*, void> on_log;

    /// <summary>Incoming MESSAGE requests (RFC 3428).</summary>
    [CType("sw_message_received_cb")]
    public delegate* unmanaged<AccountHandle*, byte*, byte*, byte*, int, void*, void> on_message_received;

    /// <summary>Outcomes of sw_message_send().</summary>
    [CType("sw_message_result_cb")]
    public delegate* unmanaged<AccountHandle*, int, int, byte*, void*, void> on_message_result;

    /// <summary>Call transfer events (REFER, Replaces).</summary>
    [CType("sw_call_transfer_cb")]
    public delegate* unmanaged<CallHandle*, int, int, byte*, CallHandle*, void*, void> on_transfer;

    /// <summary>Subscription events and NOTIFY bodies.</summary>
    [CType("sw_subscription_cb")]
    public delegate* unmanaged<SubscriptionHandle*, int, int, byte*, int, byte*, byte*, int, void*, void> on_subscription;

    /// <summary>Media events of calls (started, updated, failed, stopped, RFC 4733 digits); needs sw_endpoint_set_media().</summary>
    [CType("sw_call_media_cb")]
    public delegate* unmanaged<CallHandle*, int, byte*, int, byte*, void*, void> on_media;

    /// <summary>Passed as the last argument of every callback above.</summary>
    [CType("void *")]
    public void* user_data;
}
