using System.Diagnostics;
using System.Runtime.InteropServices;
using Grpc.Core;
using Grpc.Net.Client;
using TransferService.Contracts.V1;

namespace TransferService.Tests.Infrastructure;

/// <summary>The public API's extraction workflow as a client runs it: start, watch, download; and numpy (Debian's
/// python3-numpy, a reader that is not ours) to read what was downloaded.</summary>
public sealed class ExtractionWorkflow(CallInvoker invoker)
{
    public ExtractionWorkflow(GrpcChannel channel) : this(channel.CreateCallInvoker()) { }

    public ExtractionService.ExtractionServiceClient Extraction { get; } = new(invoker);
    public JobService.JobServiceClient Jobs { get; } = new(invoker);
    public EmbeddingService.EmbeddingServiceClient Embeddings { get; } = new(invoker);

    /// <summary>Starts the job and watches it to its end; returns every snapshot seen.</summary>
    public async Task<IReadOnlyList<Job>> RunAsync(StartExtractionRequest request)
    {
        var started = await Extraction.StartExtractionAsync(request);
        var snapshots = await WatchAsync(started.Job.Id);
        var last = snapshots[^1];
        Assert.True(last.State == JobState.Succeeded, $"job {last.Id} ended {last.State}: {last.ErrorMessage} ({last.ErrorField})");
        return snapshots;
    }

    public async Task<IReadOnlyList<Job>> WatchAsync(string jobId)
    {
        var snapshots = new List<Job>();
        using var watch = Jobs.WatchJob(new WatchJobRequest { JobId = jobId });
        await foreach (var update in watch.ResponseStream.ReadAllAsync()) snapshots.Add(update.Job);
        return snapshots;
    }

    public async Task<byte[]> DownloadAsync(string jobId, ExtractionFile file)
    {
        using var call = Extraction.DownloadExtraction(new DownloadExtractionRequest { JobId = jobId, File = file });
        using var bytes = new MemoryStream();
        ulong total = 0;
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            Assert.True(message.Chunk.Length <= 1 << 20, "a download chunk is over 1 MiB");
            if (bytes.Length == 0) total = message.TotalBytes;
            message.Chunk.WriteTo(bytes);
        }
        Assert.Equal(total, (ulong)bytes.Length);
        return bytes.ToArray();
    }

    public async Task<string[]> IdsAsync(string jobId) =>
        System.Text.Encoding.UTF8.GetString(await DownloadAsync(jobId, ExtractionFile.Ids)).Split('\n')[..^1];

    /// <summary>Downloads an .npy file and has numpy load it: its shape, dtype and values as numpy sees them.</summary>
    public async Task<(int Rows, int Columns, float[] Values)> LoadNumpyAsync(string jobId, ExtractionFile file)
    {
        var folder = Directory.CreateTempSubdirectory("npy-");
        try
        {
            var npy = Path.Combine(folder.FullName, "a.npy");
            var raw = Path.Combine(folder.FullName, "a.raw");
            await File.WriteAllBytesAsync(npy, await DownloadAsync(jobId, file));
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
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The service's own Embed answers for <paramref name="inputs"/>, row-major, in calls of 32.</summary>
    public async Task<float[]> EmbedAsync(string backbone, IEnumerable<Input> inputs, bool normalize)
    {
        var rows = new List<float>();
        foreach (var chunk in inputs.Chunk(32))
        {
            var reply = await Embeddings.EmbedAsync(new EmbedRequest { Backbone = backbone, Normalize = normalize, Inputs = { chunk } });
            rows.AddRange(reply.Embeddings);
        }
        return rows.ToArray();
    }

    public static void AssertClose(float[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst} is over {tolerance}");
    }
}
