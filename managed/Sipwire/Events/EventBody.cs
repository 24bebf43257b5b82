// A NOTIFY or PUBLISH body with its media type.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Events;

/// <summary>A body and its Content-Type ("application/pidf+xml").</summary>
public sealed record EventBody(string ContentType, ReadOnlyMemory<byte> Content);
