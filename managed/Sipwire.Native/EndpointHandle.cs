// SPDX-License-Identifier: MIT
// The opaque C type behind sw_endpoint *; never instantiated, only pointed to.

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>An endpoint: transports, accounts, calls and subscriptions driven by one thread.</summary>
[CName("sw_endpoint")]
[StructLayout(LayoutKind.Sequential, Size = 0)]
internal struct EndpointHandle
{
}
