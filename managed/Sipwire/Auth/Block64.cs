// SPDX-License-Identifier: MIT
// A 64-byte inline buffer: the pending block of MD5 and SHA-256.

using System.Runtime.CompilerServices;

namespace Sipwire.Auth;

[InlineArray(64)]
internal struct Block64
{
    private byte _element0;
}
