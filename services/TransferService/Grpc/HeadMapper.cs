using Google.Protobuf.WellKnownTypes;
using TransferService.Contracts.V1;
using TransferService.Core.Heads;
using CoreConfig = TransferService.Core.Heads.TrainingConfig;

namespace TransferService.Grpc;

internal static class HeadMapper
{
    /// <summary>Contract config → Core config; zero (unset) fields take Core's defaults. Null stays null: no config
    /// asks for the default search.</summary>
    public static CoreConfig? ToCore(Contracts.V1.TrainingConfig? c) => c is null ? null : ToCoreConfig(c);

    public static IReadOnlyList<CoreConfig> ToCore(IEnumerable<Contracts.V1.TrainingConfig> candidates) => candidates.Select(ToCoreConfig).ToArray();

    private static CoreConfig ToCoreConfig(Contracts.V1.TrainingConfig c)
    {
        var defaults = new CoreConfig();
        return new CoreConfig
        {
            Architecture = c.Architecture == Contracts.V1.HeadArchitecture.Mlp ? Core.Heads.HeadArchitecture.Mlp : Core.Heads.HeadArchitecture.Linear,
            HiddenSizes = c.HiddenSizes.Count > 0 ? c.HiddenSizes.Select(h => (int)Math.Min(h, int.MaxValue)).ToArray() : defaults.HiddenSizes,
            Dropout = c.Dropout,
            Epochs = c.Epochs > 0 ? (int)Math.Min(c.Epochs, int.MaxValue) : defaults.Epochs,
            MaxSteps = (int)Math.Min(c.MaxSteps, int.MaxValue),
            BatchSize = c.BatchSize > 0 ? (int)Math.Min(c.BatchSize, int.MaxValue) : defaults.BatchSize,
            LearningRate = c.LearningRate != 0 ? c.LearningRate : defaults.LearningRate,
            WeightDecay = c.HasWeightDecay ? c.WeightDecay : defaults.WeightDecay,
            LabelSmoothing = c.LabelSmoothing,
            ClassWeighting = c.ClassWeighting == Contracts.V1.ClassWeighting.Balanced ? Core.Heads.ClassWeighting.Balanced : Core.Heads.ClassWeighting.None,
            ValidationFraction = c.ValidationFraction != 0 ? c.ValidationFraction : defaults.ValidationFraction,
            EarlyStoppingPatience = (int)Math.Min(c.EarlyStoppingPatience, int.MaxValue),
            Seed = (int)c.Seed,
        };
    }

    public static Contracts.V1.TrainingConfig ToContract(CoreConfig c) => new()
    {
        Architecture = c.Architecture == Core.Heads.HeadArchitecture.Mlp ? Contracts.V1.HeadArchitecture.Mlp : Contracts.V1.HeadArchitecture.Linear,
        HiddenSizes = { c.Architecture == Core.Heads.HeadArchitecture.Mlp ? c.HiddenSizes.Select(h => (uint)h) : [] },
        Dropout = c.Dropout, Epochs = (uint)c.Epochs, MaxSteps = (uint)c.MaxSteps, BatchSize = (uint)c.BatchSize,
        LearningRate = c.LearningRate, WeightDecay = c.WeightDecay, LabelSmoothing = c.LabelSmoothing,
        ClassWeighting = c.ClassWeighting == Core.Heads.ClassWeighting.Balanced ? Contracts.V1.ClassWeighting.Balanced : Contracts.V1.ClassWeighting.None,
        ValidationFraction = c.ValidationFraction, EarlyStoppingPatience = (uint)c.EarlyStoppingPatience, Seed = (uint)c.Seed,
    };

    public static Core.Heads.HeadReference ToCore(Contracts.V1.HeadReference? reference) =>
        reference is null ? new Core.Heads.HeadReference("") : new Core.Heads.HeadReference(reference.Name, (int)Math.Min(reference.Version, int.MaxValue), reference.Alias);

    public static Head ToContract(HeadRecord r, IReadOnlyDictionary<string, int> aliases)
    {
        var e = r.Evaluation;
        var evaluation = new Evaluation
        {
            Accuracy = e.Accuracy, MacroF1 = e.MacroF1, TrainCount = (uint)e.TrainCount, ValidationCount = (uint)e.ValidationCount,
            BestEpoch = (uint)e.BestEpoch, ValidationLoss = e.ValidationLoss, CalibratedValidationLoss = e.CalibratedValidationLoss,
            ExpectedCalibrationError = e.ExpectedCalibrationError, CalibratedExpectedCalibrationError = e.CalibratedExpectedCalibrationError,
            Warnings = { e.Warnings },
            Reliability =
            {
                e.Reliability.Select(b => new Contracts.V1.ReliabilityBin
                {
                    Lower = b.Lower, Upper = b.Upper, Count = (uint)b.Count, MeanConfidence = b.MeanConfidence, Accuracy = b.Accuracy,
                }),
            },
            Classes = { r.Labels.Select((label, i) => new ClassMetrics { Label = label, Precision = e.Precision[i], Recall = e.Recall[i] }) },
            Confusion = { e.Confusion.SelectMany(row => row.Select(v => (uint)v)) },
            Epochs =
            {
                e.Epochs.Select(m => new Contracts.V1.EpochMetrics
                {
                    Epoch = (uint)m.Epoch, Step = (uint)m.Step, TrainLoss = m.TrainLoss, ValidationLoss = m.ValidationLoss, ValidationAccuracy = m.ValidationAccuracy,
                }),
            },
        };
        var head = new Head
        {
            Name = r.Name, Version = (uint)r.Version, Backbone = r.Backbone, BackboneVersion = r.BackboneVersion, Labels = { r.Labels },
            DatasetId = r.DatasetId, ValidationDatasetId = r.ValidationDatasetId ?? "", Config = ToContract(r.Config), Evaluation = evaluation,
            Temperature = r.Temperature, Aliases = { aliases.Where(a => a.Value == r.Version).Select(a => a.Key).Order() },
            Created = Timestamp.FromDateTimeOffset(r.Created), Search = r.Search is null ? null : ToContract(r.Search),
        };
        if (r.FamiliarityThreshold is { } threshold) head.FamiliarityThreshold = threshold;
        return head;
    }

    public static Contracts.V1.NearestExample ToContract(Core.Heads.NearestExample n) =>
        new() { DatasetId = n.DatasetId, Index = (uint)n.Index, Label = n.Label, Similarity = n.Similarity };

    private static TrainingSearch ToContract(HeadSearch s) => new()
    {
        Chosen = (uint)s.Chosen, DefaultGrid = s.DefaultGrid, RefitCount = (uint)s.RefitCount,
        Candidates =
        {
            s.Candidates.Select(c => new CandidateResult
            {
                Config = ToContract(c.Config), BestEpoch = (uint)c.BestEpoch, ValidationLoss = c.ValidationLoss, ValidationAccuracy = c.ValidationAccuracy,
            }),
        },
    };
}
