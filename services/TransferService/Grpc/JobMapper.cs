using Google.Protobuf.WellKnownTypes;
using TransferService.Contracts.V1;
using TransferService.Core.Jobs;

namespace TransferService.Grpc;

internal static class JobMapper
{
    public static Job ToContract(JobInfo info)
    {
        var p = info.Progress;
        var job = new Job
        {
            Id = info.Id,
            Kind = info.Kind,
            State = info.State switch
            {
                Core.Jobs.JobState.Queued => Contracts.V1.JobState.Queued,
                Core.Jobs.JobState.Running => Contracts.V1.JobState.Running,
                Core.Jobs.JobState.Succeeded => Contracts.V1.JobState.Succeeded,
                Core.Jobs.JobState.Failed => Contracts.V1.JobState.Failed,
                _ => Contracts.V1.JobState.Cancelled,
            },
            Progress = new Contracts.V1.JobProgress
            {
                Stage = p.Stage, Fraction = p.Fraction, Epoch = (uint)p.Epoch, Step = (uint)p.Step,
                TrainLoss = p.TrainLoss, ValidationLoss = p.ValidationLoss, ValidationAccuracy = p.ValidationAccuracy,
                ItemsDone = (ulong)p.ItemsDone, ItemsTotal = (ulong)p.ItemsTotal, ItemsPerSecond = p.ItemsPerSecond, EtaSeconds = p.EtaSeconds,
            },
            Result = info.Result,
            Created = Timestamp.FromDateTimeOffset(info.Created),
        };
        if (info.Started is { } started) job.Started = Timestamp.FromDateTimeOffset(started);
        if (info.Finished is { } finished) job.Finished = Timestamp.FromDateTimeOffset(finished);
        if (info.Error is { } error)
        {
            job.ErrorCode = (int)ErrorInterceptor.ToCode(error.Code);
            job.ErrorMessage = error.Message;
            job.ErrorField = error.Field ?? "";
        }
        return job;
    }
}
