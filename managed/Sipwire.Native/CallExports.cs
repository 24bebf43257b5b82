// SPDX-License-Identifier: MIT
// C ABI exports for calls: make, answer, reject, hangup, hold, resume, DTMF, remote party.

using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Sipwire.UserAgent;

namespace Sipwire.Native;

internal static unsafe class CallExports
{
    /// <summary>Places a call: INVITE with an SDP offer (RFC 3261 §13.2.1) to the outbound proxy, else the target's IP host, else the registrar. Outcomes arrive at on_call_state.</summary>
    /// <param name="account">The account placing the call.</param>
    /// <param name="target">The callee's SIP URI, "sip:bob@example.test" or "sip:bob@192.0.2.7:5060".</param>
    /// <param name="out_call">Receives the call; NULL on failure.</param>
    /// <returns>SW_OK (even when the INVITE cannot be sent: SW_CALL_ENDED with 503 follows in the next poll);
    /// SW_E_INVALID_ARG for a NULL or stale account, a NULL out_call or a malformed target; SW_E_LIMIT with 4096 calls alive.</returns>
    /// <ownership>The call handle is valid until its SW_CALL_ENDED callback returns.</ownership>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_make")]
    public static Status Make(AccountHandle* account, [CType("const char *")] byte* target, CallHandle** out_call)
    {
        try
        {
            if (out_call == null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "out_call is NULL");
            }
            *out_call = null;
            NativeAccount? from = EndpointHost.AccountHandles.Get((nint)account);
            if (from is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "account is NULL or stale");
            }
            from.Host.Enter();
            string uri = AbiStrings.Read(target, "target") ?? throw new ArgumentException("target is NULL");
            NativeCall call = from.Host.MakeCall(from, uri);
            *out_call = (CallHandle*)call.Handle;
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Answers an incoming call with 200 OK and our SDP answer (RFC 3261 §13.3.1.4).</summary>
    /// <param name="call">The call.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call; SW_E_INVALID_STATE when it is not an incoming call that rings.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_answer")]
    public static Status Answer(CallHandle* call) => Act(call, c => c.Call.Answer(), "an incoming call that rings");

    /// <summary>Rejects an incoming call that still rings with a final status (486 Busy Here, 603 Decline, 480, ...).</summary>
    /// <param name="call">The call.</param>
    /// <param name="status_code">A final status 400..699.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call or a code outside 400..699; SW_E_INVALID_STATE when it does not ring.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_reject")]
    public static Status Reject(CallHandle* call, int status_code)
    {
        if (status_code is < 400 or > 699)
        {
            return AbiStatus.Fail(Status.InvalidArg, $"status_code must be a final error status 400..699, not {status_code}");
        }
        return Act(call, c => c.Call.Reject(status_code, ReasonPhrase(status_code)), "an incoming call that rings");
    }

    /// <summary>Ends a call: CANCEL while an outgoing call rings (RFC 3261 §9.1), BYE once established (§15.1), 603 for an unanswered incoming call.</summary>
    /// <param name="call">The call.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call; SW_E_INVALID_STATE when it is already ending.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_hangup")]
    public static Status Hangup(CallHandle* call) => Act(call, c => c.Call.Hangup(), "a call that is not already ending");

    /// <summary>Puts the peer on hold: re-INVITE with a=sendonly (RFC 3264 §8.4); SW_CALL_MEDIA_UPDATED or SW_CALL_UPDATE_FAILED follows.</summary>
    /// <param name="call">The call.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call; SW_E_INVALID_STATE unless established with no re-INVITE in flight.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_hold")]
    public static Status Hold(CallHandle* call) => Act(call, c => c.Call.Hold(), "an established call without a re-INVITE in flight");

    /// <summary>Takes the peer off hold: re-INVITE with a=sendrecv.</summary>
    /// <param name="call">The call.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call; SW_E_INVALID_STATE unless established with no re-INVITE in flight.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_resume")]
    public static Status Resume(CallHandle* call) => Act(call, c => c.Call.Resume(), "an established call without a re-INVITE in flight");

