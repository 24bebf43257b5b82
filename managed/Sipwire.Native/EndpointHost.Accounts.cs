// SPDX-License-Identifier: MIT
// EndpointHost: accounts (registrations) and calls, each behind a generation-checked C handle.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Native;

internal sealed partial class EndpointHost
{
    private const int MaxAccountsPerProcess = 1024;
    private const int MaxCallsPerProcess = 4096;

    /// <summary>Every live sw_account handle of the process.</summary>
    public static HandleTable<NativeAccount> AccountHandles { get; } = new(MaxAccountsPerProcess);

    /// <summary>Every live sw_call handle of the process.</summary>
    public static HandleTable<NativeCall> CallHandles { get; } = new(MaxCallsPerProcess);

    private readonly List<NativeAccount> _accounts = [];
    private readonly List<NativeCall> _calls = [];

    /// <summary>Adds an account (not yet registering). The first account gives the identity of calls.</summary>
    /// <exception cref="ArgumentException">A value is missing or malformed; the detail names it.</exception>
    public NativeAccount AddAccount(string aor, string registrar, string? outboundProxy, List<SipCredentials> credentials, int expires)
    {
        if (!SipUriTarget.TryResolveLiteral(registrar, out PeerAddress registrarAddress))
        {
            throw new ArgumentException($"registrar '{registrar}' is not a sip:/sips: URI with an IP-address host (the SDK does no DNS)");
        }
        PeerAddress outbound = registrarAddress;
        if (outboundProxy is not null && !SipUriTarget.TryResolveLiteral(outboundProxy, out outbound))
        {
            throw new ArgumentException($"outbound_proxy '{outboundProxy}' is not a sip:/sips: URI with an IP-address host");
        }
        if (!Sipwire.Sip.SipUri.TryParse(aor, out Sipwire.Sip.SipUri? aorUri) || aorUri!.Scheme is not (Sipwire.Sip.SipUriScheme.Sip or Sipwire.Sip.SipUriScheme.Sips))
        {
            throw new ArgumentException($"aor '{aor}' is not a sip: or sips: URI (RFC 3261 §10.2)");
        }
        PeerAddress local = LocalAddress(outbound.Protocol);
        if (local.IsEmpty)
        {
            throw new ArgumentException($"the account uses {outbound.Protocol.ToString().ToUpperInvariant()} but the endpoint has no such listener (set udp_port/tcp_port)");
        }
        string host = ContactHost(outbound);
        string sentBy = host + ":" + local.Port.ToString(CultureInfo.InvariantCulture);
        string contact = "sip:" + (aorUri.User ?? "sipwire") + "@" + sentBy
            + (outbound.Protocol switch { TransportProtocol.Tcp => ";transport=tcp", TransportProtocol.Tls => ";transport=tls", _ => "" });
        if (_ua is null)
        {
            // RFC 3261 §8.1.1.3: calls carry the first account's address-of-record as From.
            _ua = new UserAgentCore(_layer, new UserAgentOptions
            {
                LocalUri = aor,
                ContactUri = contact,
                LocalSentBy = sentBy,
                MediaAddress = IPAddress.Parse(host.Trim('[', ']')),
                Endpoint = Options,
                Capabilities = MediaCapabilities,
                RtpPortBase = _rtpPortBase,
                RtpPortCount = _rtpPortCount,
            });
            _ua.IncomingCall += OnIncomingCall;
            HookFeatures(_ua);
        }
        Registration registration = _ua.AddRegistration(new RegistrationOptions
        {
            AddressOfRecord = aor,
            // RFC 3261 §10.2: the Request-URI names the domain (the AOR's host); the registrar
            // address is only where the request is sent.
            RegistrarUri = null,
            ContactUri = contact,
            Destination = outbound,
            LocalSentBy = sentBy,
            Expires = expires,
            Credentials = credentials,
        });
        var account = new NativeAccount(this, aor, registration, outbound, outboundProxy is not null, credentials);
        account.Handle = AccountHandles.Add(account);
        _accounts.Add(account);
        registration.Changed += e =>
        {
            Log(e.Kind == RegistrationEventKind.Failed ? LogLevel.Warning : LogLevel.Info, $"account {aor}: {e}");
            Queue(new HostEvent(HostEventKind.Registration, account, null, (int)e.Kind, e.StatusCode, e.Reason, e.Expires));
        };
        return account;
    }

