// A small, strict, namespace-aware XML 1.0 parser for presence documents (no DTDs, bounded depth and size).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Sipwire.Presence;

/// <summary>
/// Parses a UTF-8 XML document into <see cref="XmlElement"/>s without System.Xml (so NativeAOT
/// images stay small on devices). It checks well-formedness (XML 1.0 §2.1: one root, matching
/// end tags, unique attributes, '&lt;' never in attribute values, valid references) and
/// namespaces (undeclared prefixes are errors). A DOCTYPE is refused: without a DTD there are no
/// entity expansion attacks, and PIDF needs none (RFC 3863 §4 uses schemas, not DTDs).
/// </summary>
public static class XmlLiteParser
{
    /// <summary>Element nesting limit.</summary>
    public const int MaxDepth = 32;

    /// <summary>Parses <paramref name="utf8"/>; false with a reason and an offset on any error.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out XmlElement? root, out string error)
    {
        root = null;
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..]; // XML 1.0 §4.3.3: UTF-8 BOM
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            error = "not valid UTF-8";
            return false;
        }
        var p = new State(text);
        root = p.Document(out error);
        return root is not null;
    }

    private sealed class State
    {
        private readonly string _s;
        private readonly List<Dictionary<string, string>> _scopes = [];
        private int _pos;

        public State(string s)
        {
            _s = s;
        }

        public XmlElement? Document(out string error)
        {
            try
            {
                if (Starts("<?xml")) SkipPi();
                SkipMisc();
                if (Starts("<!DOCTYPE")) return Fail<XmlElement>("DOCTYPE is not accepted", out error);
                if (_pos >= _s.Length || _s[_pos] != '<') return Fail<XmlElement>("no root element", out error);
                XmlElement root = Element(0);
                SkipMisc();
                if (_pos != _s.Length) return Fail<XmlElement>("content after the root element", out error);
                error = "";
                return root;
            }
            catch (FormatException e)
            {
                error = $"{e.Message} at offset {_pos}";
                return null;
            }
        }

        private static T? Fail<T>(string message, out string error)
            where T : class
        {
            error = message;
            return null;
        }

        private bool Starts(string token) => _s.AsSpan(_pos).StartsWith(token, StringComparison.Ordinal);

        private void SkipSpace()
        {
            while (_pos < _s.Length && _s[_pos] is ' ' or '\t' or '\r' or '\n') _pos++;
        }

        private void SkipMisc()
        {
            while (true)
            {
                SkipSpace();
                if (Starts("<!--")) SkipComment();
                else if (Starts("<?")) SkipPi();
                else return;
            }
        }

        private void SkipComment()
        {
            int end = _s.IndexOf("-->", _pos + 4, StringComparison.Ordinal);
            if (end < 0) throw new FormatException("unterminated comment");
            if (_s.AsSpan(_pos + 4, end - _pos - 4).Contains("--", StringComparison.Ordinal)) throw new FormatException("'--' inside a comment");
            _pos = end + 3;
        }

        private void SkipPi()
        {
            int end = _s.IndexOf("?>", _pos + 2, StringComparison.Ordinal);
            if (end < 0) throw new FormatException("unterminated processing instruction");
            _pos = end + 2;
        }

        private string Name()
        {
            int start = _pos;
            while (_pos < _s.Length && IsNameChar(_s[_pos], _pos == start)) _pos++;
            if (_pos == start) throw new FormatException("name expected");
            string name = _s[start.._pos];
            int colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon == 0 || colon == name.Length - 1 || (colon > 0 && name.IndexOf(':', colon + 1) >= 0)) throw new FormatException($"bad qualified name '{name}'");
            return name;
        }

        // XML 1.0 §2.3 NameStartChar / NameChar (with ':' allowed for QNames); non-ASCII letters accepted.
        private static bool IsNameChar(char c, bool first) =>
            char.IsLetter(c) || c is '_' or ':' || c >= 0x80 || (!first && (char.IsAsciiDigit(c) || c is '-' or '.'));

        private XmlElement Element(int depth)
        {
            if (depth >= MaxDepth) throw new FormatException($"elements nested deeper than {MaxDepth}");
            _pos++; // '<'
            string qname = Name();
            var raw = new List<(string Name, string Value)>();
            var scope = new Dictionary<string, string>(StringComparer.Ordinal);
            bool empty;
            while (true)
            {
                int before = _pos;
                SkipSpace();
                if (_pos >= _s.Length) throw new FormatException("unterminated start tag");
                if (Starts("/>"))
                {
                    _pos += 2;
                    empty = true;
                    break;
                }
                if (_s[_pos] == '>')
                {
                    _pos++;
                    empty = false;
                    break;
                }
                if (before == _pos) throw new FormatException("space expected between attributes");
                string an = Name();
                SkipSpace();
                if (_pos >= _s.Length || _s[_pos] != '=') throw new FormatException($"'=' expected after '{an}'");
                _pos++;
                SkipSpace();
                string value = AttributeValue();
                foreach ((string n, _) in raw)
                {
                    if (n == an) throw new FormatException($"attribute '{an}' repeated");
                }
                raw.Add((an, value));
                if (an == "xmlns") scope[""] = value;
                else if (an.StartsWith("xmlns:", StringComparison.Ordinal))
                {
                    if (value.Length == 0) throw new FormatException($"empty namespace for prefix '{an[6..]}'");
                    scope[an[6..]] = value;
                }
            }
            _scopes.Add(scope);
            (string ns, string local) = Resolve(qname, isAttribute: false);
            var e = new XmlElement(ns, local);
            foreach ((string n, string v) in raw)
            {
                if (n == "xmlns" || n.StartsWith("xmlns:", StringComparison.Ordinal)) continue;
                (string ans, string al) = Resolve(n, isAttribute: true);
                foreach ((string x, string y, _) in e.Attributes)
                {
                    if (x == ans && y == al) throw new FormatException($"attribute '{n}' repeated (same expanded name)");
                }
                e.Attributes.Add((ans, al, v));
            }
            if (!empty) Content(e, qname, depth);
            _scopes.RemoveAt(_scopes.Count - 1);
            return e;
        }

        private void Content(XmlElement e, string qname, int depth)
        {
            var text = new StringBuilder();
            while (true)
            {
                if (_pos >= _s.Length) throw new FormatException($"'{qname}' is not closed");
                char c = _s[_pos];
                if (c == '<')
                {
                    if (Starts("</"))
                    {
                        _pos += 2;
                        string end = Name();
                        SkipSpace();
                        if (_pos >= _s.Length || _s[_pos] != '>') throw new FormatException("'>' expected in end tag");
                        _pos++;
                        if (end != qname) throw new FormatException($"end tag '{end}' does not match '{qname}'");
                        e.Text = text.ToString();
                        return;
                    }
                    if (Starts("<!--")) SkipComment();
                    else if (Starts("<![CDATA["))
                    {
                        int close = _s.IndexOf("]]>", _pos + 9, StringComparison.Ordinal);
                        if (close < 0) throw new FormatException("unterminated CDATA section");
                        text.Append(_s, _pos + 9, close - _pos - 9);
                        _pos = close + 3;
                    }
                    else if (Starts("<?")) SkipPi();
                    else if (Starts("<!")) throw new FormatException("markup declaration inside content");
                    else e.Children.Add(Element(depth + 1));
                    continue;
                }
                if (c == '&') text.Append(Reference());
                else
                {
                    if (c == '>' && _pos >= 2 && _s[_pos - 1] == ']' && _s[_pos - 2] == ']') throw new FormatException("']]>' in content");
                    if (c < ' ' && c is not ('\t' or '\r' or '\n')) throw new FormatException("control character in content");
                    text.Append(c);
                    _pos++;
                }
            }
        }

        private string AttributeValue()
        {
            if (_pos >= _s.Length || _s[_pos] is not ('"' or '\'')) throw new FormatException("quoted attribute value expected");
            char q = _s[_pos++];
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _s.Length) throw new FormatException("unterminated attribute value");
                char c = _s[_pos];
                if (c == q)
                {
                    _pos++;
                    return sb.ToString();
                }
                if (c == '<') throw new FormatException("'<' in an attribute value");
                if (c == '&')
                {
                    sb.Append(Reference());
                    continue;
                }
                // XML 1.0 §3.3.3: white space in attribute values normalizes to spaces.
                sb.Append(c is '\t' or '\r' or '\n' ? ' ' : c);
                _pos++;
            }
        }

        private string Reference()
        {
            int semi = _s.IndexOf(';', _pos);
            if (semi < 0 || semi - _pos > 12) throw new FormatException("unterminated reference");
            string name = _s[(_pos + 1)..semi];
            _pos = semi + 1;
            switch (name)
            {
                case "lt": return "<";
                case "gt": return ">";
                case "amp": return "&";
                case "quot": return "\"";
                case "apos": return "'";
            }
            if (name.Length > 1 && name[0] == '#')
            {
                bool hex = name[1] == 'x';
                string digits = hex ? name[2..] : name[1..];
                if (digits.Length > 0 && int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int cp)
                    && cp is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF))
                {
                    return char.ConvertFromUtf32(cp);
                }
                throw new FormatException($"bad character reference '&{name};'");
            }
            throw new FormatException($"undeclared entity '&{name};'");
        }

        private (string Ns, string Local) Resolve(string qname, bool isAttribute)
        {
            int colon = qname.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                // Namespaces in XML §6.2: unprefixed attributes have no namespace.
                return (isAttribute ? "" : Lookup(""), qname);
            }
            string prefix = qname[..colon];
            if (prefix == "xml") return ("http://www.w3.org/XML/1998/namespace", qname[(colon + 1)..]);
            string ns = Lookup(prefix);
            if (ns.Length == 0) throw new FormatException($"undeclared prefix '{prefix}'");
            return (ns, qname[(colon + 1)..]);
        }

        private string Lookup(string prefix)
        {
            for (int i = _scopes.Count - 1; i >= 0; i--)
            {
                if (_scopes[i].TryGetValue(prefix, out string? ns)) return ns;
            }
            return "";
        }
    }
}
