// A session refresh the B2BUA sent on one leg (the client transaction's UserData).
// SPDX-License-Identifier: MIT

namespace Sipwire.B2bua;

/// <summary>Our own UPDATE refreshing <see cref="Side"/>'s session (RFC 4028 §7.4), waiting for its answer.</summary>
internal sealed class B2buaRefresh
{
    public B2buaRefresh(B2buaCall call, B2buaSide side)
    {
        Call = call;
        Side = side;
    }

    public B2buaCall Call { get; }

    public B2buaSide Side { get; }
}
