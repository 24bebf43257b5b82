// The life cycle of a dialog (RFC 3261 §12).
// SPDX-License-Identifier: MIT

namespace Sipwire.Dialogs;

/// <summary>Early (from a 1xx with a To tag), Confirmed (from a 2xx), or Terminated (§12).</summary>
public enum DialogState
{
    /// <summary>Created by a provisional response with a To tag (§12.1).</summary>
    Early = 0,
    /// <summary>Created or confirmed by a 2xx (§12.1).</summary>
    Confirmed = 1,
    /// <summary>Ended by BYE, a non-2xx final response, 481/408 or an ACK timeout (§12.3, §13.3.1.4).</summary>
    Terminated = 2,
}
