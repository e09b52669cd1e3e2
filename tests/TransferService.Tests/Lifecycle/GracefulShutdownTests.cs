using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using TransferService.Contracts.V1;
using TransferService.Tests.Hostile;
using TransferService.Tests.Infrastructure;
using TransferService.Tests.Jobs;

namespace TransferService.Tests.Lifecycle;

/// <summary>A clean stop while a training job runs and is watched: health turns NOT_SERVING as the stop begins (a health
/// watch is told so, then ends), the job watch ends with UNAVAILABLE, the stop finishes well within the grace period, and the job, handed back to the queue, resumes after a restart on the same data folder and
/// stores exactly one head version.</summary>
public sealed class GracefulShutdownTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task StopAsync_TrainingJobRunning_HealthNotServingAndJobResumesAfterRestart()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"transfer-shutdown-{Guid.NewGuid():N}");
        TinyTensorBackbone.Create(Path.Combine(folder, "models"), CrashTraining.Backbone);
        var settings = new Dictionary<string, string?>
        {
            ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu", ["Jobs:MaxConcurrent"] = "1", ["Service:ShutdownGracePeriod"] = "00:00:10",
        };
        var total = Stopwatch.StartNew();
        try
        {
            string jobId;
            await using (var first = await TestServer.StartAsync(folder, settings))
            {
                var workflow = new HeadWorkflow(first.Channel);
                var dataset = await workflow.UploadAsync("points", CrashTraining.Points(200));
                jobId = (await workflow.Heads.TrainHeadAsync(CrashTraining.Request("graceful", dataset.Id, 40, "graceful"))).Job.Id;
                using var watch = workflow.Jobs.WatchJob(new WatchJobRequest { JobId = jobId });
                Assert.Equal(JobState.Running, (await JobsTraining.WatchUntilAsync(watch, j => j.Progress is { Stage: "training", Epoch: >= 1 })).State);
                using var healthWatch = new Health.HealthClient(first.Channel).Watch(new HealthCheckRequest { Service = "transfer.v1.HeadService" });
                // Start-up reports SERVING once it has installed the built-in backbones, which on a busy machine can
                // finish after the training began: wait for it.
                var serving = HealthCheckResponse.Types.ServingStatus.Unknown;
                while (serving != HealthCheckResponse.Types.ServingStatus.Serving && await healthWatch.ResponseStream.MoveNext())
                    serving = healthWatch.ResponseStream.Current.Status;

                output.WriteLine($"training at {total.Elapsed.TotalSeconds:F1} s");
                var clock = Stopwatch.StartNew();
                var stopping = first.App.StopAsync();
                if (!await healthWatch.ResponseStream.MoveNext()) Assert.Fail($"the health watch ended with {healthWatch.GetStatus()} before NOT_SERVING");
                var onStop = healthWatch.ResponseStream.Current.Status;
                // Then the health watch ends by itself, so it does not hold the stop.
                var healthEnded = !await healthWatch.ResponseStream.MoveNext();
                // The job watch, left open, ends with UNAVAILABLE instead of holding the stop for its grace period.
                var watchEnd = await Assert.ThrowsAsync<RpcException>(async () => { while (await watch.ResponseStream.MoveNext()) { } });
                await stopping;
                output.WriteLine($"stopped in {clock.Elapsed.TotalSeconds:F1} s");

                Assert.Equal((HealthCheckResponse.Types.ServingStatus.Serving, HealthCheckResponse.Types.ServingStatus.NotServing, true), (serving, onStop, healthEnded));
                Assert.Equal(StatusCode.Unavailable, watchEnd.StatusCode);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the stop took {clock.Elapsed.TotalSeconds:F1} s");
            }

            await using var restarted = await TestServer.StartAsync(folder, settings);
            output.WriteLine($"restarted at {total.Elapsed.TotalSeconds:F1} s");
            var after = new HeadWorkflow(restarted.Channel);
            using var again = after.Jobs.WatchJob(new WatchJobRequest { JobId = jobId });
            var final = await JobsTraining.WatchUntilAsync(again, _ => false);
            output.WriteLine($"resumed job done at {total.Elapsed.TotalSeconds:F1} s");
            var head = (await after.Heads.ListHeadsAsync(new ListHeadsRequest())).Heads.Single(h => h.Name == "graceful");

            Assert.Equal((JobState.Succeeded, "graceful v1"), (final.State, final.Result));
            Assert.Equal([1u], head.Versions);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
