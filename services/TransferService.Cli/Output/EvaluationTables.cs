using System.Globalization;
using Spectre.Console;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Output;

/// <summary>A head version and its stored evaluation as console tables: the summary, per-class precision and
/// recall, and the confusion matrix (rows: true label, columns: predicted).</summary>
public static class EvaluationTables
{
    private const int MaxConfusionLabels = 20;

    public static void Write(IAnsiConsole console, Head head)
    {
        var e = head.Evaluation ?? new Evaluation();
        var summary = new Table().Title(Markup.Escape($"{head.Name} v{head.Version}")).AddColumns("", "");
        summary.HideHeaders();
        void Row(string name, string value) => summary.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("backbone", $"{head.Backbone} {head.BackboneVersion}");
        Row("labels", head.Labels.Count.ToString(CultureInfo.InvariantCulture));
        Row("aliases", string.Join(", ", head.Aliases));
        Row("examples (train / validation)", $"{e.TrainCount} / {e.ValidationCount}");
        Row("best epoch", e.BestEpoch.ToString(CultureInfo.InvariantCulture));
        Row("accuracy", Percent.Format(e.Accuracy));
        Row("macro-F1", Percent.Format(e.MacroF1));
        Row("validation loss (calibrated)", $"{Measured(e.ValidationLoss)} ({Measured(e.CalibratedValidationLoss)})");
        Row("expected calibration error (calibrated)", $"{Measured(e.ExpectedCalibrationError)} ({Measured(e.CalibratedExpectedCalibrationError)})");
        Row("temperature", head.Temperature.ToString("F3", CultureInfo.InvariantCulture));
        if (head.HasFamiliarityThreshold) Row("familiarity threshold", head.FamiliarityThreshold.ToString("F3", CultureInfo.InvariantCulture));
        foreach (var warning in e.Warnings) Row("warning", warning);
        console.Write(summary);

        console.WriteLine("per class:");
        var classes = new Table().AddColumns("label", "precision", "recall", "validation examples");
        for (var i = 0; i < e.Classes.Count; i++)
        {
            var c = e.Classes[i];
            classes.AddRow(Markup.Escape(c.Label), Percent.Format(c.Precision),
                Percent.Format(c.Recall), RowTotal(e, head.Labels.Count, i).ToString(CultureInfo.InvariantCulture));
        }
        console.Write(classes);

        var n = head.Labels.Count;
        if (n == 0 || n > MaxConfusionLabels || e.Confusion.Count != n * n) return;
        console.WriteLine("confusion (rows: true, columns: predicted):");
        var confusion = new Table().AddColumn("");
        foreach (var label in head.Labels) confusion.AddColumn(Markup.Escape(label));
        for (var i = 0; i < n; i++)
            confusion.AddRow([Markup.Escape(head.Labels[i]), .. Enumerable.Range(0, n).Select(j => e.Confusion[i * n + j].ToString(CultureInfo.InvariantCulture))]);
        console.Write(confusion);
    }

    private static long RowTotal(Evaluation e, int labels, int row) =>
        e.Confusion.Count == labels * labels ? e.Confusion.Skip(row * labels).Take(labels).Sum(v => (long)v) : 0;

    /// <summary>Four decimals, or "n/a" for NaN (nothing held out to measure on).</summary>
    private static string Measured(double value) =>
        double.IsNaN(value) ? Percent.NotMeasured : value.ToString("F4", CultureInfo.InvariantCulture);
}
