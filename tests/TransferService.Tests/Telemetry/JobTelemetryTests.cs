using System.Diagnostics;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;
using TransferService.Tests.Jobs;

namespace TransferService.Tests.Telemetry;

/// <summary>A training job seen through the in-memory exporters: its run span links to the TrainHead call that submitted
/// it, its stages are spans under the run, its device work hangs under it too, and the loss and job instruments move.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class JobTelemetryTests
{
    [Fact]
    public async Task TrainHead_TracedSubmission_JobStageSpansLinkedToTheCallAndLossAndJobInstruments()
    {
        await using var server = await TelemetryServer.StartAsync();
        var workflow = new HeadWorkflow(server.Server.Channel);
        var dataset = await workflow.UploadAsync("points", CrashTraining.Points(120));

        var snapshots = await workflow.TrainAsync(new TrainHeadRequest
        {
            Name = "traced", Backbone = server.Backbone, DatasetId = dataset.Id, Config = new TrainingConfig { Epochs = 5, BatchSize = 8 },
        });

        var job = snapshots[^1];
        var run = await server.SpanAsync(s => s.OperationName == "transfer.job" && Equals(s.GetTagItem("transfer.job.id"), job.Id));
        var link = Assert.Single(run.Links);
        var submit = await server.SpanAsync(s => s.TraceId == link.Context.TraceId && s.SpanId == link.Context.SpanId);
        Assert.Equal((ActivityKind.Server, "/transfer.v1.HeadService/TrainHead"), (submit.Kind, submit.GetTagItem("url.path")));
        Assert.NotEqual(submit.TraceId, run.TraceId);
        Assert.Equal(("train_head", "succeeded"), (run.GetTagItem("transfer.job.kind"), run.GetTagItem("transfer.job.state")));
        var underRun = server.Spans.Snapshot().Where(s => s.TraceId == run.TraceId && s.ParentSpanId == run.SpanId).Select(s => s.OperationName).ToHashSet();
        Assert.Superset(new HashSet<string> { "transfer.job.embedding", "transfer.job.training", "transfer.job.evaluating", "transfer.head.store",
            "transfer.queue_wait", "transfer.inference", "transfer.preprocess" }, underRun);

        var metrics = server.CollectMetrics();
        var losses = MetricPoints.Gauges(metrics["transfer.training.loss"], ("transfer.job.kind", "train_head"), ("transfer.loss.split", "train"));
        Assert.Contains(losses, loss => double.IsFinite(loss) && loss > 0 && loss < 10);
        Assert.True(MetricPoints.Sum(metrics["transfer.jobs.finished"], ("transfer.job.kind", "train_head"), ("transfer.job.state", "succeeded")) >= 1);
        Assert.Equal(2, MetricPoints.Gauges(metrics["transfer.jobs.active"], ("transfer.job.kind", "train_head")).Length);
        Assert.True(MetricPoints.Sum(metrics["transfer.embedding_cache.misses"], ("transfer.backbone", server.Backbone)) >= 120);
    }
}
