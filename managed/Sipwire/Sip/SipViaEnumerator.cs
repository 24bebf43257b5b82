// Enumerates the Via values of a message, across lines and comma-separated values.
// SPDX-License-Identifier: MIT

using Sipwire.Sip.Parsing;

namespace Sipwire.Sip;

/// <summary>Allocation-free enumerator of every Via value of a parsed message, top first.</summary>
public ref struct SipViaEnumerator
{
    private readonly SipMessage _message;
    private int _header;
    private int _pos;
    private ViaParts _current;

    internal SipViaEnumerator(SipMessage message)
    {
        _message = message;
        _header = message.IndexOfHeader(SipHeaderKind.Via);
        _pos = 0;
        _current = ViaParts.Empty;
    }

    /// <summary>Returns this enumerator (for foreach).</summary>
    public readonly SipViaEnumerator GetEnumerator() => this;

    /// <summary>The current Via.</summary>
    public readonly SipVia Current => new(_message.Span, _current);

    /// <summary>Moves to the next Via value.</summary>
    public bool MoveNext()
    {
        while (_header >= 0)
        {
            SipHeaderEntry h = _message._headers[_header];
            var value = h.Value.Slice(_message.Span);
            if (_pos > 0)
            {
                int j = SipSyntax.SkipLws(value, _pos);
                if (j < value.Length && value[j] == ',') _pos = j + 1;
                else { _header = _message.IndexOfHeader(SipHeaderKind.Via, _header + 1); _pos = 0; continue; }
            }
            int i = _pos;
            if (HeaderScanner.TryScanVia(value, ref i, out ViaParts parts))
            {
                _current = parts.Offset(h.Value.Start);
                _pos = i == 0 ? 1 : i;
                return true;
            }
            _header = -1;
        }
        return false;
    }
}
