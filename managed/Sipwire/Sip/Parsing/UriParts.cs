// Offsets of the components of a URI found by UriScanner.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip.Parsing;

/// <summary>Where the components of a URI are, relative to the start of the URI text.</summary>
internal struct UriParts
{
    /// <summary>0 = other absoluteURI, 1 = sip, 2 = sips, 3 = tel.</summary>
    public int SchemeKind;
    public ByteRange Scheme;
    public ByteRange User;
    public ByteRange Password;
    public ByteRange Host;
    public int Port;
    public ByteRange Parameters; // from the first ';' (exclusive) to '?' or the end
    public ByteRange Headers;    // after '?'
    public ByteRange Opaque;     // everything after "scheme:" for non-SIP schemes

    public static UriParts Empty => new()
    {
        Scheme = ByteRange.None, User = ByteRange.None, Password = ByteRange.None, Host = ByteRange.None,
        Port = -1, Parameters = ByteRange.None, Headers = ByteRange.None, Opaque = ByteRange.None,
    };
}
