// SPDX-License-Identifier: MIT
// The opaque C type behind sw_account *; never instantiated, only pointed to.

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>An account: one address-of-record with its registration and credentials.</summary>
[CName("sw_account")]
[StructLayout(LayoutKind.Sequential, Size = 0)]
internal struct AccountHandle
{
}
