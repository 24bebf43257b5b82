// ERLE-over-time PNG (ScottPlot): G.168 echo-only ERLE, one line per canceller, double talk and the path change shaded.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using ScottPlot;

namespace Sipwire.AecEval;

internal static class ErlePlot
{
    public static void Save(string path, List<Evaluation.Result> results, int window, int rate, int dtStart, int dtEnd, int change, string title)
    {
        var plot = new Plot();
        double dtFrom = (double)dtStart / rate;
        double dtTo = (double)dtEnd / rate;
        var span = plot.Add.HorizontalSpan(dtFrom, dtTo);
        span.FillStyle.Color = Colors.Orange.WithAlpha(0.15);
        span.LegendText = "double talk";
        var line = plot.Add.VerticalLine((double)change / rate);
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Gray;
        line.LegendText = "echo path change";
        foreach (Evaluation.Result r in results)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < r.ErleEcho.Length; i++)
            {
                if (!double.IsNaN(r.ErleEcho[i]))
                {
                    xs.Add((i + 0.5) * window / rate);
                    ys.Add(Math.Max(-10, r.ErleEcho[i]));
                }
            }
            var scatter = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            scatter.MarkerSize = 0;
            scatter.LineWidth = r.Name.StartsWith("sipwire", StringComparison.Ordinal) ? 2 : 1.5f;
            if (r.Name.StartsWith("speexdsp", StringComparison.Ordinal))
            {
                scatter.LinePattern = LinePattern.Dotted;
            }
            scatter.LegendText = r.Name;
        }
        plot.Title(title);
        plot.XLabel("time (s)");
        plot.YLabel("ERLE (dB, G.168, echo only): P(echo) / P(out - G near)");
        plot.Axes.SetLimitsY(-10, 80);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1200, 600);
    }
}
