using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using TransferService.Benchmarks.Bare;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Workloads;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks;

/// <summary>Extraction mode, per backbone: (1) interleaved rounds of the same rows through a bare session at batch 32,
/// through EmbedStream, and as an extraction job over an uploaded dataset (its Started→Finished time); (2) single-item
/// Embed calls on the idle service, then while an extraction job and a training job run.</summary>
internal sealed class ExtractionBenchmark(BenchmarkOptions options, GrpcChannel channel)
{
    private const int BareBatchSize = 32;
    private const int StreamWindow = 256;
    private readonly DatasetService.DatasetServiceClient _datasets = new(channel);
    private readonly ExtractionService.ExtractionServiceClient _extraction = new(channel);
    private readonly JobService.JobServiceClient _jobs = new(channel);
    private readonly EmbeddingService.EmbeddingServiceClient _embeddings = new(channel);
    private readonly HeadService.HeadServiceClient _heads = new(channel);

    public async Task<(ExtractionThroughput Throughput, IReadOnlyList<Measurement> Latency)> RunAsync(string model)
    {
        var folder = Path.Combine(options.DataFolder, "models", model);
        IWorkload workload = model == "minilm" ? new MiniLmWorkload(folder) : new ResNet18Workload();
        var inputs = workload.CreateRequests().Select(r => r.Inputs[0]).ToArray();
        var rows = Enumerable.Range(0, options.Items).Select(i => inputs[i % inputs.Length]).ToArray();
        var dataset = await UploadAsync($"bench-{model}", rows);
        using var bare = new BareModel(Path.Combine(folder, "model.onnx"), workload.Output, options.Device);
        var batches = workload.CreateBareBatches(BareBatchSize);
        var rounds = new List<(double Bare, double Stream, double Job)>();
        try
        {
            for (var round = 0; round < options.Rounds; round++)
            {
                var bareRate = MeasureBare(bare, batches);
                var streamRate = await MeasureStreamAsync(model, rows);
                var jobRate = await MeasureJobAsync(model, dataset);
                rounds.Add((bareRate, streamRate, jobRate));
                Console.Error.WriteLine($"{model} round {round + 1}: bare b{BareBatchSize} {bareRate:F1}, EmbedStream {streamRate:F1}, extraction job {jobRate:F1} items/s");
            }
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }
        return (new ExtractionThroughput(model, options.Items, rounds), await MeasureLatencyAsync(model, workload, rows));
    }

