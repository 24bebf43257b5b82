// G.722 low-band quantiser shortcut (division + table) against the reference's linear search, exhaustively.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class G722QuantizerTests
{
    private static readonly short[] s_q6 =
    [
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650,
        714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
    ];

    private static readonly short[] s_ilb =
    [
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    ];

    [Test]
    public void MatchesTheLinearSearchForEveryReachableScaleAndDifference()
    {
        // Every det the low band can reach: SCALEL over nb = 0..18432 (G.722 block 3L).
        var dets = new SortedSet<int>();
        for (int nb = 0; nb <= 18432; nb++)
        {
            int e = 8 - (nb >> 11);
            int v = s_ilb[(nb >> 6) & 31];
            dets.Add((short)((e < 0 ? v << -e : v >> e) << 2));
        }

        int mismatches = 0;
        foreach (int det in dets)
        {
            for (int wd = 0; wd <= 32767; wd++)
            {
                int i = 1;
                while (i < 30 && wd >= ((s_q6[i] * det) >> 12))
                {
                    i++;
                }

                mismatches += G722Encoder.QuantizeLow(wd, det) == i ? 0 : 1;
            }
        }

        Assert.That(dets, Has.Count.GreaterThan(100));
        Assert.That(mismatches, Is.Zero);
    }
}
