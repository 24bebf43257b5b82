// SPDX-License-Identifier: MIT
// sw_endpoint_config: the caller-filled configuration of sw_endpoint_create.

using System;
using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>Configuration of an endpoint. Fill it with sw_endpoint_config_init(), then change fields.</summary>
[CName("sw_endpoint_config")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct EndpointConfig
{
    /// <summary>sizeof(sw_endpoint_config), set by sw_endpoint_config_init(); lets the struct grow without breaking the ABI.</summary>
    public uint struct_size;

    /// <summary>Most transactions alive at once (default 256).</summary>
    public int max_transactions;

    /// <summary>Most dialogs alive at once (default 64).</summary>
    public int max_dialogs;

    /// <summary>RFC 3261 T1 in milliseconds (default 500).</summary>
    public int t1_ms;

    /// <summary>RFC 3261 T2 in milliseconds, at least t1_ms (default 4000).</summary>
    public int t2_ms;

    /// <summary>RFC 3261 T4 in milliseconds (default 5000).</summary>
    public int t4_ms;

    /// <summary>User-Agent header value, UTF-8; NULL for the default "Sipwire", "" for none. Copied at create.</summary>
    [CType("const char *")]
    public byte* user_agent;

    /// <summary>The event table, or NULL for none; copied at create.</summary>
    [CType("const sw_callbacks *")]
    public Callbacks* callbacks;

    /// <summary>Local address the socket listeners bind to, "0.0.0.0" (the default for NULL), "::" or one address; ignored with transport_send.</summary>
    [CType("const char *")]
    public byte* bind_address;

    /// <summary>UDP listener port: 0 (the default) picks a free port, -1 opens none; with transport_send, the port the firmware receives on.</summary>
    public int udp_port;

    /// <summary>TCP listener port: -1 (the default) opens none, 0 picks a free port.</summary>
    public int tcp_port;

    /// <summary>TLS listener port: -1 (the default) opens none, 0 picks a free port; needs tls_provider.</summary>
    public int tls_port;

    /// <summary>The firmware's TLS implementation for the TLS transport (listener and sips/transport=tls targets), or NULL for none; copied at create.</summary>
    [CType("const sw_tls_provider *")]
    public TlsProviderTable* tls_provider;

    /// <summary>Address written into Via and Contact; NULL: the bind address, or when that is unspecified, the local address that routes to the registrar. Required with transport_send.</summary>
    [CType("const char *")]
    public byte* contact_address;

    /// <summary>Lowest SW_LOG_* level passed to on_log (default SW_LOG_INFO).</summary>
    public int log_level;

    /// <summary>NULL for the SDK's own sockets; else every message goes out through this callback and comes in through sw_endpoint_input() (devices with their own IP stack).</summary>
    [CType("sw_transport_send_cb")]
    public delegate* unmanaged<int, byte*, byte*, int, void*, int> transport_send;

    /// <summary>Passed to transport_send.</summary>
    [CType("void *")]
    public void* transport_user_data;

    /// <summary>The C view of <paramref name="options"/>; user_agent is left NULL (strings have getters of their own).</summary>
    public static EndpointConfig From(EndpointOptions options) => new()
    {
        struct_size = (uint)sizeof(EndpointConfig),
        max_transactions = options.MaxTransactions,
        max_dialogs = options.MaxDialogs,
        t1_ms = (int)options.T1.TotalMilliseconds,
        t2_ms = (int)options.T2.TotalMilliseconds,
        t4_ms = (int)options.T4.TotalMilliseconds,
        user_agent = null,
        callbacks = null,
        bind_address = null,
        udp_port = 0,
        tcp_port = -1,
        tls_port = -1,
        tls_provider = null,
        contact_address = null,
        log_level = (int)LogLevel.Info,
        transport_send = null,
        transport_user_data = null,
    };

    /// <summary>The options this C configuration asks for; a NULL user_agent means the default.</summary>
    /// <exception cref="ArgumentException">user_agent is not valid UTF-8 or too long.</exception>
    public readonly EndpointOptions ToOptions() => new()
    {
        MaxTransactions = max_transactions,
        MaxDialogs = max_dialogs,
        T1 = TimeSpan.FromMilliseconds(t1_ms),
        T2 = TimeSpan.FromMilliseconds(t2_ms),
        T4 = TimeSpan.FromMilliseconds(t4_ms),
        UserAgent = AbiStrings.Read(user_agent, "config->user_agent") ?? new EndpointOptions().UserAgent,
    };
}
