// SPDX-License-Identifier: MIT
// C ABI exports for endpoints: configuration, create, destroy.

using System;
using System.Runtime.InteropServices;

namespace Sipwire.Native;

internal static unsafe class EndpointExports
{
    private const int MaxEndpoints = 64;
    private static readonly HandleTable<Endpoint> s_endpoints = new(MaxEndpoints);

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
            var endpoint = new Endpoint(config->ToOptions());
            try
            {
                *out_endpoint = (EndpointHandle*)s_endpoints.Add(endpoint);
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
    /// <param name="out_config">Receives the configuration; its user_agent is NULL (read strings with their own getters).</param>
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
            Endpoint? target = s_endpoints.Get((nint)endpoint);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "endpoint is NULL or destroyed");
            }
            *out_config = EndpointConfig.From(target.Options);
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Destroys an endpoint and everything it owns. NULL and already destroyed endpoints are ignored.</summary>
    /// <param name="endpoint">The endpoint, or NULL.</param>
    /// <thread>The endpoint's thread, outside sw_endpoint_poll().</thread>
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
}
