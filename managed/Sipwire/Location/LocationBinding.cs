// One binding of an address-of-record to a contact (RFC 3261 §10.3), packed into one UTF-8 buffer.
// SPDX-License-Identifier: MIT

using System;
using System.Text;

namespace Sipwire.Location;

/// <summary>
/// An immutable registration: the contact URI and everything the registrar must remember about it
/// (RFC 3261 §10.3 step 7: Call-ID, CSeq, expiry; q-value §20.10; Path RFC 3327 §5.3;
/// +sip.instance and reg-id RFC 5626 §6 / RFC 5627 §3.1; the source it came from).
/// All text fields live in one UTF-8 array so a binding costs two heap objects, whatever its fields.
/// </summary>
public sealed class LocationBinding
{
    private readonly byte[] _data;
    private readonly ushort _contactEnd;
    private readonly ushort _paramsEnd;
    private readonly ushort _callIdEnd;
    private readonly ushort _pathEnd;
    private readonly ushort _instanceEnd;

    /// <summary>Creates a binding; every text field must be at most 65535 bytes together.</summary>
    /// <param name="contact">The contact URI as written, without angle brackets.</param>
    /// <param name="contactParameters">Contact header parameters to echo in the 200 (";name=value..."), without expires; may be empty.</param>
    /// <param name="callId">Call-ID of the REGISTER that made or last refreshed the binding.</param>
    /// <param name="cseq">Its CSeq number.</param>
    /// <param name="qMillis">q in thousandths (0-1000), or -1 when the Contact had no q.</param>
    /// <param name="expiresAtMs">When the binding expires, on the location service's clock (milliseconds).</param>
    /// <param name="path">The REGISTER's Path values, comma-separated (RFC 3327), or empty.</param>
    /// <param name="instanceId">The +sip.instance value with its quotes removed ("&lt;urn:uuid:...&gt;"), or empty.</param>
    /// <param name="regId">reg-id (RFC 5626 §4.2), or -1.</param>
    /// <param name="received">Where the REGISTER came from ("udp:192.0.2.1:5060"), or empty.</param>
    public LocationBinding(ReadOnlySpan<byte> contact, ReadOnlySpan<byte> contactParameters, ReadOnlySpan<byte> callId, uint cseq,
        int qMillis, long expiresAtMs, ReadOnlySpan<byte> path, ReadOnlySpan<byte> instanceId, int regId, ReadOnlySpan<byte> received)
    {
        if (contact.IsEmpty) throw new ArgumentException("A binding needs a contact URI.", nameof(contact));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(qMillis, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(qMillis, -1);
        ArgumentOutOfRangeException.ThrowIfLessThan(regId, -1);
        int total = contact.Length + contactParameters.Length + callId.Length + path.Length + instanceId.Length + received.Length;
        if (total > ushort.MaxValue) throw new ArgumentException($"A binding's text fields total {total} bytes; at most {ushort.MaxValue} fit.");
        _data = new byte[total];
        int at = 0;
        _contactEnd = Put(contact, ref at);
        _paramsEnd = Put(contactParameters, ref at);
        _callIdEnd = Put(callId, ref at);
        _pathEnd = Put(path, ref at);
        _instanceEnd = Put(instanceId, ref at);
        Put(received, ref at);
        CSeq = cseq;
        QMillis = (short)qMillis;
        ExpiresAtMs = expiresAtMs;
        RegId = regId;
    }

    private LocationBinding(LocationBinding from, long expiresAtMs)
    {
        _data = from._data;
        _contactEnd = from._contactEnd;
        _paramsEnd = from._paramsEnd;
        _callIdEnd = from._callIdEnd;
        _pathEnd = from._pathEnd;
        _instanceEnd = from._instanceEnd;
        CSeq = from.CSeq;
        QMillis = from.QMillis;
        RegId = from.RegId;
        ExpiresAtMs = expiresAtMs;
    }

    /// <summary>The contact URI.</summary>
    public ReadOnlySpan<byte> Contact => _data.AsSpan(0, _contactEnd);

    /// <summary>Contact header parameters to echo (";name=value..."), without expires.</summary>
    public ReadOnlySpan<byte> ContactParameters => _data.AsSpan(_contactEnd, _paramsEnd - _contactEnd);

    /// <summary>Call-ID of the REGISTER that last wrote the binding.</summary>
    public ReadOnlySpan<byte> CallId => _data.AsSpan(_paramsEnd, _callIdEnd - _paramsEnd);

    /// <summary>Path values (RFC 3327), comma-separated, or empty.</summary>
    public ReadOnlySpan<byte> Path => _data.AsSpan(_callIdEnd, _pathEnd - _callIdEnd);

    /// <summary>+sip.instance ("&lt;urn:...&gt;"), or empty.</summary>
    public ReadOnlySpan<byte> InstanceId => _data.AsSpan(_pathEnd, _instanceEnd - _pathEnd);

    /// <summary>The source the REGISTER came from, or empty.</summary>
    public ReadOnlySpan<byte> Received => _data.AsSpan(_instanceEnd);

    /// <summary>CSeq of the REGISTER that last wrote the binding.</summary>
    public uint CSeq { get; }

    /// <summary>q in thousandths, or -1 when none was given.</summary>
    public int QMillis { get; }

    /// <summary>The q used for ordering: a contact without q ranks as q=1.0 (RFC 3261 §16.6 leaves it to the server; 1.0 is what the UA could have said at most).</summary>
    public int EffectiveQMillis => QMillis < 0 ? 1000 : QMillis;

    /// <summary>Expiry time in milliseconds on the location service's clock.</summary>
    public long ExpiresAtMs { get; }

    /// <summary>reg-id, or -1.</summary>
    public int RegId { get; }

    /// <summary>True when the binding is keyed by +sip.instance and reg-id instead of its URI (RFC 5626 §6).</summary>
    public bool HasFlowKey => RegId >= 0 && _instanceEnd > _pathEnd;

    /// <summary>Length of the packed text, for memory accounting.</summary>
    public int TextLength => _data.Length;

    /// <summary>The whole seconds left until expiry, rounded up (what the 200 OK reports, RFC 3261 §10.3 step 8).</summary>
    public long SecondsLeft(long nowMs) => ExpiresAtMs <= nowMs ? 0 : (ExpiresAtMs - nowMs + 999) / 1000;

    /// <summary>The same binding with another expiry (no text is copied).</summary>
    public LocationBinding WithExpiry(long expiresAtMs) => new(this, expiresAtMs);

    /// <summary>The contact URI as a string (allocates).</summary>
    public string ContactText => Encoding.UTF8.GetString(Contact);

    /// <summary>Diagnostic form.</summary>
    public override string ToString() => $"<{ContactText}>{Encoding.UTF8.GetString(ContactParameters)};q={QMillis};expires-at={ExpiresAtMs}";

    private ushort Put(ReadOnlySpan<byte> field, ref int at)
    {
        field.CopyTo(_data.AsSpan(at));
        at += field.Length;
        return (ushort)at;
    }
}
