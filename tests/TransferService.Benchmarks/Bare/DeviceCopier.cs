using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace TransferService.Benchmarks.Bare;

/// <summary>Copies host tensors into a CUDA device's memory with ONNX Runtime alone: a one-node Identity graph
/// per element type, its input bound to the host tensor and its output bound to the device, so the copy it returns
/// lives in device memory (for a baseline whose inputs are already on the device). Owns its sessions, which own the
/// memory the copies live in: dispose the copies first.</summary>
internal sealed class DeviceCopier(int deviceId) : IDisposable
{
    private readonly Dictionary<TensorElementType, InferenceSession> _sessions = [];
    private readonly RunOptions _runOptions = new();

    public OrtMemoryInfo Device { get; } =
        new(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, deviceId, OrtMemType.Default);

    public OrtValue ToDevice(OrtValue host)
    {
        var session = Session(host.GetTensorTypeAndShape().ElementDataType);
        using var binding = session.CreateIoBinding();
        binding.BindInput("x", host);
        binding.BindOutputToDevice("y", Device);
        session.RunWithBinding(_runOptions, binding);
        // Not disposed: the one output is handed to the caller.
        var outputs = binding.GetOutputValues();
        return outputs.Single();
    }

    private InferenceSession Session(TensorElementType type)
    {
        if (_sessions.TryGetValue(type, out var session)) return session;
        var anyTensor = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } };
        var model = new ModelProto
        {
            IrVersion = 8,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 17 } },
            Graph = new GraphProto
            {
                Name = "copy",
                Node = { new NodeProto { OpType = "Identity", Input = { "x" }, Output = { "y" } } },
                Input = { new ValueInfoProto { Name = "x", Type = anyTensor } },
                Output = { new ValueInfoProto { Name = "y", Type = anyTensor } },
            },
        };
        using var options = new SessionOptions();
        using var cuda = new OrtCUDAProviderOptions();
        cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        options.AppendExecutionProvider_CUDA(cuda);
        session = new InferenceSession(model.ToByteArray(), options);
        _sessions[type] = session;
        return session;
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Dispose();
        _runOptions.Dispose();
        Device.Dispose();
    }
}
