// ERLE-over-time PNG (placeholder until the plotting library is wired).
// SPDX-License-Identifier: MIT

using System.Collections.Generic;

namespace Sipwire.AecEval;

internal static class ErlePlot
{
    public static void Save(string path, List<Evaluation.Result> results, int window, int rate, int dtStart, int dtEnd, int change, string title)
    {
        _ = (path, results, window, rate, dtStart, dtEnd, change, title);
    }
}
