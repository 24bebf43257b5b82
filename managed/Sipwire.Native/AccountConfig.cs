// SPDX-License-Identifier: MIT
// sw_account_config: the caller-filled configuration of sw_account_add.

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>Configuration of an account. Fill it with sw_account_config_init(), then set the strings (all copied by sw_account_add()).</summary>
[CName("sw_account_config")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AccountConfig
{
    /// <summary>sizeof(sw_account_config), set by sw_account_config_init().</summary>
    public uint struct_size;

    /// <summary>The address-of-record, "sip:alice@example.test" (required).</summary>
    [CType("const char *")]
    public byte* aor;

    /// <summary>The registrar as a SIP URI with an IP-literal host, "sip:192.0.2.1:5060;transport=tcp" (required; no DNS in the SDK).</summary>
    [CType("const char *")]
    public byte* registrar;

    /// <summary>Outbound proxy URI (IP-literal host) that REGISTER and calls are sent to instead; NULL for none.</summary>
    [CType("const char *")]
    public byte* outbound_proxy;

    /// <summary>Digest user name (RFC 3261 §22); NULL for no credentials.</summary>
    [CType("const char *")]
    public byte* username;

    /// <summary>Digest password; never sent, only hashed.</summary>
    [CType("const char *")]
    public byte* password;

    /// <summary>The realm the credentials are for; NULL for any realm.</summary>
    [CType("const char *")]
    public byte* realm;

    /// <summary>Requested registration interval in seconds (default 3600); the registrar may shorten it.</summary>
    public int expires;
}
