// SPDX-License-Identifier: MIT
// Spells the C type of a parameter, field or return value where the C# type alone does not say it.

using System;

namespace Sipwire.Native;

/// <summary>
/// The C type in <c>sipwire.h</c>, for what C# cannot express: const pointers and UTF-8 strings
/// (<c>const char *</c>, where C# has <c>byte*</c>). Without it the header generator maps the C# type.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.ReturnValue)]
internal sealed class CTypeAttribute(string type) : Attribute
{
    /// <summary>The C type, e.g. <c>const char *</c>.</summary>
    public string Type { get; } = type;
}
