// SPDX-License-Identifier: MIT
// C ABI exports for endpoints: configuration, create, destroy, poll, post, firmware input.

using System;
using System.Net;
using System.Runtime.InteropServices;
using Sipwire.Transport;

namespace Sipwire.Native;

internal static unsafe class EndpointExports
{
    private const int MaxEndpoints = 64;
    private static readonly HandleTable<EndpointHost> s_endpoints = new(MaxEndpoints);

    /// <summary>Fills a configuration with the defaults and sets its struct_size.</summary>
    /// <param name="config">The configuration to fill.</param>
    /// <returns>SW_OK, or SW_E_INVALID_ARG when config is NULL.</returns>
    /// <thread>Any thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_config_init")]
    public static Status ConfigInit(EndpointConfig* config)
    {
        try
        {
            if (config == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "config is NULL");
            }
            *config = EndpointConfig.From(new EndpointOptions());
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Creates an endpoint.</summary>
    /// <param name="config">Configuration filled by sw_endpoint_config_init(); only read during the call.</param>
    /// <param name="out_endpoint">Receives the new endpoint; set to NULL on failure.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL argument, a wrong struct_size or a value out of range
    /// (sw_last_error_detail() names it); SW_E_LIMIT when 64 endpoints exist.</returns>
    /// <ownership>The caller owns the endpoint and frees it with sw_endpoint_destroy().</ownership>
    /// <thread>Any thread; the endpoint is then driven by one thread at a time.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_create")]
    public static Status Create([CType("const sw_endpoint_config *")] EndpointConfig* config, EndpointHandle** out_endpoint)
    {
        try
        {
            if (out_endpoint == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "out_endpoint is NULL");
            }
            *out_endpoint = null;
            if (config == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "config is NULL");
            }
            if (config->struct_size != (uint)sizeof(EndpointConfig))
            {
                return AbiStatus.Fail(Status.InvalidArg,
                    $"config->struct_size is {config->struct_size}, expected {sizeof(EndpointConfig)}: call sw_endpoint_config_init() first");
            }
            var endpoint = new EndpointHost(*config);
            try
            {
                endpoint.Handle = s_endpoints.Add(endpoint);
                *out_endpoint = (EndpointHandle*)endpoint.Handle;
            }
            catch
            {
                endpoint.Dispose();
                throw;
            }
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Reads back the configuration an endpoint runs with.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="out_config">Receives the configuration; its string and callback-table pointers are NULL (they were copied at create).</param>
    /// <returns>SW_OK, or SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL out_config.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_get_config")]
    public static Status GetConfig(EndpointHandle* endpoint, EndpointConfig* out_config)
    {
        try
        {
            if (out_config == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "out_config is NULL");
            }
            EndpointHost? target = s_endpoints.Get((nint)endpoint);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            *out_config = target.Config;
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Destroys an endpoint and everything it owns: its accounts and calls become stale handles (no
    /// unregistration is sent; call sw_account_unregister() and poll first for that). NULL and already
    /// destroyed endpoints are ignored. Called from a callback, the endpoint goes when that poll returns
    /// and no further callback of it runs.
    /// </summary>
    /// <param name="endpoint">The endpoint, or NULL.</param>
    /// <thread>The endpoint's thread (also from inside its callbacks); never while another thread polls it.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_destroy")]
    public static void Destroy(EndpointHandle* endpoint)
    {
        try
        {
            s_endpoints.Remove((nint)endpoint)?.Dispose();
        }
        catch (Exception ex)
        {
            // A void export cannot report; keep the detail for sw_last_error_detail().
            AbiStatus.From(ex);
        }
    }

    /// <summary>Fills a callback table with NULL entries and sets its struct_size.</summary>
    /// <param name="callbacks">The table to fill.</param>
    /// <returns>SW_OK, or SW_E_INVALID_ARG when callbacks is NULL.</returns>
    /// <thread>Any thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_callbacks_init")]
    public static Status CallbacksInit(Callbacks* callbacks)
    {
        try
        {
            if (callbacks == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "callbacks is NULL");
            }
            *callbacks = default;
            callbacks->struct_size = (uint)sizeof(Callbacks);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Drives the endpoint: runs work posted with sw_endpoint_post(), waits for network input until
    /// timeout_ms or the next protocol timer (whichever comes first; a post or input wakes it early),
    /// handles what arrived, fires due timers (retransmissions, registration refreshes) and delivers
    /// every queued event to the callback table. Callbacks run only here.
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="timeout_ms">Longest wait in milliseconds, 0 to not wait.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint or a negative timeout;
    /// SW_E_INVALID_STATE when called from one of this endpoint's callbacks or while another thread polls it.</returns>
    /// <thread>One thread at a time per endpoint (the firmware's SIP task).</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_poll")]
    public static Status Poll(EndpointHandle* endpoint, int timeout_ms)
    {
        try
        {
            EndpointHost? target = s_endpoints.Get((nint)endpoint);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            if (timeout_ms < 0)
            {
                return AbiStatus.Fail(Status.InvalidArg, $"timeout_ms must not be negative, not {timeout_ms}");
            }
            target.Poll(timeout_ms);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Hands work to the endpoint's thread: callback(user_data) runs inside the next sw_endpoint_poll(),
    /// which is woken if it waits. Work still queued when the endpoint is destroyed never runs.
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="callback">The function to run.</param>
    /// <param name="user_data">Passed to callback.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL callback;
    /// SW_E_INVALID_STATE when the endpoint is being destroyed.</returns>
    /// <ownership>user_data stays the caller's; it must stay valid until callback has run.</ownership>
    /// <thread>Any thread, concurrently with sw_endpoint_poll().</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_post")]
    public static Status Post(EndpointHandle* endpoint, [CType("sw_post_cb")] delegate* unmanaged<void*, void> callback, void* user_data)
    {
        try
        {
            EndpointHost? target = s_endpoints.Get((nint)endpoint);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            if (callback == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "callback is NULL");
            }
            target.Post((nint)callback, (nint)user_data);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Gives the endpoint one complete SIP message the firmware's IP stack received (endpoints created
    /// with transport_send). The bytes are copied; they are parsed in the next sw_endpoint_poll(), which
    /// is woken. A malformed request is answered there with 400/505/513 (RFC 3261 §21.4) and dropped.
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="transport">SW_TRANSPORT_UDP, or SW_TRANSPORT_TCP/SW_TRANSPORT_TLS with one whole message (the firmware frames by Content-Length, RFC 3261 §18.3).</param>
    /// <param name="data">The message bytes.</param>
    /// <param name="length">Number of bytes, 1 up to the message size limit (64 KiB by default).</param>
    /// <param name="source">Where it came from, "ip:port" or "[ipv6]:port".</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint, NULL data, a bad length, transport or source;
    /// SW_E_INVALID_STATE for an endpoint with its own sockets.</returns>
    /// <ownership>The SDK copies data before returning.</ownership>
    /// <thread>Any thread (the firmware's receive task), concurrently with sw_endpoint_poll().</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_input")]
    public static Status Input(EndpointHandle* endpoint, int transport, [CType("const uint8_t *")] byte* data, int length,
        [CType("const char *")] byte* source)
    {
        try
        {
            EndpointHost? target = s_endpoints.Get((nint)endpoint);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            if (data == null || length <= 0)
            {
                return AbiStatus.Fail(Status.InvalidArg, "data must not be NULL and length must be positive");
            }
            if (transport is < (int)TransportCode.Udp or > (int)TransportCode.Tls)
            {
                return AbiStatus.Fail(Status.InvalidArg, $"transport must be an SW_TRANSPORT_* code, not {transport}");
            }
            string? from = AbiStrings.Read(source, "source");
            if (from is null || !PeerAddress.TryParse((TransportProtocol)transport, from, out PeerAddress address))
            {
                return AbiStatus.Fail(Status.InvalidArg, $"source '{from}' is not \"ip:port\" or \"[ipv6]:port\"");
            }
            target.Input(new ReadOnlySpan<byte>(data, length), address);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Writes the local address of a listener ("127.0.0.1:5060", "[::1]:5060"), e.g. to learn the port picked for port 0.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="transport">SW_TRANSPORT_UDP, SW_TRANSPORT_TCP or SW_TRANSPORT_TLS.</param>
    /// <param name="buffer">Receives the NUL-terminated address; may be NULL when buffer_size is 0.</param>
    /// <param name="buffer_size">Size of buffer in bytes.</param>
    /// <param name="out_needed">Receives the size needed including the NUL; may be NULL.</param>
    /// <returns>SW_OK; SW_E_BUFFER_TOO_SMALL (nothing written, out_needed set); SW_E_INVALID_ARG for a NULL or destroyed
    /// endpoint or a transport without a listener.</returns>
    /// <ownership>The caller owns buffer.</ownership>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_endpoint_get_local_address")]
    public static Status GetLocalAddress(EndpointHandle* endpoint, int transport, [CType("char *")] byte* buffer, int buffer_size, int* out_needed)
    {
        try
        {
            EndpointHost? target = s_endpoints.Get((nint)endpoint);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            PeerAddress local = transport is >= (int)TransportCode.Udp and <= (int)TransportCode.Tls ? target.LocalAddress((TransportProtocol)transport) : default;
            if (local.IsEmpty)
            {
                return AbiStatus.Fail(Status.InvalidArg, $"the endpoint has no listener for transport {transport}");
            }
            IPEndPoint ep = local.ToEndPoint();
            return AbiStrings.Write(ep.ToString(), buffer, buffer_size, out_needed);
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>The live endpoint behind a handle, or null.</summary>
    internal static EndpointHost? Find(EndpointHandle* endpoint) => s_endpoints.Get((nint)endpoint);
}
