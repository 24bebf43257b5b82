// Dial, ringback, busy and congestion tones per region (ITU-T E.180 Supplement 2 lists the national plans).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp;

/// <summary>Call-progress tones by region.</summary>
public static class ToneGeneratorPresets
{
    /// <summary>Dial tone: US 350+440 Hz continuous; EU 425 Hz continuous; UK 350+450 Hz continuous.</summary>
    public static ToneGeneratorSpec Dial(ToneGeneratorRegion region) => region switch
    {
        ToneGeneratorRegion.UnitedStates => new("US dial", [350, 440], [-13, -13], []),
        ToneGeneratorRegion.Europe => new("EU dial", [425], [-13], []),
        ToneGeneratorRegion.UnitedKingdom => new("UK dial", [350, 450], [-13, -13], []),
        _ => throw new ArgumentOutOfRangeException(nameof(region)),
    };

    /// <summary>Ringback: US 440+480 Hz 2 s on 4 s off; EU 425 Hz 1 s on 4 s off; UK 400+450 Hz 0.4/0.2/0.4/2.0 s.</summary>
    public static ToneGeneratorSpec Ringback(ToneGeneratorRegion region) => region switch
    {
        ToneGeneratorRegion.UnitedStates => new("US ringback", [440, 480], [-19, -19], [(2000, 4000)]),
        ToneGeneratorRegion.Europe => new("EU ringback", [425], [-13], [(1000, 4000)]),
        ToneGeneratorRegion.UnitedKingdom => new("UK ringback", [400, 450], [-19, -19], [(400, 200), (400, 2000)]),
        _ => throw new ArgumentOutOfRangeException(nameof(region)),
    };

    /// <summary>Busy: US 480+620 Hz 0.5 s on 0.5 s off; EU 425 Hz 0.5/0.5 s; UK 400 Hz 0.375/0.375 s.</summary>
    public static ToneGeneratorSpec Busy(ToneGeneratorRegion region) => region switch
    {
        ToneGeneratorRegion.UnitedStates => new("US busy", [480, 620], [-24, -24], [(500, 500)]),
        ToneGeneratorRegion.Europe => new("EU busy", [425], [-13], [(500, 500)]),
        ToneGeneratorRegion.UnitedKingdom => new("UK busy", [400], [-13], [(375, 375)]),
        _ => throw new ArgumentOutOfRangeException(nameof(region)),
    };

    /// <summary>Congestion (reorder): US 480+620 Hz 0.25/0.25 s; EU 425 Hz 0.25/0.25 s; UK 400 Hz 0.4/0.35/0.225/0.525 s.</summary>
    public static ToneGeneratorSpec Congestion(ToneGeneratorRegion region) => region switch
    {
        ToneGeneratorRegion.UnitedStates => new("US reorder", [480, 620], [-24, -24], [(250, 250)]),
        ToneGeneratorRegion.Europe => new("EU congestion", [425], [-13], [(250, 250)]),
        ToneGeneratorRegion.UnitedKingdom => new("UK congestion", [400], [-13], [(400, 350), (225, 525)]),
        _ => throw new ArgumentOutOfRangeException(nameof(region)),
    };
}