    /// <summary>
    /// Sends DTMF digits. With running media (sw_endpoint_set_media) and telephone-event agreed in the
    /// SDP they go as RFC 4733 events in the RTP stream (100 ms each, 60 ms apart; they play out as
    /// sw_call_write_audio() sends frames); otherwise as SIP INFO with application/dtmf-relay bodies,
    /// one INFO per digit of duration_ms (the widely deployed Cisco/SIP INFO convention; RFC 6086).
    /// </summary>
    /// <param name="call">An established call.</param>
    /// <param name="digits">Digits from 0-9, *, #, A-D.</param>
    /// <param name="duration_ms">Tone duration per digit, 40..5000 ms.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call, an empty or invalid digit string or duration;
    /// SW_E_INVALID_STATE unless established; SW_E_LIMIT when the transaction table is full.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_send_dtmf")]
    public static Status SendDtmf(CallHandle* call, [CType("const char *")] byte* digits, int duration_ms)
    {
        try
        {
            NativeCall? target = EndpointHost.CallHandles.Get((nint)call);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "call is NULL or stale");
            }
            target.Host.Enter();
            string text = AbiStrings.Read(digits, "digits") ?? throw new ArgumentException("digits is NULL");
            if (text.Length == 0 || text.Length > 64)
            {
                throw new ArgumentException("digits must hold 1..64 digits");
            }
            foreach (char d in text)
            {
                if (!(char.IsAsciiDigit(d) || d is '*' or '#' || (d >= 'A' && d <= 'D')))
                {
                    throw new ArgumentException($"'{d}' is not a DTMF digit (0-9, *, #, A-D)");
                }
            }
            if (duration_ms is < 40 or > 5000)
            {
                throw new ArgumentException($"duration_ms must be 40..5000, not {duration_ms}");
            }
            return target.Host.SendDtmf(target, text, duration_ms);
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Blind transfer (RFC 5589 §6): REFER in this call with Refer-To target (RFC 3515); progress
    /// arrives at on_transfer; on success the call is hung up, on failure it stays up.
    /// </summary>
    /// <param name="call">An established call.</param>
    /// <param name="target">The transfer target's SIP URI.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for a NULL or stale call or a target that is not a SIP URI;
    /// SW_E_INVALID_STATE unless established with no transfer running.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_transfer")]
    public static Status Transfer(CallHandle* call, [CType("const char *")] byte* target)
    {
        try
        {
            NativeCall? c = EndpointHost.CallHandles.Get((nint)call);
            if (c is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "call is NULL or stale");
            }
            c.Host.Enter();
            string uri = AbiStrings.Read(target, "target") ?? throw new ArgumentException("target is NULL");
            if (!Sipwire.Sip.SipUri.TryParse(uri, out _))
            {
                throw new ArgumentException($"target '{uri}' is not a SIP URI");
            }
            return c.Call.Transfer(uri) ? Status.Ok
                : AbiStatus.Fail(Status.InvalidState, $"the call is {c.Call.State}{(c.Call.IsTransferring ? " and already transferring" : "")}; a transfer needs an established call");
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>
    /// Attended transfer (RFC 5589 §7): REFER in call whose Refer-To is the consultation call's peer
    /// with Replaces (RFC 3891), so the peer's new call replaces the consultation. On success call is hung up.
    /// </summary>
    /// <param name="call">The established call to transfer.</param>
    /// <param name="consultation">The established call with the transfer target.</param>
    /// <returns>SW_OK; SW_E_INVALID_ARG for NULL, stale or identical calls or calls of different endpoints;
    /// SW_E_INVALID_STATE unless both are established with no transfer running.</returns>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_transfer_attended")]
    public static Status TransferAttended(CallHandle* call, CallHandle* consultation)
    {
        try
        {
            NativeCall? c = EndpointHost.CallHandles.Get((nint)call);
            NativeCall? k = EndpointHost.CallHandles.Get((nint)consultation);
            if (c is null || k is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "call or consultation is NULL or stale");
            }
            if (ReferenceEquals(c, k) || !ReferenceEquals(c.Host, k.Host))
            {
                return AbiStatus.Fail(Status.InvalidArg, "call and consultation must be two calls of the same endpoint");
            }
            c.Host.Enter();
            return c.Call.TransferTo(k.Call) ? Status.Ok
                : AbiStatus.Fail(Status.InvalidState, $"the calls are {c.Call.State} and {k.Call.State}; both must be established with no transfer running");
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    /// <summary>Writes the remote party's URI (To of an outgoing call, From of an incoming one).</summary>
    /// <param name="call">The call.</param>
    /// <param name="buffer">Receives the NUL-terminated URI; may be NULL when buffer_size is 0.</param>
    /// <param name="buffer_size">Size of buffer in bytes.</param>
    /// <param name="out_needed">Receives the size needed including the NUL; may be NULL.</param>
    /// <returns>SW_OK; SW_E_BUFFER_TOO_SMALL (nothing written, out_needed set); SW_E_INVALID_ARG for a NULL or stale call.</returns>
    /// <ownership>The caller owns buffer.</ownership>
    /// <thread>The endpoint's thread.</thread>
    [UnmanagedCallersOnly(EntryPoint = "sw_call_get_remote")]
    public static Status GetRemote(CallHandle* call, [CType("char *")] byte* buffer, int buffer_size, int* out_needed)
    {
        try
        {
            NativeCall? target = EndpointHost.CallHandles.Get((nint)call);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "call is NULL or stale");
            }
            target.Host.Enter();
            return AbiStrings.Write(target.Call.RemoteParty, buffer, buffer_size, out_needed);
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    private static Status Act(CallHandle* call, Func<NativeCall, bool> action, string allowed)
    {
        try
        {
            NativeCall? target = EndpointHost.CallHandles.Get((nint)call);
            if (target is null)
            {
                return AbiStatus.Fail(Status.InvalidArg, "call is NULL or stale");
            }
            target.Host.Enter();
            if (!action(target))
            {
                return AbiStatus.Fail(Status.InvalidState, $"the call is {target.Call.State}; this needs {allowed}");
            }
            return Status.Ok;
        }
        catch (Exception ex)
        {
            return AbiStatus.From(ex);
        }
    }

    // RFC 3261 §21.4-§21.6 reason phrases for the codes firmware rejects with most.
    private static string ReasonPhrase(int code) => code switch
    {
        403 => "Forbidden",
        404 => "Not Found",
        480 => "Temporarily Unavailable",
        486 => "Busy Here",
        488 => "Not Acceptable Here",
        500 => "Server Internal Error",
        503 => "Service Unavailable",
        600 => "Busy Everywhere",
        603 => "Decline",
        _ => code < 500 ? "Request Failed" : code < 600 ? "Server Error" : "Global Failure",
    };
}
