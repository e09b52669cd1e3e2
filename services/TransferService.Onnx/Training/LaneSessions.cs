using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Training;

/// <summary>Opens generated head graphs on a lane, and names the lane's device memory.</summary>
internal static class LaneSessions
{
    /// <summary>A session for <paramref name="model"/> with the lane's options (CUDA EP when the lane has it) and its
    /// intra-op threads for head graphs (<see cref="LaneOptions.HeadCpuThreads"/>). The caller owns and disposes it.</summary>
    public static InferenceSession Open(ModelProto model, DeviceLane lane)
    {
        using var options = lane.CreateSessionOptions(lane.Options.HeadCpuThreads);
        return new InferenceSession(model.ToByteArray(), options);
    }

    /// <summary>The memory the lane's kernels read: the CUDA device's, or null for a CPU lane (host memory).
    /// The caller owns and disposes it.</summary>
    public static OrtMemoryInfo? DeviceMemory(DeviceLane lane) => lane.UsesCuda
        ? new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, lane.DeviceId, OrtMemType.Default)
        : null;
}
