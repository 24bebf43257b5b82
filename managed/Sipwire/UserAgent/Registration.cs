// A client registration (RFC 3261 §10.2): REGISTER, digest authentication, refresh, back-off and unregistration.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.Auth;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

/// <summary>
/// Keeps our contacts (one or several, RFC 3261 §10.2.1) bound to one address-of-record. Sans-IO: it sends through a
/// <see cref="TransactionLayer"/>, is fed the responses of its own transactions by the UA core
/// (<see cref="UserAgentCore"/> routes by <see cref="Transaction.UserData"/>), and reports its next
/// deadline. Every outcome arrives as a <see cref="RegistrationEvent"/>; nothing a registrar does throws.
/// </summary>
public sealed class Registration
{
    // Refresh rule of RFC 5626 §4.4.1 (also good practice without outbound): an interval over
    // 1200 s is refreshed 600 s before it ends, a shorter one half-way.
    private const int LongIntervalSeconds = 1200;
    private const int LongIntervalMarginSeconds = 600;
    // Bounds on challenges answered within one attempt: a stale nonce may be retried (RFC 7616 §3.3)
    // but a registrar answering every request with stale=true must not make us loop.
    private const int MaxChallengesPerAttempt = 4;

    private readonly TransactionLayer _layer;
    private readonly RegistrationOptions _options;
    private readonly Random _random;
    private readonly DigestClient _digest;
    private readonly string _callId;
    private readonly string _fromTag;
    private readonly string _registrarUri;
    private readonly IReadOnlyList<RegistrationContact> _contacts;
    private readonly SipUri[] _contactUris;
    // The last challenge of each realm, answered again on later requests (RFC 3261 §22.3: credentials
    // may be reused for the same realm); Item2 true for Proxy-Authenticate.
    private readonly Dictionary<string, (DigestChallenge Challenge, bool Proxy)> _challenges = new(StringComparer.Ordinal);
    // Realms whose challenge arrived in this attempt and whose answer has been sent since.
    private readonly HashSet<string> _freshRealms = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sentFresh = new(StringComparer.Ordinal);
    private uint _cseq;
    private int _requestedExpires;
    // The registrar's Min-Expires from a 423 (§10.2.8), 0 before one: no contact asks for less.
    private int _minExpires;
    private Transaction? _pending;
    private int _pendingGeneration;
    private bool _pendingUnregister;
    private int _challengesThisAttempt;
    private int _failures;
    private bool _everSent;
    private long _nextActionAt = long.MaxValue;
    // 2xx responses in a row that did not list every one of our contacts.
    private int _dropStreak;

