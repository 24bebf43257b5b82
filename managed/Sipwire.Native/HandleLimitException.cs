// SPDX-License-Identifier: MIT
// Thrown when a handle table is full; maps to SW_E_LIMIT.

using System;

namespace Sipwire.Native;

/// <summary>A configured limit on live handles is reached.</summary>
internal sealed class HandleLimitException(string message) : Exception(message)
{
}
