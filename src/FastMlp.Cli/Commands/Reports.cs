using System.Globalization;
using Spectre.Console;

namespace FastMlp.Cli.Commands;

/// <summary>Shared result printing: metrics and the confusion matrix.</summary>
internal static class Reports
{
    public static void PrintEvaluation(CliOutput console, EvaluationResult result, IReadOnlyList<string> classNames, string setName)
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
        }
        else
        {
            console.Line(string.Create(CultureInfo.InvariantCulture,
                $"{setName}: {result.Rows} rows, RMSE {result.RootMeanSquaredError:G5}, MAE {result.MeanAbsoluteError:G5}, R² {result.RSquared:F4}, loss {result.Loss:G5}"));
        }
    }
}
