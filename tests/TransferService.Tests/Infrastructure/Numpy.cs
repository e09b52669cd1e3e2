using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TransferService.Tests.Infrastructure;

/// <summary>numpy (Debian's python3-numpy, a reader that is not ours) loading an .npy file: its shape and float32
/// values as numpy sees them.</summary>
public static class Numpy
{
    public static async Task<(int Rows, int Columns, float[] Values)> LoadAsync(string npy)
    {
        var raw = npy + ".raw";
        try
        {
            var script = $"import numpy as np; a = np.load('{npy}'); assert a.dtype == np.float32, a.dtype; " +
                         $"a.astype('<f4').tofile('{raw}'); print(a.shape[0], a.shape[1])";
            using var python = Process.Start(TestDataFolder.WithUnpackedNumpy(
                new ProcessStartInfo("/usr/bin/python3", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true }))!;
            var output = await python.StandardOutput.ReadToEndAsync();
            var error = await python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.True(python.ExitCode == 0, $"numpy could not read the file: {error}");
            var shape = output.Trim().Split(' ').Select(int.Parse).ToArray();
            return (shape[0], shape[1], MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(raw)).ToArray());
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
