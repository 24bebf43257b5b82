// SPDX-License-Identifier: MIT
// C ABI exports for the registrar and redirect server role of an endpoint.

using System;
using System.Runtime.InteropServices;

namespace Sipwire.Native;

internal static unsafe class RegistrarExports
{
    private static readonly System.Buffers.SearchValues<char> s_notInDomain = System.Buffers.SearchValues.Create("\r\n <>;");

    /// <summary>
    /// Makes the endpoint a registrar for one domain (RFC 3261 §10.3, bindings kept in memory) and a
    /// redirect server for it: an out-of-dialog INVITE to a user of the domain gets 302 with the
    /// registered contacts (§8.3), or 480 when the user is not registered.
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="domain">The domain served, e.g. "demo.test" or "192.0.2.1".</param>
    /// <param name="require_auth">Nonzero to require digest authentication (RFC 3261 §22) against the users of sw_registrar_add_user().</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL/empty domain; SW_E_INVALID_STATE when the role already runs.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_registrar_start")]
    public static Status Start(EndpointHandle* endpoint, [CType("const char *")] byte* domain, int require_auth)
    {
        try
        {
            EndpointHost? host = EndpointExports.Find(endpoint);
            if (host is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            host.Enter();
            string name = AbiStrings.Read(domain, "domain") ?? "";
            if (name.Length == 0 || name.AsSpan().IndexOfAny(s_notInDomain) >= 0)
            {
                return AbiStatus.Fail(Status.InvalidArg, "domain must be a host name or address");
            }
            host.StartRegistrar(name, require_auth != 0);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Adds (or replaces) a user the registrar role authenticates; the user name is the user part of the address-of-record.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="user">The user name.</param>
    /// <param name="password">The password.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or destroyed endpoint or a NULL/empty user or NULL password.</returns>
    /// <ownership>Strings are copied.</ownership>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_registrar_add_user")]
    public static Status AddUser(EndpointHandle* endpoint, [CType("const char *")] byte* user, [CType("const char *")] byte* password)
    {
        try
        {
            EndpointHost? host = EndpointExports.Find(endpoint);
            if (host is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            host.Enter();
            string name = AbiStrings.Read(user, "user") ?? "";
            string? secret = AbiStrings.Read(password, "password");
            if (name.Length == 0 || secret is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "user must not be NULL or empty and password not NULL");
            }
            host.AddRegistrarUser(name, secret);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }
}
