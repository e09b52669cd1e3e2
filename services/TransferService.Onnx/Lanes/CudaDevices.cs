using System.Runtime.InteropServices;

namespace TransferService.Onnx.Lanes;

/// <summary>Counts CUDA devices and reads their memory through the CUDA runtime library, when one can be loaded.</summary>
internal static class CudaDevices
{
    private delegate int GetDeviceCount(out int count);
    private delegate int SetDevice(int device);
    private delegate int MemGetInfo(out nuint free, out nuint total);

    private static readonly string[] RuntimeLibraries = ["libcudart.so.13", "libcudart.so.12", "libcudart.so"];

    public static int Count() =>
        Export<GetDeviceCount>("cudaGetDeviceCount") is { } getCount && getCount(out var count) == 0 ? count : 0;

    /// <summary>Total memory of CUDA device <paramref name="device"/> in bytes, or 0 when it cannot be read.</summary>
    public static long TotalMemory(int device) =>
        Export<SetDevice>("cudaSetDevice") is { } setDevice && Export<MemGetInfo>("cudaMemGetInfo") is { } memGetInfo
            && setDevice(device) == 0 && memGetInfo(out _, out var total) == 0
            ? (long)total
            : 0;

    private static T? Export<T>(string function) where T : Delegate
    {
        foreach (var name in RuntimeLibraries)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (NativeLibrary.TryGetExport(handle, function, out var export)) return Marshal.GetDelegateForFunctionPointer<T>(export);
        }
        return null;
    }
}
