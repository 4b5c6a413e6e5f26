using System.Globalization;
using Spectre.Console;

namespace FastMlp.Cli;

/// <summary>Shared result printing: metrics and the confusion matrix.</summary>
internal static class Reports
{
    /// <param name="targetNames">Names of a regression model's outputs, for the per-target table of a multi-output model.</param>
    public static void PrintEvaluation(CliOutput console, EvaluationResult result, IReadOnlyList<string> classNames, string setName, IReadOnlyList<string>? targetNames = null)
    {
        if (result.ConfusionMatrix is { } confusion)
        {
            console.Line(string.Create(CultureInfo.InvariantCulture, $"{setName}: {result.Rows} rows, accuracy {result.Accuracy:P2}, loss {result.Loss:F4}"));
            var table = new Table().Border(TableBorder.Simple).Title("confusion matrix (rows: true class, columns: predicted)");
            table.AddColumn("true \\ pred");
            foreach (string name in classNames)
            {
                table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
            }
            for (int t = 0; t < classNames.Count; t++)
            {
                var cells = new List<string> { Markup.Escape(classNames[t]) };
                for (int p = 0; p < classNames.Count; p++)
                {
                    int n = confusion[t, p];
                    cells.Add(t == p ? $"[bold]{n}[/]" : n == 0 ? "." : n.ToString(CultureInfo.InvariantCulture));
                }
                table.AddRow(cells.ToArray());
            }
            console.Write(table);
            PrintClassMetrics(console, result, classNames);
        }
        else
        {
            console.Line(string.Create(CultureInfo.InvariantCulture,
                $"{setName}: {result.Rows} rows, RMSE {result.RootMeanSquaredError:G5}, MAE {result.MeanAbsoluteError:G5}, R² {result.RSquared:F4}, loss {result.Loss:G5}"));
            if (result.PerTarget is { } perTarget)
            {
                PrintTargetMetrics(console, perTarget, targetNames);
            }
        }
    }

    /// <summary>Each output's RMSE, MAE and R² (the pooled figures above mix the targets' scales).</summary>
    private static void PrintTargetMetrics(CliOutput console, IReadOnlyList<TargetMetrics> perTarget, IReadOnlyList<string>? targetNames)
    {
        var table = new Table().Border(TableBorder.Simple).Title("per target (R² above is their mean)");
        table.AddColumn("target");
        foreach (string heading in new[] { "RMSE", "MAE", "R²" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }
        for (int k = 0; k < perTarget.Count; k++)
        {
            TargetMetrics m = perTarget[k];
            table.AddRow(Markup.Escape(TargetName(targetNames, k)), m.RootMeanSquaredError.ToString("G5", CultureInfo.InvariantCulture),
                         m.MeanAbsoluteError.ToString("G5", CultureInfo.InvariantCulture), F(m.RSquared));
        }
        console.Write(table);
    }

    private static string TargetName(IReadOnlyList<string>? targetNames, int k) =>
        targetNames is not null && k < targetNames.Count ? targetNames[k] : $"output {k + 1}";

    /// <summary>Per-class precision, recall, F1 and support with the macro and weighted averages, then the threshold-free scores.</summary>
    private static void PrintClassMetrics(CliOutput console, EvaluationResult result, IReadOnlyList<string> classNames)
    {
        var table = new Table().Border(TableBorder.Simple).Title("per class (0/0 counts as 0, as scikit-learn)");
        table.AddColumn("class");
        foreach (string heading in new[] { "precision", "recall", "F1", "support" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }
        for (int c = 0; c < classNames.Count; c++)
        {
            AddRow(table, Markup.Escape(classNames[c]), result.PerClass![c]);
        }
        AddRow(table, "[italic]macro avg[/]", result.MacroAverage);
        AddRow(table, "[italic]weighted avg[/]", result.WeightedAverage);
        console.Write(table);
        console.Line(string.Create(CultureInfo.InvariantCulture,
            $"balanced accuracy {result.BalancedAccuracy:F4}, macro F1 {result.MacroAverage.F1:F4}, ROC-AUC {(double.IsNaN(result.RocAuc) ? "undefined (one class)" : result.RocAuc.ToString("F4", CultureInfo.InvariantCulture))}, log-loss {result.LogLoss:F4}"));
    }

    private static void AddRow(Table table, string name, ClassMetrics m) =>
        table.AddRow(name, F(m.Precision), F(m.Recall), F(m.F1), m.Support.ToString(CultureInfo.InvariantCulture));

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>The --json document of an evaluation (classification keys null for regression and vice versa).</summary>
    public static EvaluateJson EvaluationJson(EvaluationResult result, IReadOnlyList<string> classNames, double? threshold, IReadOnlyList<string>? targetNames = null)
    {
        if (result.PerClass is not { } perClass)
        {
            Dictionary<string, TargetMetricsJson>? perTarget = result.PerTarget?.Select((m, k) => (Name: TargetName(targetNames, k), m))
                .ToDictionary(p => p.Name, p => new TargetMetricsJson(p.m.RootMeanSquaredError, p.m.MeanAbsoluteError, p.m.RSquared), StringComparer.Ordinal);
            return new EvaluateJson(result.Rows, result.Loss, null, null, null, null, null, null, null, null, null,
                                    result.RootMeanSquaredError, result.MeanAbsoluteError, result.RSquared, perTarget);
        }
        var classes = new Dictionary<string, ClassMetricsJson>(StringComparer.Ordinal);
        for (int c = 0; c < perClass.Count; c++)
        {
            classes[classNames[c]] = new ClassMetricsJson(perClass[c].Precision, perClass[c].Recall, perClass[c].F1, perClass[c].Support);
        }
        ClassMetrics macro = result.MacroAverage;
        return new EvaluateJson(result.Rows, result.Loss, result.Accuracy, result.BalancedAccuracy, macro.Precision, macro.Recall, macro.F1,
                                double.IsNaN(result.RocAuc) ? null : result.RocAuc, result.LogLoss, classes, threshold, null, null, null);
    }
}
