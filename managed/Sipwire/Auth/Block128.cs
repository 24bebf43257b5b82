// SPDX-License-Identifier: MIT
// A 128-byte inline buffer: the pending block of SHA-512.

using System.Runtime.CompilerServices;

namespace Sipwire.Auth;

[InlineArray(128)]
internal struct Block128
{
    private byte _element0;
}
