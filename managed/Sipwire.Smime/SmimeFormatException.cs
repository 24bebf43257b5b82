// Raised inside the S/MIME reader for a malformed body; always caught and turned into a 400 result.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Smime;

/// <summary>A protected body is not well formed. Never leaves <see cref="SmimeBodyProtector"/>.</summary>
internal sealed class SmimeFormatException : Exception
{
    public SmimeFormatException(string message) : base(message)
    {
    }
}
