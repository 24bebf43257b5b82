// SPDX-License-Identifier: MIT
// The C signature of sw_call_media_cb (emitted as a typedef by the header generator).

namespace Sipwire.Native;

/// <summary>
/// Reports a media event of a call. Called only inside sw_endpoint_poll(), on its thread.
/// </summary>
/// <param name="call">The call.</param>
/// <param name="media_event">An SW_MEDIA_* code.</param>
/// <param name="codec">The send codec as "PCMU/8000", "G722/8000", "opus/48000/2"; "" when none; valid only during the callback.</param>
/// <param name="value">SW_MEDIA_STARTED/UPDATED: the RTP payload type sent; SW_MEDIA_DTMF: the digit; else 0.</param>
/// <param name="text">SW_MEDIA_FAILED: the reason; else a short description; valid only during the callback.</param>
/// <param name="user_data">sw_callbacks.user_data.</param>
[CName("sw_call_media_cb")]
internal unsafe delegate void CallMediaCallback(CallHandle* call, int media_event, [CType("const char *")] byte* codec, int value, [CType("const char *")] byte* text, void* user_data);
