using System.Runtime.InteropServices;

namespace TransferService.Onnx.Lanes;

/// <summary>Counts CUDA devices through the CUDA runtime library, when one can be loaded.</summary>
internal static class CudaDevices
{
    private delegate int GetDeviceCount(out int count);

    private static readonly string[] RuntimeLibraries = ["libcudart.so.13", "libcudart.so.12", "libcudart.so"];

    public static int Count()
    {
        foreach (var name in RuntimeLibraries)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cudaGetDeviceCount", out var export)) continue;
            var getCount = Marshal.GetDelegateForFunctionPointer<GetDeviceCount>(export);
            return getCount(out var count) == 0 ? count : 0;
        }
        return 0;
    }
}
