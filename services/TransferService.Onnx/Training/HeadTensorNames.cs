namespace TransferService.Onnx.Training;

/// <summary>The names of the head graphs' inputs and outputs, shared by the graph builders and the sessions that
/// bind them. Layer l has weights W{l} [in,out] and bias b{l} [out]; each parameter p has AdamW moments p_m and p_v;
/// a training step reads p and writes p_next.</summary>
internal static class HeadTensorNames
{
    public const string Embeddings = "X_all";
    public const string BatchIndices = "idx";
    public const string Labels = "y";
    public const string SampleWeights = "sample_weight";
    public const string LearningRate = "lr";
    public const string Step = "step";
    public const string Loss = "loss";

    public const string ValidationEmbeddings = "X";
    public const string LossSum = "loss_sum";
    public const string CorrectCount = "correct";

    public static string Weights(int layer) => $"W{layer}";
    public static string Bias(int layer) => $"b{layer}";
    public static string DropoutMask(int layer) => $"mask{layer}";
    public static string FirstMoment(string parameter) => $"{parameter}_m";
    public static string SecondMoment(string parameter) => $"{parameter}_v";
    public static string Next(string stateTensor) => $"{stateTensor}_next";
    public static string Gradient(string parameter) => $"{parameter}_grad";
    public static string Snapshot(string parameter) => $"{parameter}_snapshot";

}