    /// <summary>Single-item Embed calls from one caller, idle and then under an extraction job and a training job.</summary>
    private async Task<IReadOnlyList<Measurement>> MeasureLatencyAsync(string model, IWorkload workload, Input[] rows)
    {
        var requests = workload.CreateRequests();
        var idle = await MeasureEmbedAsync(requests);
        Console.Error.WriteLine($"{model} idle: Embed p50 {idle.Latency.P50Ms:F1} ms, p99 {idle.Latency.P99Ms:F1} ms");
        // Enough rows that both jobs outlast the measurement; both are cancelled after it.
        var large = await UploadAsync($"bench-{model}-load", Enumerable.Range(0, 8).SelectMany(_ => rows).ToArray());
        var extraction = (await _extraction.StartExtractionAsync(new StartExtractionRequest { Backbone = model, DatasetId = large.Id })).Job;
        var training = (await _heads.TrainHeadAsync(new TrainHeadRequest
        {
            Name = $"bench-{model}", Backbone = model, DatasetId = large.Id, Config = new TrainingConfig { Epochs = 50_000, BatchSize = 64, LearningRate = 0.001f },
        })).Job;
        LoopResult loaded;
        try
        {
            loaded = await MeasureEmbedAsync(requests);
            var states = await Task.WhenAll(new[] { extraction, training }.Select(async j => (await _jobs.GetJobAsync(new GetJobRequest { JobId = j.Id })).Job));
            Console.Error.WriteLine($"{model} under load: Embed p50 {loaded.Latency.P50Ms:F1} ms, p99 {loaded.Latency.P99Ms:F1} ms; " +
                string.Join(", ", states.Select(s => $"{s.Kind} {s.State} {s.Progress.Stage} {s.Progress.ItemsDone}/{s.Progress.ItemsTotal}")));
        }
        finally
        {
            foreach (var job in new[] { extraction, training })
                try { await _jobs.CancelJobAsync(new CancelJobRequest { JobId = job.Id }); }
                catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition) { }
        }
        return [new Measurement(model, "Embed c1, idle", IsBare: false, idle), new Measurement(model, "Embed c1, extraction + training running", IsBare: false, loaded)];
    }

    private Task<LoopResult> MeasureEmbedAsync(IReadOnlyList<EmbedRequest> requests) =>
        ClosedLoop.RunAsync(1, options.Warmup, options.Duration, async sequence =>
        {
            await _embeddings.EmbedAsync(requests[sequence % requests.Count]);
            return 1;
        });

    private double MeasureBare(BareModel bare, IReadOnlyList<BareBatch> batches)
    {
        bare.Run(batches[0]);
        var started = Stopwatch.GetTimestamp();
        var done = 0;
        for (var i = 0; done < options.Items; i++) done += bare.Run(batches[i % batches.Count]);
        return done / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Every row through one EmbedStream, at most <see cref="StreamWindow"/> unanswered.</summary>
    private async Task<double> MeasureStreamAsync(string model, Input[] rows)
    {
        var started = Stopwatch.GetTimestamp();
        using var call = _embeddings.EmbedStream();
        using var window = new SemaphoreSlim(StreamWindow);
        var reader = Task.Run(async () =>
        {
            var answered = 0;
            await foreach (var answer in call.ResponseStream.ReadAllAsync())
            {
                if (answer.ResultCase != EmbedStreamResponse.ResultOneofCase.Embedding) throw new InvalidOperationException(answer.Error.Message);
                answered++;
                window.Release();
            }
            return answered;
        });
        for (var i = 0; i < rows.Length; i++)
        {
            await window.WaitAsync();
            await call.RequestStream.WriteAsync(new EmbedStreamRequest { Id = i.ToString(), Backbone = model, Input = rows[i] });
        }
        await call.RequestStream.CompleteAsync();
        var answered = await reader;
        return answered / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Rows per second of one extraction job, from its Started to its Finished timestamp.</summary>
    private async Task<double> MeasureJobAsync(string model, Dataset dataset)
    {
        var job = (await _extraction.StartExtractionAsync(new StartExtractionRequest { Backbone = model, DatasetId = dataset.Id })).Job;
        using var watch = _jobs.WatchJob(new WatchJobRequest { JobId = job.Id });
        await foreach (var update in watch.ResponseStream.ReadAllAsync()) job = update.Job;
        if (job.State != JobState.Succeeded) throw new InvalidOperationException($"extraction job {job.Id} ended {job.State}: {job.ErrorMessage}");
        return options.Items / (job.Finished.ToDateTimeOffset() - job.Started.ToDateTimeOffset()).TotalSeconds;
    }

    private async Task<Dataset> UploadAsync(string name, Input[] rows)
    {
        using var call = _datasets.UploadDataset();
        var first = true;
        foreach (var chunk in rows.Select((input, i) => new LabeledExample { Input = input, Label = i % 2 == 0 ? "a" : "b" }).Chunk(64))
        {
            await call.RequestStream.WriteAsync(new UploadDatasetRequest { Name = first ? name : "", Examples = { chunk } });
            first = false;
        }
        await call.RequestStream.CompleteAsync();
        return (await call).Dataset;
    }
}

/// <summary>Items per second of each round's three ways through the same rows; ratios are taken within a round.</summary>
internal sealed record ExtractionThroughput(string Model, int Items, IReadOnlyList<(double Bare, double Stream, double Job)> Rounds)
{
    public double MedianJobRatio => Median(Rounds.Select(r => r.Job / r.Bare));
    public double MedianStreamRatio => Median(Rounds.Select(r => r.Stream / r.Bare));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
