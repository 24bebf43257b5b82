// A <note> of a PIDF document or tuple (RFC 3863 §4.1.6) with its language.
// SPDX-License-Identifier: MIT

namespace Sipwire.Presence;

/// <summary>Free text for a human, with its xml:lang or null.</summary>
public sealed record PidfNote(string Text, string? Language = null);
