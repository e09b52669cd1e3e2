namespace TransferService.Onnx.Lanes;

/// <summary>Where a batch's inputs are normalised and its outputs pooled.</summary>
public enum DataPath
{
    /// <summary>Inside the backbone's graph (<see cref="Graphs.ServingGraph"/>): 8-bit pixels and token ids cross to the
    /// device, [N, dimension] floats come back.</summary>
    Graph,
    /// <summary>On the host: float32 planes cross to the device, the model's full output comes back and is pooled here.</summary>
    Host,
}