    /// <summary>Creates a registration; <see cref="Start"/> sends the first REGISTER.</summary>
    /// <param name="layer">The transaction layer to send through.</param>
    /// <param name="options">What to register.</param>
    /// <param name="random">Jitter source for the back-off (inject a seeded one for reproducible tests).</param>
    /// <param name="digest">The digest client (nonce counts per realm); null for a new one.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public Registration(TransactionLayer layer, RegistrationOptions options, Random? random = null, DigestClient? digest = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _layer = layer;
        _options = options;
        _random = random ?? Random.Shared;
        _digest = digest ?? new DigestClient();
        _registrarUri = options.EffectiveRegistrarUri;
        _requestedExpires = options.Expires;
        _contacts = options.EffectiveContacts;
        _contactUris = new SipUri[_contacts.Count];
        for (int i = 0; i < _contacts.Count; i++)
        {
            _contactUris[i] = SipUri.TryParse(_contacts[i].Uri, out SipUri? uri) ? uri! : throw new ArgumentException($"Contact '{_contacts[i].Uri}' is not a SIP URI.");
        }
        // §10.2.4: one Call-ID for every REGISTER of this boot cycle; §8.1.1.3 / §19.3: random tags.
        _callId = RandomHex(24) + "@" + options.LocalSentBy.Split(':')[0];
        _fromTag = RandomHex(16);
    }

    /// <summary>Raised for every outcome, on the endpoint's thread.</summary>
    public event Action<RegistrationEvent>? Changed;

    /// <summary>The current state.</summary>
    public RegistrationState State { get; private set; }

    /// <summary>The options.</summary>
    public RegistrationOptions Options => _options;

    /// <summary>The Call-ID of every REGISTER this registration sends (§10.2.4).</summary>
    public string CallId => _callId;

    /// <summary>The CSeq number of the last REGISTER sent.</summary>
    public uint CSeq => _cseq;

    /// <summary>The smallest interval the registrar granted to our contacts in its last 2xx, 0 when not registered.</summary>
    public int GrantedExpires { get; private set; }

    /// <summary>The contacts this registration binds.</summary>
    public IReadOnlyList<RegistrationContact> Contacts => _contacts;

    /// <summary>Every binding of the address-of-record listed in the last 2xx (ours and other devices'), empty before one.</summary>
    public IReadOnlyList<RegistrationBinding> Bindings { get; private set; } = [];

    /// <summary>Consecutive failed attempts (reset by a 2xx).</summary>
    public int ConsecutiveFailures => _failures;

    /// <summary>When the next refresh or retry starts (clock microseconds), <see cref="long.MaxValue"/> when none is scheduled.</summary>
    public long NextDeadline => _nextActionAt;

    /// <summary>Sends the first REGISTER (or starts again after <see cref="Stop"/> or an authentication failure).</summary>
    public void Start()
    {
        if (State is RegistrationState.Registering or RegistrationState.Registered or RegistrationState.RetryWait or RegistrationState.Unregistering) return;
        _failures = 0;
        _dropStreak = 0;
        _requestedExpires = _options.Expires;
        _minExpires = 0;
        State = RegistrationState.Registering;
        BeginAttempt();
    }

    /// <summary>
    /// Removes the binding: a REGISTER with expires=0 (§10.2.2). Ends with an
    /// <see cref="RegistrationEventKind.Unregistered"/> event (or <see cref="RegistrationEventKind.Failed"/>
    /// when the registrar does not confirm). A REGISTER still in flight is abandoned; its higher-CSeq
    /// successor makes the registrar refuse it should it arrive late (§10.3 step 7).
    /// </summary>
    public void Stop()
    {
        if (State is RegistrationState.Idle or RegistrationState.Stopped or RegistrationState.Unregistering) return;
        _nextActionAt = long.MaxValue;
        GrantedExpires = 0;
        if (!_everSent)
        {
            State = RegistrationState.Stopped;
            Raise(new RegistrationEvent(RegistrationEventKind.Unregistered, 0, "Not Registered", 0, TimeSpan.Zero));
            return;
        }
        State = RegistrationState.Unregistering;
        _challengesThisAttempt = 0;
        _freshRealms.Clear();
        Send(unregister: true);
    }

    /// <summary>Starts the refresh or retry that is due.</summary>
    public void ProcessTimers()
    {
        if (_layer.Clock.NowMicros < _nextActionAt) return;
        _nextActionAt = long.MaxValue;
        if (State is RegistrationState.Registered or RegistrationState.RetryWait) BeginAttempt();
    }

    /// <summary>Feeds a response of one of this registration's transactions.</summary>
    /// <returns>True when the response belonged to this registration.</returns>
    public bool OnResponse(Transaction transaction, SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(response);
        if (!ReferenceEquals(transaction.UserData, this)) return false;
        if (!IsPending(transaction)) return true; // an abandoned REGISTER (superseded by Stop)
        int code = response.StatusCode;
        if (code < 200) return true;
        _pending = null;
        string reason = SipMessage.ToText(response.ReasonPhrase);
        if (code < 300)
        {
            OnSuccess(response, code, reason);
            return true;
        }
        if (code is 401 or 407)
        {
            OnChallenge(response, code, reason);
            return true;
        }
        if (code == 423 && !_pendingUnregister)
        {
            // §10.2.8 / §10.3 step 7: retry at once with the registrar's Min-Expires, if it is longer.
            if (TryHeaderInt(response, SipHeaderKind.MinExpires, out int min) && min > ShortestRequested())
            {
                _minExpires = min;
                _requestedExpires = Math.Max(_requestedExpires, min);
                Send(unregister: false);
                return true;
            }
            Fail(code, reason + " (no usable Min-Expires)", retryAfterSeconds: -1, retry: true);
            return true;
        }
        // §21.5.4 / §20.33: 503 (and 500, 404, 480, 486, 600, 603) may carry Retry-After.
        int retryAfter = TryHeaderInt(response, SipHeaderKind.RetryAfter, out int ra) ? ra : -1;
        Fail(code, reason, retryAfter, retry: true);
        return true;
    }

    /// <summary>Feeds a transaction failure (Timer F, transport error) of one of this registration's transactions.</summary>
    /// <returns>True when the transaction belonged to this registration.</returns>
    public bool OnError(Transaction transaction, TransactionError error)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (!ReferenceEquals(transaction.UserData, this)) return false;
        if (!IsPending(transaction)) return true;
        _pending = null;
        // §8.1.3.1: a timeout counts as 408 (Request Timeout); §8.1.3.1 / §18.4: a transport error as 503.
        if (error == TransactionError.TransportError) Fail(503, "Service Unavailable (transport error)", -1, retry: true);
        else Fail(408, "Request Timeout (no response from the registrar)", -1, retry: true);
        return true;
    }

    private bool IsPending(Transaction t) => ReferenceEquals(t, _pending) && t.Generation == _pendingGeneration;

    private void BeginAttempt()
    {
        _challengesThisAttempt = 0;
        _freshRealms.Clear();
        Send(unregister: false);
    }

    private void OnSuccess(SipMessage response, int code, string reason)
    {
        _failures = 0;
        _challengesThisAttempt = 0;
        var missing = new List<string>();
        RegistrationBinding[] bindings = ReadBindings(response, missing, out int granted);
        Bindings = bindings;
        if (_pendingUnregister)
        {
            State = RegistrationState.Stopped;
            GrantedExpires = 0;
            _dropStreak = 0;
            Raise(new RegistrationEvent(RegistrationEventKind.Unregistered, code, reason, 0, TimeSpan.Zero) { Bindings = bindings });
            return;
        }
        if (granted <= 0)
        {
            // §10.2.4: the 2xx lists the bindings; none of ours (or all at 0) means none was kept.
            Fail(code, reason + (_contacts.Count == 1 ? " (our contact is not among the bindings)" : " (none of our contacts is among the bindings)"),
                -1, retry: true, bindings);
            return;
        }
        GrantedExpires = granted;
        State = RegistrationState.Registered;
        long now = _layer.Clock.NowMicros;
        // §10.2.4: refresh before the shortest of our bindings lapses.
        int refreshIn = granted > LongIntervalSeconds ? granted - LongIntervalMarginSeconds : Math.Max(1, granted / 2);
        long refreshAt = now + refreshIn * 1_000_000L;
        if (missing.Count == 0)
        {
            _dropStreak = 0;
            _nextActionAt = refreshAt;
            Raise(new RegistrationEvent(RegistrationEventKind.Registered, code, reason, granted, TimeSpan.Zero) { Bindings = bindings });
            return;
        }
        // The registrar kept some of our contacts and dropped the others. Ask again at once; a registrar
        // that keeps dropping them gets the RFC 5626 §4.5 back-off instead of a REGISTER loop.
        _dropStreak++;
        TimeSpan wait = _dropStreak == 1 ? TimeSpan.Zero : BackOff(_dropStreak - 1);
        long retryAt = now + wait.Ticks / 10;
        if (refreshAt < retryAt)
        {
            retryAt = refreshAt;
            wait = TimeSpan.FromTicks((refreshAt - now) * 10);
        }
        _nextActionAt = retryAt;
        Raise(new RegistrationEvent(RegistrationEventKind.Registered, code, reason, granted, TimeSpan.Zero) { Bindings = bindings });
        foreach (string uri in missing)
        {
            Raise(new RegistrationEvent(RegistrationEventKind.ContactDropped, code, reason + " (the registrar did not list our contact)", 0, wait)
            {
                Bindings = bindings,
                Contact = uri,
            });
        }
        // A handler may have stopped the registration meanwhile; ProcessTimers checks the state.
        ProcessTimers();
    }

    private void OnChallenge(SipMessage response, int code, string reason)
    {
        bool proxy = code == 407;
        DigestChallenge? challenge = StrongestChallenge(response, proxy ? SipHeaderKind.ProxyAuthenticate : SipHeaderKind.WwwAuthenticate, out string error);
        if (challenge is null)
        {
            Fail(code, $"{reason} ({error})", -1, retry: false);
            return;
        }
        SipCredentials? credentials = SipCredentials.Find(_options.Credentials, challenge.Realm);
        if (credentials is null)
        {
            Fail(code, $"{reason} (no credentials for realm \"{challenge.Realm}\")", -1, retry: false);
            return;
        }
        // RFC 3261 §22.2: a second challenge for a realm whose fresh credentials we just sent means
        // they were refused - unless stale=true says only the nonce was old (RFC 7616 §3.3).
        if (_sentFresh.Contains(challenge.Realm) && !challenge.Stale)
        {
            _challenges.Remove(challenge.Realm);
            Fail(code, $"{reason} (credentials for realm \"{challenge.Realm}\" refused)", -1, retry: false);
            return;
        }
        if (++_challengesThisAttempt > MaxChallengesPerAttempt)
        {
            Fail(code, $"{reason} (challenged {MaxChallengesPerAttempt} times in one attempt)", -1, retry: true);
            return;
        }
        _challenges[challenge.Realm] = (challenge, proxy);
        _freshRealms.Add(challenge.Realm);
        Send(_pendingUnregister);
    }

    private void Fail(int code, string reason, int retryAfterSeconds, bool retry, IReadOnlyList<RegistrationBinding>? bindings = null)
    {
        GrantedExpires = 0;
        bindings ??= [];
        if (_pendingUnregister)
        {
            // The binding will lapse by itself at its expiry; there is nothing to retry.
            State = RegistrationState.Stopped;
            Raise(new RegistrationEvent(RegistrationEventKind.Failed, code, reason, 0, TimeSpan.Zero) { Bindings = bindings });
            return;
        }
        _failures++;
        if (!retry)
        {
            // Wrong or missing credentials: retrying only repeats the refusal (and may lock the account).
            State = RegistrationState.AuthenticationFailed;
            _nextActionAt = long.MaxValue;
            Raise(new RegistrationEvent(RegistrationEventKind.Failed, code, reason, 0, TimeSpan.Zero) { Bindings = bindings });
            return;
        }
        TimeSpan wait = retryAfterSeconds > 0 ? TimeSpan.FromSeconds(retryAfterSeconds) : BackOff(_failures);
        State = RegistrationState.RetryWait;
        _nextActionAt = _layer.Clock.NowMicros + wait.Ticks / 10;
        Raise(new RegistrationEvent(RegistrationEventKind.Failed, code, reason, 0, wait) { Bindings = bindings });
    }

    /// <summary>
    /// RFC 5626 §4.5: wait-time = min(max-time, base-time * 2^consecutive-failures), then a uniform
    /// random value between 50% and 100% of it, so a crowd of devices does not return in step.
    /// </summary>
    private TimeSpan BackOff(int failures)
    {
        double max = _options.RetryMax.TotalSeconds;
        double wait = Math.Min(max, _options.RetryBase.TotalSeconds * Math.Pow(2, Math.Min(failures, 30)));
        double seconds = wait * (0.5 + 0.5 * _random.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
    }

    private void Send(bool unregister)
    {
        _pendingUnregister = unregister;
        _everSent = true;
        // §10.2.4 / §8.1.3.5: every REGISTER (refreshes and retries after a challenge) has a higher CSeq.
        _cseq++;
        int expires = unregister ? 0 : _requestedExpires;
        string transport = _options.Destination.Protocol switch
        {
            TransportProtocol.Tcp => "TCP",
            TransportProtocol.Tls => "TLS",
            _ => "UDP",
        };
        var w = new SipMessageWriter(_layer.MessageBuffer);
        w.Append("REGISTER "u8);
        w.AppendText(_registrarUri);
        w.Append(" SIP/2.0\r\nVia: SIP/2.0/"u8);
        w.AppendText(transport);
        w.Append((byte)' ');
        w.AppendText(_options.LocalSentBy);
        Span<byte> branch = stackalloc byte[BranchId.Length];
        BranchId.Write(branch);
        w.Append(";branch="u8);
        w.Append(branch);
        // RFC 3581 §3: ask for rport so the response finds us behind a NAT.
        w.Append(";rport\r\n"u8);
        // RFC 3261 §8.1.2: through an outbound proxy, REGISTER carries its Route like any out-of-dialog request.
        w.AppendText(OutboundRoute.Header(_options.OutboundProxy));
        w.Append("Max-Forwards: 70\r\nFrom: <"u8);
        w.AppendText(_options.AddressOfRecord);
        w.Append(">;tag="u8);
        w.AppendText(_fromTag);
        // §10.2: To is the address-of-record, without tag.
        w.Append("\r\nTo: <"u8);
        w.AppendText(_options.AddressOfRecord);
        w.Append(">\r\nCall-ID: "u8);
        w.AppendText(_callId);
        w.Append("\r\nCSeq: "u8);
        w.AppendInt(_cseq);
        w.Append(" REGISTER\r\n"u8);
        bool outbound = false;
        foreach (RegistrationContact c in _contacts)
        {
            // §10.2.1: one Contact header field value per binding, all in this one REGISTER; §10.2.2: an
            // unregister lists our own contacts at expires=0, never "*", which would remove other devices too.
            w.Append("Contact: <"u8);
            w.AppendText(c.Uri);
            w.Append((byte)'>');
            if (c.QText is string q)
            {
                // §20.10: q orders the bindings for a proxy that forks or a redirect server's 3xx.
                w.Append(";q="u8);
                w.AppendText(q);
            }
            w.Append(";expires="u8);
            w.AppendInt(unregister ? 0 : ContactExpires(c));
            if (c.InstanceId is not null)
            {
                // RFC 5626 §4.2: +sip.instance (and reg-id for an outbound flow) on the Contact.
                w.Append(";+sip.instance=\""u8);
                w.AppendText(c.InstanceId);
                w.Append((byte)'"');
                if (c.RegId > 0)
                {
                    w.Append(";reg-id="u8);
                    w.AppendInt(c.RegId);
                    outbound = true;
                }
            }
            w.Append("\r\n"u8);
        }
        w.Append("Expires: "u8);
        w.AppendInt(expires);
        w.Append("\r\n"u8);
        // RFC 3327 §5.1: we accept a Path in the 2xx (and ignore it), so an edge proxy may put itself on the path (§5.2).
        w.Append(outbound ? "Supported: outbound, path\r\n"u8 : "Supported: path\r\n"u8);
        _sentFresh.Clear();
        foreach (KeyValuePair<string, (DigestChallenge Challenge, bool Proxy)> c in _challenges)
        {
            SipCredentials? credentials = SipCredentials.Find(_options.Credentials, c.Key);
            if (credentials is null) continue;
            // §22.4: the digest uri is the Request-URI; REGISTER has no body.
            string value = _digest.Authorize(c.Value.Challenge, credentials.Username, credentials.Password, "REGISTER", _registrarUri, default);
            w.Append(c.Value.Proxy ? "Proxy-Authorization: "u8 : "Authorization: "u8);
            w.AppendText(value);
            w.Append("\r\n"u8);
            if (_freshRealms.Remove(c.Key)) _sentFresh.Add(c.Key);
        }
        w.End();
        if (w.Overflowed)
        {
            Fail(0, "REGISTER does not fit the send buffer", -1, retry: false);
            return;
        }
        Transaction? t = _layer.SendRequest(w.Written, _options.Destination);
        if (t is null)
        {
            // The transaction table is full: report it as a local 503 (§8.1.3.1) and back off.
            Fail(503, "Service Unavailable (transaction table full)", -1, retry: !unregister);
            return;
        }
        t.UserData = this;
        _pending = t;
        _pendingGeneration = t.Generation;
    }

    // §10.2.4: the 2xx lists every current binding of the address-of-record with its expires; ours are
    // those whose URI equals one of our contacts (§19.1.4 comparison), the rest belong to other devices.
    // Returns the bindings, fills the URIs of our contacts the 2xx did not list (or listed at 0) and
    // gives the smallest interval granted to ours (0 when none of ours is listed).
    private RegistrationBinding[] ReadBindings(SipMessage response, List<string> missing, out int granted)
    {
        var contacts = new List<SipNameAddressHeader>();
        if (!SipTypedHeaders.TryGetNameAddresses(response, SipHeaderKind.Contact, contacts)) contacts.Clear();
        // Without a parameter a binding's interval is the Expires header field's (§10.3 step 8 / §20.19).
        int headerExpires = response.Expires;
        var bindings = new List<RegistrationBinding>(contacts.Count);
        granted = 0;
        if (contacts.Count == 0)
        {
            // A registrar that lists no bindings at all (§10.3 step 8 says it must): trust the
            // Expires header field, else what we asked, rather than failing a 2xx.
            if (!_pendingUnregister) granted = headerExpires >= 0 ? headerExpires : _requestedExpires;
            return [];
        }
        bool[] listed = new bool[_contacts.Count];
        int smallest = int.MaxValue;
        foreach (SipNameAddressHeader c in contacts)
        {
            if (c.Uri is null) continue;
            int expires = c.Expires is uint e ? (int)Math.Min(e, int.MaxValue) : headerExpires;
            int ours = Array.FindIndex(_contactUris, u => u.Equals(c.Uri));
            if (ours >= 0)
            {
                int interval = expires >= 0 ? expires : ContactExpires(_contacts[ours]);
                if (interval > 0)
                {
                    listed[ours] = true;
                    smallest = Math.Min(smallest, interval);
                }
            }
            string? instance = c.GetParameter("+sip.instance");
            if (instance is { Length: >= 2 } && instance[0] == '"' && instance[^1] == '"') instance = instance[1..^1];
            bindings.Add(new RegistrationBinding(c.Uri.ToString(), expires, c.QMillis ?? -1, ours >= 0, instance));
        }
        for (int i = 0; i < listed.Length; i++)
        {
            if (!listed[i]) missing.Add(_contacts[i].Uri);
        }
        granted = smallest == int.MaxValue ? 0 : smallest;
        return [.. bindings];
    }

    // §10.2.1.1: a contact's own expires parameter, else the registration's interval; never under Min-Expires.
    private int ContactExpires(RegistrationContact c) => Math.Max(c.Expires ?? _options.Expires, _minExpires);

    private int ShortestRequested()
    {
        int shortest = int.MaxValue;
        foreach (RegistrationContact c in _contacts) shortest = Math.Min(shortest, ContactExpires(c));
        return shortest;
    }

    private static DigestChallenge? StrongestChallenge(SipMessage response, SipHeaderKind kind, out string error)
    {
        error = "no " + (kind == SipHeaderKind.ProxyAuthenticate ? "Proxy-Authenticate" : "WWW-Authenticate") + " challenge";
        var list = new List<DigestChallenge>();
        for (int i = response.IndexOfHeader(kind); i >= 0; i = response.IndexOfHeader(kind, i + 1))
        {
            if (DigestChallenge.TryParse(SipMessage.ToText(response.GetHeaderValue(i)), out DigestChallenge? c, out string e)) list.Add(c!);
            else error = e;
        }
        return DigestChallenge.SelectStrongest(list);
    }

    private static bool TryHeaderInt(SipMessage m, SipHeaderKind kind, out int value)
    {
        value = 0;
        if (!m.TryGetHeaderValue(kind, out ReadOnlySpan<byte> v)) return false;
        // Retry-After may carry a comment and parameters after the delta-seconds (§20.33).
        int end = 0;
        while (end < v.Length && v[end] >= '0' && v[end] <= '9') end++;
        return end > 0 && int.TryParse(Encoding.ASCII.GetString(v[..end]), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private void Raise(RegistrationEvent e) => Changed?.Invoke(e);

    private static string RandomHex(int length)
    {
        Span<byte> b = stackalloc byte[length];
        BranchId.WriteRandomHex(b);
        return Encoding.ASCII.GetString(b);
    }
}
