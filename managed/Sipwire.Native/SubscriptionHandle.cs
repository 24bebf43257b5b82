// SPDX-License-Identifier: MIT
// The opaque C type behind sw_subscription *; never instantiated, only pointed to.

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>A subscription to an event package (RFC 6665): presence, ua-profile, dialog, message-summary, ...</summary>
[CName("sw_subscription")]
[StructLayout(LayoutKind.Sequential, Size = 0)]
internal struct SubscriptionHandle
{
}
