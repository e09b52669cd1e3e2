namespace TransferService.Benchmarks.Measuring;

/// <summary>One row of the result table.</summary>
/// <param name="IsBare">A bare ONNX Runtime row: the best of these is the model's baseline.</param>
internal sealed record Measurement(string Model, string Mode, bool IsBare, LoopResult Result);
