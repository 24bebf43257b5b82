// Offsets of the parts of one name-addr / addr-spec header value (From, To, Contact, Route, ...).
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip.Parsing;

/// <summary>Where the parts of a name-addr or addr-spec value are, relative to the message start.</summary>
internal struct NameAddrParts
{
    public ByteRange Value;        // the whole value (display name to last parameter)
    public ByteRange DisplayName;  // as written (quoted-string with its quotes, or the tokens)
    public ByteRange Uri;          // inside <> or the bare addr-spec
    public ByteRange Parameters;   // after the URI: from the first ';' (exclusive) to the value end
    public ByteRange Tag;          // value of ;tag=
    public long Expires;           // Contact ;expires= (-1 absent; long.MaxValue when it overflows 2^32-1)
    public int QMillis;            // Contact ;q= in thousandths (-1 absent)
    public bool IsStar;            // Contact: *

    public static NameAddrParts Empty => new()
    {
        Value = ByteRange.None, DisplayName = ByteRange.None, Uri = ByteRange.None,
        Parameters = ByteRange.None, Tag = ByteRange.None, Expires = -1, QMillis = -1,
    };

    internal readonly NameAddrParts Offset(int by) => new()
    {
        Value = Value.Offset(by), DisplayName = DisplayName.Offset(by), Uri = Uri.Offset(by),
        Parameters = Parameters.Offset(by), Tag = Tag.Offset(by), Expires = Expires, QMillis = QMillis, IsStar = IsStar,
    };
}
