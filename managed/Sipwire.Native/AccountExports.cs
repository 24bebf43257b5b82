// SPDX-License-Identifier: MIT
// C ABI exports for accounts: add, register, unregister, credentials.

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Sipwire.UserAgent;

namespace Sipwire.Native;

internal static unsafe class AccountExports
{
    /// <summary>Fills an account configuration with the defaults (all strings NULL, expires 3600) and sets its struct_size.</summary>
    /// <param name="config">The configuration to fill.</param>
    /// <returns>SW_OK, or SW_E_INVALID_ARG when config is NULL.</returns>
    /// <thread>Any thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_account_config_init")]
    public static Status ConfigInit(AccountConfig* config)
    {
        try
        {
            if (config == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "config is NULL");
            }
            *config = default;
            config->struct_size = (uint)sizeof(AccountConfig);
            config->expires = 3600;
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Adds an account to an endpoint; it does not register until sw_account_register(). The first
    /// account of an endpoint is its identity for calls (From of sw_call_make(), owner of incoming calls).
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="config">Filled by sw_account_config_init(); aor and registrar are required.</param>
    /// <param name="out_account">Receives the account; NULL on failure.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for NULL or destroyed arguments, a wrong struct_size, a malformed URI,
    /// a registrar that is not an IP-literal URI or a transport without a listener (the detail names it);
    /// SW_E_LIMIT when 1024 accounts exist in the process.</returns>
    /// <ownership>The endpoint owns the account; it goes with sw_endpoint_destroy(). Strings are copied.</ownership>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_account_add")]
    public static Status Add(EndpointHandle* endpoint, [CType("const sw_account_config *")] AccountConfig* config, AccountHandle** out_account)
    {
        try
        {
            if (out_account == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "out_account is NULL");
            }
            *out_account = null;
            EndpointHost? host = EndpointExports.Find(endpoint);
            if (host is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            if (config == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "config is NULL");
            }
            if (config->struct_size != (uint)sizeof(AccountConfig))
            {
                return AbiStatus.Fail(Status.InvalidArg,
                    $"config->struct_size is {config->struct_size}, expected {sizeof(AccountConfig)}: call sw_account_config_init() first");
            }
            host.Enter();
            string aor = AbiStrings.Read(config->aor, "config->aor") ?? throw new ArgumentException("config->aor is NULL");
            string registrar = AbiStrings.Read(config->registrar, "config->registrar") ?? throw new ArgumentException("config->registrar is NULL");
            string? proxy = AbiStrings.Read(config->outbound_proxy, "config->outbound_proxy");
            if (config->expires < 1)
            {
                throw new ArgumentException($"config->expires must be at least 1 second, not {config->expires}");
            }
            List<SipCredentials> credentials = [];
            SetCredentials(credentials, config->username, config->password, config->realm);
            NativeAccount account = host.AddAccount(aor, registrar, proxy, credentials, config->expires);
            *out_account = (AccountHandle*)account.Handle;
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Starts registering (RFC 3261 §10.2): REGISTER now, refreshes before expiry, retries with back-off (RFC 5626 §4.5); outcomes arrive at on_registration.</summary>
    /// <param name="account">The account.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale account; SW_E_INVALID_STATE from another thread during a poll.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_account_register")]
    public static Status Register(AccountHandle* account)
    {
        try
        {
            NativeAccount? target = EndpointHost.AccountHandles.Get((nint)account);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "account is NULL or stale");
            }
            target.Host.Enter();
            target.Registration.Start();
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Removes the binding (REGISTER with expires 0, RFC 3261 §10.2.2) and stops refreshing; SW_REG_UNREGISTERED follows.</summary>
    /// <param name="account">The account.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale account; SW_E_INVALID_STATE from another thread during a poll.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_account_unregister")]
    public static Status Unregister(AccountHandle* account)
    {
        try
        {
            NativeAccount? target = EndpointHost.AccountHandles.Get((nint)account);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "account is NULL or stale");
            }
            target.Host.Enter();
            target.Registration.Stop();
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Replaces the digest credentials (RFC 3261 §22.1); used from the next challenge on. NULL username removes them.</summary>
    /// <param name="account">The account.</param>
    /// <param name="username">User name, or NULL for none.</param>
    /// <param name="password">Password (required with a username).</param>
    /// <param name="realm">The realm they are for, or NULL for any realm.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale account or a username without password.</returns>
    /// <ownership>Strings are copied.</ownership>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_account_set_credentials")]
    public static Status SetCredentials(AccountHandle* account, [CType("const char *")] byte* username,
        [CType("const char *")] byte* password, [CType("const char *")] byte* realm)
    {
        try
        {
            NativeAccount? target = EndpointHost.AccountHandles.Get((nint)account);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "account is NULL or stale");
            }
            target.Host.Enter();
            SetCredentials(target.Credentials, username, password, realm);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    private static void SetCredentials(List<SipCredentials> list, byte* username, byte* password, byte* realm)
    {
        string? user = AbiStrings.Read(username, "username");
        string? pass = AbiStrings.Read(password, "password");
        string? r = AbiStrings.Read(realm, "realm");
        if (user is not null && pass is null)
        {
            throw new ArgumentException("password is NULL but username is set");
        }
        list.Clear();
        if (user is not null)
        {
            list.Add(new SipCredentials(user, pass!, r));
        }
    }
}
