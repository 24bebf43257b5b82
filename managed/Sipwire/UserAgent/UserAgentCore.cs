// The UA core (RFC 3261 §8): the transaction user that drives registrations and calls of one endpoint.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Dialogs;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

/// <summary>
/// Routes transaction-layer upcalls to the registrations and calls it owns (client transactions by
/// <see cref="Transaction.UserData"/>), answers what nobody owns, and exposes one timer deadline.
/// Sans-IO and single-threaded: <see cref="Endpoint.CreateUserAgent"/> hosts it so that
/// <see cref="Endpoint.Poll"/> alone drives its timers; standalone (a simulated network), install it as
/// the layer's <see cref="ITransactionUser"/> and call <see cref="ProcessTimers"/> from the poll loop.
/// </summary>
public sealed partial class UserAgentCore : ITransactionUser, IEndpointTimers
{
    private static readonly byte[] s_tag = "ua0"u8.ToArray();
    private readonly TransactionLayer _layer;
    private readonly List<Registration> _registrations = [];
    private readonly UserAgentOptions? _options;
    private readonly DialogLayer? _dialogs;

    /// <summary>Creates the core over <paramref name="layer"/>; without <paramref name="options"/> it registers but places and answers no calls.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public UserAgentCore(TransactionLayer layer, UserAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layer = layer;
        if (options is null) return;
        options.Validate();
        _options = options;
        _dialogs = new DialogLayer(options.Endpoint, layer, options.LocalSentBy);
        _dialogs.AckTimedOut += OnAckTimedOut;
        _dialogs.Authorization = DialogCredentials; // §22.3: credentials of a challenged call (UserAgentCore.CallAuth.cs)
    }

    /// <summary>The transaction layer.</summary>
    public TransactionLayer Transactions => _layer;

    /// <summary>The registrations created with <see cref="AddRegistration"/>.</summary>
    public IReadOnlyList<Registration> Registrations => _registrations;

    /// <summary>
    /// Creates a registration (not started) owned by this core. Without its own
    /// <see cref="RegistrationOptions.OutboundProxy"/> it takes the core's <see cref="UserAgentOptions.OutboundProxy"/>
    /// (RFC 3261 §8.1.2: REGISTER goes through the outbound proxy like every out-of-dialog request).
    /// </summary>
    public Registration AddRegistration(RegistrationOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.OutboundProxy is null && _options?.OutboundProxy is { } proxy) options = options with { OutboundProxy = proxy };
        var r = new Registration(_layer, options, random);
        _registrations.Add(r);
        return r;
    }

    /// <summary>Earliest deadline of the core (refreshes, retries, call timers), in clock microseconds.</summary>
    public long NextDeadline
    {
        get
        {
            long d = Math.Min(CallsNextDeadline, EventsNextDeadline);
            foreach (Registration r in _registrations) d = Math.Min(d, r.NextDeadline);
            d = Math.Min(d, TransferNextDeadline);
            return d;
        }
    }

    /// <summary>Runs what is due: registration refreshes and retries, call timers.</summary>
    public void ProcessTimers()
    {
        foreach (Registration r in _registrations) r.ProcessTimers();
        ProcessCallTimers();
        ProcessTransferTimers();
        ProcessEventTimers();
    }

    /// <inheritdoc />
    public void OnRequest(Transaction transaction, SipMessage request)
    {
        // RFC 3261 §23: S/MIME bodies are verified/decrypted before any feature sees them.
        if (!UnprotectRequest(transaction, ref request)) return;
        if (OnCallRequest(transaction, request)) return;
        if (OnMessageRequest(transaction, request)) return;
        if (OnSubscriptionRequest(transaction, request)) return;
        // §8.2.1 / §21.5.2: methods we do not implement get 501; a request to a dialog we do not
        // know gets 481 (§12.2.2).
        if (request.To.HasTag) _layer.Respond(transaction, 481, "SipCall/Transaction Does Not Exist"u8, []);
        else _layer.Respond(transaction, 501, "Not Implemented"u8, s_tag);
    }

    /// <inheritdoc />
    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
        if (UnprotectRequest(null, ref ack)) OnCallAck(ack);
    }

    /// <inheritdoc />
    public void OnCancel(Transaction invite, SipMessage cancel)
    {
        if (!OnCallCancel(invite)) _layer.Respond(invite, 487, "Request Terminated"u8, s_tag);
    }

    /// <inheritdoc />
    public void OnResponse(Transaction transaction, SipMessage response)
    {
        UnprotectResponse(ref response);
        if (transaction.UserData is Registration r)
        {
            r.OnResponse(transaction, response);
            return;
        }
        if (OnCallChallenge(transaction, response)) return; // 401/407 to a call's request (UserAgentCore.CallAuth.cs)
        if (OnEventsResponse(transaction, response)) return;
        if (OnTransferResponse(transaction, response)) return;
        OnCallResponse(transaction, response);
    }

    /// <inheritdoc />
    public void OnStrayResponse(SipMessage response, in PeerAddress source) => OnCallStrayResponse(response);

    /// <inheritdoc />
    public void OnError(Transaction transaction, TransactionError failure)
    {
        if (transaction.UserData is Registration r)
        {
            r.OnError(transaction, failure);
            return;
        }
        if (OnEventsError(transaction, failure)) return;
        if (OnTransferError(transaction, failure)) return;
        OnCallError(transaction, failure);
    }

    /// <inheritdoc />
    public void OnTerminated(Transaction transaction)
    {
    }
}
