using Google.Protobuf.WellKnownTypes;
using TransferService.Contracts.V1;
using TransferService.Core.Errors;
using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;

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
            Priority = ToContract(info.Priority),
            Attempts = (uint)info.Attempts,
            IdempotencyKey = info.IdempotencyKey ?? "",
            Tenant = info.Tenant,
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

    public static JobPriority ToContract(Priority priority) => priority switch
    {
        Priority.High => JobPriority.High,
        Priority.Low => JobPriority.Low,
        _ => JobPriority.Normal,
    };

    /// <summary>Unspecified means normal.</summary>
    public static Priority ToCore(JobPriority priority, string field) => priority switch
    {
        JobPriority.High => Priority.High,
        JobPriority.Normal or JobPriority.Unspecified => Priority.Normal,
        JobPriority.Low => Priority.Low,
        _ => throw TransferException.Invalid(field, $"{field} {(int)priority} is not a JobPriority"),
    };

    /// <summary>Unspecified means every state.</summary>
    public static Core.Jobs.JobState? ToCore(Contracts.V1.JobState state) => state switch
    {
        Contracts.V1.JobState.Unspecified => null,
        Contracts.V1.JobState.Queued => Core.Jobs.JobState.Queued,
        Contracts.V1.JobState.Running => Core.Jobs.JobState.Running,
        Contracts.V1.JobState.Succeeded => Core.Jobs.JobState.Succeeded,
        Contracts.V1.JobState.Failed => Core.Jobs.JobState.Failed,
        Contracts.V1.JobState.Cancelled => Core.Jobs.JobState.Cancelled,
        _ => throw TransferException.Invalid("state", $"state {(int)state} is not a JobState"),
    };
}
