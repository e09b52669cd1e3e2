using Grpc.Core;
using Grpc.Net.Client;
using TransferService.Contracts.V1;

namespace TransferService.Tests.Infrastructure;

/// <summary>The public API's head workflow as a client runs it: upload, train, watch, classify.</summary>
public sealed class HeadWorkflow(GrpcChannel channel)
{
    public HeadWorkflow(ServerFixture server) : this(server.Channel) { }

    public DatasetService.DatasetServiceClient Datasets { get; } = new(channel);
    public HeadService.HeadServiceClient Heads { get; } = new(channel);
    public JobService.JobServiceClient Jobs { get; } = new(channel);

    /// <summary>Streams the examples in messages of 100.</summary>
    public async Task<Dataset> UploadAsync(string name, IEnumerable<(Input Input, string Label)> examples)
    {
        using var call = Datasets.UploadDataset();
        var first = true;
        foreach (var chunk in examples.Chunk(100))
        {
            var message = new UploadDatasetRequest { Name = first ? name : "" };
            message.Examples.AddRange(chunk.Select(e => new LabeledExample { Input = e.Input, Label = e.Label }));
            await call.RequestStream.WriteAsync(message);
            first = false;
        }
        await call.RequestStream.CompleteAsync();
        return (await call).Dataset;
    }

    /// <summary>Starts training and watches the job to its end; returns every snapshot seen.</summary>
    public async Task<IReadOnlyList<Job>> TrainAsync(TrainHeadRequest request)
    {
        var started = await Heads.TrainHeadAsync(request);
        var snapshots = new List<Job>();
        using var watch = Jobs.WatchJob(new WatchJobRequest { JobId = started.Job.Id });
        await foreach (var update in watch.ResponseStream.ReadAllAsync()) snapshots.Add(update.Job);
        var last = snapshots[^1];
        Assert.True(last.State == JobState.Succeeded, $"job {last.Id} ended {last.State}: {last.ErrorMessage} ({last.ErrorField})");
        return snapshots;
    }

    public static Input Text(string text) => new() { Text = text };
}