    /// <summary>Places a call from <paramref name="account"/> (RFC 3261 §8.1.2: the outbound proxy if set, else the target's own IP host, else the registrar).</summary>
    /// <exception cref="ArgumentException">The target is not a SIP URI.</exception>
    public NativeCall MakeCall(NativeAccount account, string target)
    {
        PeerAddress destination = Route(account, target);
        SipCall sipCall = _ua!.Invite(target, destination);
        // Without an outbound proxy the registrar only stands in for the target domain's server (the
        // SDK does no RFC 3263 DNS): a 3xx Contact is then reached at its own address (§8.1.3.4),
        // not through the registrar as if it were a proxy.
        if (!account.HasOutboundProxy) sipCall._direct = true;
        NativeCall call = Track(account, sipCall);
        Log(LogLevel.Info, $"call {sipCall.CallId}: INVITE {target} via {destination}");
        if (sipCall.State == CallState.Terminated)
        {
            // The INVITE could not be sent: the Ended event was raised before we listened.
            Queue(new HostEvent(HostEventKind.CallState, account, call, (int)CallEventCode.Ended, sipCall.EndStatus, "INVITE could not be sent", 0));
        }
        return call;
    }

    private void OnIncomingCall(SipCall sipCall)
    {
        NativeAccount account = _accounts[0];
        if (_bySipCall.ContainsKey(sipCall)) return; // already tracked (a transfer event named it first)
        NativeCall call;
        try
        {
            call = Track(account, sipCall);
        }
        catch (HandleLimitException)
        {
            // §21.5.4: no room for another call handle.
            sipCall.Reject(503, "Service Unavailable");
            Log(LogLevel.Warning, $"call {sipCall.CallId}: refused with 503, too many calls");
            return;
        }
        Log(LogLevel.Info, $"call {sipCall.CallId}: incoming from {sipCall.RemoteParty}");
    }

    private NativeCall Track(NativeAccount account, SipCall sipCall)
    {
        var call = new NativeCall(this, account, sipCall);
        call.Handle = CallHandles.Add(call);
        _calls.Add(call);
        _bySipCall[sipCall] = call;
        HookTransfer(account, call);
        AttachMedia(call);
        sipCall.Changed += e =>
        {
            if (e.Kind == CallEventKind.Incoming)
            {
                Queue(new HostEvent(HostEventKind.IncomingCall, account, call, 0, 0, sipCall.RemoteParty, 0));
                return;
            }
            Log(LogLevel.Info, $"call {sipCall.CallId}: {e}");
            Queue(new HostEvent(HostEventKind.CallState, account, call, (int)e.Kind, e.StatusCode, e.Reason, 0));
        };
        HookMediaEvents(call);
        return call;
    }

    // The address a peer can reach us at: configured, the bound address, or the local address the
    // kernel routes toward the peer (a connected UDP socket sends nothing).
    private string ContactHost(PeerAddress peer)
    {
        IPAddress address;
        if (_contactAddress is not null) address = IPAddress.Parse(_contactAddress);
        else if (!_bindAddress.Equals(IPAddress.Any) && !_bindAddress.Equals(IPAddress.IPv6Any)) address = _bindAddress;
        else
        {
            using var probe = new Socket(peer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(peer.ToEndPoint());
            address = ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
    }

    /// <summary>Removes a call's handle once its Ended event is delivered.</summary>
    private void ReleaseCall(NativeCall call)
    {
        CallHandles.Remove(call.Handle);
        ReleaseMedia(call);
        _calls.Remove(call);
        _bySipCall.Remove(call.Call);
    }

    /// <summary>Removes every handle this endpoint owns (destroy): they all become stale.</summary>
    private void ReleaseAll()
    {
        foreach (NativeCall c in _calls)
        {
            CallHandles.Remove(c.Handle);
            ReleaseMedia(c);
        }
        _calls.Clear();
        foreach (NativeAccount a in _accounts) AccountHandles.Remove(a.Handle);
        _accounts.Clear();
        ReleaseFeatures();
    }

    /// <summary>Sends each digit as INFO application/dtmf-relay inside the call's dialog.</summary>
    public Status SendDtmfInfo(NativeCall call, string digits, int durationMs)
    {
        if (call.Call.State != CallState.Active || call.Call.Dialog is not { } dialog || _ua?.Dialogs is not { } dialogs)
        {
            return AbiStatus.Fail(Status.InvalidState, $"the call is {call.Call.State}; DTMF needs an established call");
        }
        foreach (char digit in digits)
        {
            string body = "Signal=" + digit + "\r\nDuration=" + durationMs.ToString(CultureInfo.InvariantCulture) + "\r\n";
            if (dialogs.SendRequest(dialog, "INFO", "Content-Type: application/dtmf-relay\r\n", System.Text.Encoding.ASCII.GetBytes(body)) is null)
            {
                return AbiStatus.Fail(Status.Limit, "the transaction table is full");
            }
            call.DtmfSent++;
        }
        Log(LogLevel.Info, $"call {call.Call.CallId}: DTMF {digits} sent as INFO");
        return Status.Ok;
    }
}
