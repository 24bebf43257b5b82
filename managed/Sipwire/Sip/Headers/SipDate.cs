// The SIP-date of the Date header: RFC 1123 form, always GMT (RFC 3261 §20.17, §25.1).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Sip.Headers;

/// <summary>Parses and formats SIP-date = wkday "," SP date1 SP time SP "GMT".</summary>
public static class SipDate
{
    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] s_days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>
    /// Parses a SIP-date (LWS around it allowed). RFC 3261 §20.17 allows only "GMT", so any other
    /// zone (RFC 4475 §3.1.2.12 sends "EST") fails.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out DateTime utc)
    {
        utc = default;
        ReadOnlySpan<byte> v = Parsing.SipSyntax.Trim(value, out _);
        // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 octets.
        if (v.Length != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' || v[16] != ' '
            || v[19] != ':' || v[22] != ':' || v[25] != ' ' || !v[26..].SequenceEqual("GMT"u8))
            return false;
        int wd = IndexOf(s_days, v[..3]);
        int month = IndexOf(s_months, v.Slice(8, 3)) + 1;
        if (wd < 0 || month == 0) return false;
        if (!Two(v, 5, out int day) || !Two(v, 17, out int hh) || !Two(v, 20, out int mm) || !Two(v, 23, out int ss)
            || !Two(v, 12, out int yHi) || !Two(v, 14, out int yLo))
            return false;
        int year = yHi * 100 + yLo;
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hh > 23 || mm > 59 || ss > 59) return false;
        var d = new DateTime(year, month, day, hh, mm, ss, DateTimeKind.Utc);
        if ((int)d.DayOfWeek != wd) return false;
        utc = d;
        return true;
    }

    /// <summary>Formats <paramref name="utc"/> as a SIP-date; returns the bytes written (29) or 0 when too small.</summary>
    public static int Format(DateTime utc, Span<byte> destination)
    {
        if (destination.Length < 29) return 0;
        utc = utc.ToUniversalTime();
        Put(destination, 0, s_days[(int)utc.DayOfWeek]);
        destination[3] = (byte)',';
        destination[4] = (byte)' ';
        PutTwo(destination, 5, utc.Day);
        destination[7] = (byte)' ';
        Put(destination, 8, s_months[utc.Month - 1]);
        destination[11] = (byte)' ';
        PutTwo(destination, 12, utc.Year / 100);
        PutTwo(destination, 14, utc.Year % 100);
        destination[16] = (byte)' ';
        PutTwo(destination, 17, utc.Hour);
        destination[19] = (byte)':';
        PutTwo(destination, 20, utc.Minute);
        destination[22] = (byte)':';
        PutTwo(destination, 23, utc.Second);
        destination[25] = (byte)' ';
        "GMT"u8.CopyTo(destination[26..]);
        return 29;
    }

    private static int IndexOf(string[] names, ReadOnlySpan<byte> v)
    {
        for (int k = 0; k < names.Length; k++)
        {
            string n = names[k];
            if (v[0] == n[0] && v[1] == n[1] && v[2] == n[2]) return k;
        }
        return -1;
    }

    private static bool Two(ReadOnlySpan<byte> v, int at, out int value)
    {
        value = 0;
        if (!Parsing.SipSyntax.IsDigit(v[at]) || !Parsing.SipSyntax.IsDigit(v[at + 1])) return false;
        value = (v[at] - '0') * 10 + (v[at + 1] - '0');
        return true;
    }

    private static void Put(Span<byte> d, int at, string s)
    {
        for (int k = 0; k < s.Length; k++) d[at + k] = (byte)s[k];
    }

    private static void PutTwo(Span<byte> d, int at, int v)
    {
        d[at] = (byte)('0' + v / 10);
        d[at + 1] = (byte)('0' + v % 10);
    }
}
