// SPDX-License-Identifier: MIT
// The opaque C type behind sw_call *; never instantiated, only pointed to.

using System.Runtime.InteropServices;

namespace Sipwire.Native;

/// <summary>A call: one INVITE dialog usage, placed or received.</summary>
[CName("sw_call")]
[StructLayout(LayoutKind.Sequential, Size = 0)]
internal struct CallHandle
{
}
